// The runner with a service watch, at its boundary: fake groups whose units hang until aborted,
// and exits fed to the watch as a runtime would report them. The real thing (a killed Spark
// worker, a killed Flink TaskManager) is in harness/run/service-exit.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Measurement, MeasurementIdentity } from '../results/schema.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import type { StartedService } from '../runtime/runtime.ts';
import { ServiceWatch, type WatchedExit } from '../runtime/service-watch.ts';
import { silentProgress } from './progress.ts';
import { runGroups, unitGroup, type RunUnit, type StartedGroup } from './runner.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runner-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const identity = (workload: string, engine: string): MeasurementIdentity => ({
  workload,
  engine,
  mode: 'batch',
  scale: 'tiny',
  params: {},
  submission: { path: `${engine}-path`, family: 'job' },
});

function fakeService(name: string): StartedService & { stopRequested: boolean } {
  return { name, logFile: `/runs/x/${name}/service.log`, stopRequested: false } as unknown as StartedService & { stopRequested: boolean };
}

const exitOf = (service: StartedService, atMs: number): WatchedExit => ({ service, description: 'killed by SIGKILL', atMs, logTail: 'last words' });

/** A unit that completes at once, or hangs until its signal aborts (then reports what it saw). */
function unit(workload: string, engine: string, behaviour: 'completes' | 'hangs', onStart?: () => void): RunUnit<StartedGroup> {
  return {
    label: `${workload} on ${engine}`,
    identity: identity(workload, engine),
    async execute(_started, context): Promise<Measurement> {
      onStart?.();
      if (behaviour === 'hangs') {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
        return { ...identity(workload, engine), status: 'failed', reason: 'the unit saw its abort', finishedAt: new Date().toISOString() };
      }
      return { ...identity(workload, engine), status: 'unsupported', reason: 'stands in for a completed measurement', finishedAt: new Date().toISOString() };
    },
  };
}

function group(engine: string, units: RunUnit<StartedGroup>[], stopped: string[]) {
  return unitGroup({
    label: `${engine} via ${engine}-path`,
    settingsKey: engine,
    start: async () => ({ settings: {}, stop: async () => void stopped.push(engine) }),
    units,
  });
}

describe('runGroups with a service watch', () => {
  it('a service exiting under a unit ends it at once as failed, names it, skips the rest of its group, and the run goes on', async () => {
    const watch = new ServiceWatch();
    const worker = fakeService('spark-worker-1');
    const stopped: string[] = [];
    let unitStart = 0;
    const groups = [
      group('spark', [
        unit('multijoin', 'spark', 'hangs', () => {
          unitStart = Date.now();
          // The worker dies 1.5 s into the unit, as the runtime would report it.
          setTimeout(() => watch.record(exitOf(worker, unitStart + 1500)), 50);
        }),
        unit('topn', 'spark', 'completes'),
      ], stopped),
      group('flink', [unit('topn', 'flink', 'completes')], stopped),
    ];
    // The harness stops the broken group: from then on the worker's exit is no longer outstanding.
    const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: root });
    const original = groups[0]!.start;
    (groups[0] as { start: typeof original }).start = async () => {
      const started = await original();
      return { ...started, stop: async () => { worker.stopRequested = true; await started.stop(); } };
    };
    const { measurements } = await runGroups(groups, { store, progress: silentProgress, signal: new AbortController().signal, watch });
    expect(measurements.map((m) => [m.workload, m.engine, m.status, 'reason' in m ? m.reason : ''])).toEqual([
      ['multijoin', 'spark', 'failed', 'spark-worker-1 exited (killed by SIGKILL) at t=1.5 s of multijoin on spark; the measurement ended then'],
      ['topn', 'spark', 'failed', 'not measured: spark-worker-1 exited (killed by SIGKILL) during multijoin on spark'],
      ['topn', 'flink', 'unsupported', 'stands in for a completed measurement'],
    ]);
    expect(measurements[0]!.status === 'failed' && measurements[0]!.logExcerpt).toBe('--- last 20 lines of /runs/x/spark-worker-1/service.log ---\nlast words');
    expect(stopped).toEqual(['spark', 'flink']);
    // What was recorded is what the results file holds.
    expect(ResultsStore.load(store.file).measurements).toEqual(measurements);
  });

  it('a shared service that died and was never stopped fails the later groups that depend on it at once', async () => {
    const watch = new ServiceWatch();
    const kafka = fakeService('kafka');
    const stopped: string[] = [];
    const started = Date.now();
    watch.record(exitOf(kafka, started - 2000));
    const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: root });
    const { measurements } = await runGroups([group('flink', [unit('stream-wordcount', 'flink', 'hangs')], stopped)], { store, progress: silentProgress, signal: new AbortController().signal, watch });
    expect(measurements).toHaveLength(1);
    expect(measurements[0]!.status).toBe('failed');
    expect('reason' in measurements[0]! && measurements[0].reason).toMatch(/^not measured: kafka exited \(killed by SIGKILL\) \d+\.\d s before stream-wordcount on flink started$/);
    expect(stopped).toEqual(['flink']);
  });

  it('a unit that fails on its own just before the exit is reported gets the death put first', async () => {
    const watch = new ServiceWatch();
    const taskManager = fakeService('flink-taskmanager-1');
    const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: root });
    const failsFirst: RunUnit<StartedGroup> = {
      label: 'topn on flink',
      identity: identity('topn', 'flink'),
      async execute() {
        // The client saw the broken connection; the runtime reports the exit 200 ms later.
        const at = Date.now();
        setTimeout(() => watch.record(exitOf(taskManager, at)), 200);
        return { ...identity('topn', 'flink'), status: 'failed', reason: 'Flink rejected the statement: NoResourceAvailableException', finishedAt: new Date().toISOString() };
      },
    };
    const { measurements } = await runGroups([group('flink', [failsFirst, unit('wordcount', 'flink', 'completes')], [])], { store, progress: silentProgress, signal: new AbortController().signal, watch });
    expect(measurements.map((m) => 'reason' in m && m.reason)).toEqual([
      'flink-taskmanager-1 exited (killed by SIGKILL) at t=0.0 s of topn on flink; then: Flink rejected the statement: NoResourceAvailableException',
      'not measured: flink-taskmanager-1 exited (killed by SIGKILL) during topn on flink',
    ]);
  });

  it('a failure with no service exit stays as it is', async () => {
    const watch = new ServiceWatch();
    const store = ResultsStore.create(newRunId(), { run: exampleRun(), resultsDir: root });
    const fails: RunUnit<StartedGroup> = {
      label: 'topn on flink',
      identity: identity('topn', 'flink'),
      execute: async () => ({ ...identity('topn', 'flink'), status: 'failed', reason: 'Flink rejected the statement: SqlParseException', finishedAt: new Date().toISOString() }),
    };
    const { measurements } = await runGroups([group('flink', [fails, unit('wordcount', 'flink', 'completes')], [])], { store, progress: silentProgress, signal: new AbortController().signal, watch });
    expect(measurements.map((m) => m.status)).toEqual(['failed', 'unsupported']);
    expect('reason' in measurements[0]! && measurements[0].reason).toBe('Flink rejected the statement: SqlParseException');
  });
});
