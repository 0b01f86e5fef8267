import { describe, expect, it } from 'vitest';
import { parseFaults } from './fault-spec.ts';

const options = { workers: 2, horizonMs: 60_000, horizonName: '--duration' };

describe('parseFaults', () => {
  it('reads each action, sorted by time', () => {
    expect(parseFaults('restart:flink-taskmanager-2@30s+2s, kill:spark-worker-1@12s,pause:kafka@15s+5s,stop:flink-jobmanager@40s', options)).toEqual([
      { action: 'kill', service: 'spark-worker-1', atMs: 12_000, text: 'kill:spark-worker-1@12s' },
      { action: 'pause', service: 'kafka', atMs: 15_000, durationMs: 5000, text: 'pause:kafka@15s+5s' },
      { action: 'restart', service: 'flink-taskmanager-2', atMs: 30_000, durationMs: 2000, text: 'restart:flink-taskmanager-2@30s+2s' },
      { action: 'stop', service: 'flink-jobmanager', atMs: 40_000, text: 'stop:flink-jobmanager@40s' },
    ]);
  });

  it('refuses bad input naming the value and the choices', () => {
    const bad = (value: string) => () => parseFaults(value, options);
    expect(bad('explode:kafka@1s')).toThrow("--fault: 'explode:kafka@1s': unknown action 'explode'; choose from kill, stop, pause, restart");
    expect(bad('kill:zookeeper@1s')).toThrow("--fault: 'kill:zookeeper@1s': unknown service 'zookeeper'; choose from spark-master, spark-worker-N, flink-jobmanager, flink-taskmanager-N, flink-sql-gateway, kafka");
    expect(bad('kill:flink-taskmanager-3@1s')).toThrow("--fault: 'kill:flink-taskmanager-3@1s': the run has 2 worker(s), so 'flink-taskmanager-3' does not exist; use an index from 1 to 2 (or --workers)");
    expect(bad('kill:kafka@90s')).toThrow("--fault: 'kill:kafka@90s' is at 90000 ms, not before the end of the measurement (--duration 60000 ms); choose an earlier time");
    expect(bad('pause:kafka@10s')).toThrow("--fault: 'pause:kafka@10s': pause needs +DURATION (e.g. pause:kafka@10s+5s)");
    expect(bad('kill:kafka@10s+2s')).toThrow("--fault: 'kill:kafka@10s+2s': kill takes no +DURATION (the service stays down; use restart:…+DELAY to bring it back)");
    expect(bad('kafka@10s')).toThrow("--fault: 'kafka@10s' is not ACTION:SERVICE@TIME[+DURATION] (e.g. kill:flink-taskmanager-1@20s, pause:kafka@15s+5s)");
    expect(bad('kill:kafka@soon')).toThrow("--fault: 'soon' is not a duration; use e.g. 500ms, 60s, 10m");
    expect(bad(' , ')).toThrow('--fault: empty list');
  });
});
