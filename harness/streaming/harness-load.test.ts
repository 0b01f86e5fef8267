import { describe, expect, it } from 'vitest';
import { processLoadStart } from '../generators/stream/generator-process.ts';
import { harnessLimitOf } from './harness-load.ts';

const onTime = { fellBehind: false, maxBehindMs: 3, behindBoundMs: 1000 };
const idle = { cpuCores: 0.2, eventLoopBusy: 0.3, wallMs: 10_000 };

describe('harness limits', () => {
  it("names the first limit that held: generator behind, the generator's event loop busy, the run process's", () => {
    expect(harnessLimitOf(onTime, { generator: idle, runProcess: idle })).toBeUndefined();
    expect(harnessLimitOf(onTime, undefined)).toBeUndefined();
    expect(harnessLimitOf({ fellBehind: true, maxBehindMs: 1523.4, behindBoundMs: 1000 }, { generator: { ...idle, eventLoopBusy: 0.95 }, runProcess: idle })).toBe('the generator fell 1523 ms behind its schedule (bound 1000 ms)');
    expect(harnessLimitOf(onTime, { generator: { ...idle, eventLoopBusy: 0.9, cpuCores: 1.31 }, runProcess: idle })).toBe("the generator's event loop was busy 90 % of the input window (bound 90 %; its process used 1.31 cores)");
    // Its Kafka client's threads add CPU without slowing the loop: CPU alone is no limit.
    expect(harnessLimitOf(onTime, { generator: { ...idle, eventLoopBusy: 0.89, cpuCores: 1.5 }, runProcess: idle })).toBeUndefined();
    expect(harnessLimitOf(onTime, { generator: idle, runProcess: { ...idle, eventLoopBusy: 0.934 } })).toBe("the run process's event loop (output consumer, lag sampler, scrapers) was busy 93 % of the input window (bound 90 %)");
  });

  it("reads this process's CPU and event loop between two points", async () => {
    const stop = processLoadStart();
    const until = performance.now() + 60;
    while (performance.now() < until); // busy on purpose: CPU and loop both near 1
    const load = stop();
    expect(load.wallMs).toBeGreaterThanOrEqual(60);
    expect(load.cpuCores).toBeGreaterThan(0); // CPU share depends on scheduling on a loaded machine; the loop's busy share does not
    expect(load.eventLoopBusy).toBeGreaterThan(0.5);
  });
});
