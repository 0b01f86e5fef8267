import { describe, expect, it } from 'vitest';
import type { StartedService } from './runtime.ts';
import { describeExit, ServiceWatch, type WatchedExit } from './service-watch.ts';

/** Only what the watch reads of a service: its name, whether it was stopped, whether it runs. */
function fakeService(name: string, running: { now: boolean }): StartedService {
  return { name, stopRequested: false, isRunning: async () => running.now } as unknown as StartedService;
}
const exitOf = (service: StartedService): WatchedExit => ({ service, description: 'killed by SIGKILL', atMs: 1_000, logTail: '' });

describe('ServiceWatch with an injected fault', () => {
  it('an expected exit ends no unit; released, a service that runs again leaves no outstanding exit', async () => {
    const watch = new ServiceWatch();
    const state = { now: true };
    const taskManager = fakeService('flink-taskmanager-1', state);
    const next = watch.next();
    let woken = false;
    void next.exited.then(() => (woken = true));
    const expected = watch.expect(taskManager, 'restart:flink-taskmanager-1@20s');
    state.now = false;
    watch.record(exitOf(taskManager));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(woken).toBe(false);
    expect(watch.outstanding()).toEqual([]);
    state.now = true; // restarted
    await expected.release();
    expect(watch.outstanding()).toEqual([]);
    next.cancel();
  });

  it('released, a service that stays down (kill) is outstanding: the next unit that needs it fails at once', async () => {
    const watch = new ServiceWatch();
    const worker = fakeService('spark-worker-1', { now: false });
    const expected = watch.expect(worker, 'kill:spark-worker-1@5s');
    watch.record(exitOf(worker));
    expect(watch.outstanding()).toEqual([]);
    await expected.release();
    expect(watch.outstanding().map((e) => e.service.name)).toEqual(['spark-worker-1']);
    // Whoever is blamed with it later is told it was the fault.
    expect(describeExit(watch.outstanding()[0]!, { atMs: 0, what: 'topn on spark (spark-submit)' })).toBe(
      'spark-worker-1 exited (killed by SIGKILL; injected by --fault kill:spark-worker-1@5s) at t=1.0 s of topn on spark (spark-submit)',
    );
    // An exit of a service nobody expected still wakes the unit in flight.
    const next = watch.next();
    const kafka = fakeService('kafka', { now: false });
    watch.record(exitOf(kafka));
    expect((await next.exited).service.name).toBe('kafka');
  });
});
