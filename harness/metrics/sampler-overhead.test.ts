import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { InFlightCpuMeter, OwnCpuMeter } from './sampler-overhead.ts';

/** Burn `ms` of this process's CPU. */
function burn(ms: number): void {
  const start = process.cpuUsage();
  for (;;) {
    const d = process.cpuUsage(start);
    if (d.user + d.system >= ms * 1000) return;
  }
}

describe('sampler overhead meters', () => {
  it("counts the CPU of callbacks descending from the sampler's scope, not of other work interleaved with them", async () => {
    const own = new OwnCpuMeter().start();
    const inFlight = new InFlightCpuMeter();
    // Other harness work: a loop that yields every turn (as the streaming generator does) and burns 2 ms per turn.
    let spinning = true;
    let spinnerCpuMs = 0;
    const spinner = (async () => {
      while (spinning) {
        burn(2);
        spinnerCpuMs += 2;
        await yieldToEventLoop();
      }
    })();
    // The "scrape": 4 × 25 ms of CPU, each after an asynchronous wait (timer, then promise continuation).
    inFlight.enter();
    await own.run(async () => {
      for (let i = 0; i < 4; i++) {
        await sleep(50);
        burn(25);
      }
    });
    inFlight.leave();
    spinning = false;
    await spinner;
    const ownCpuMs = own.stop();
    const figures = JSON.stringify({ ownCpuMs, spinnerCpuMs, inFlightCpuMs: inFlight.cpuMs });
    expect(spinnerCpuMs, figures).toBeGreaterThan(80);
    expect(ownCpuMs, figures).toBeGreaterThanOrEqual(100);
    // The spinner's turns between the scrape's callbacks are not the sampler's (slack: CPU of other
    // threads, e.g. the GC's, during the burns is counted too: process.cpuUsage is process-wide).
    expect(ownCpuMs, figures).toBeLessThan(140);
    expect(inFlight.cpuMs, figures).toBeGreaterThanOrEqual(100 + spinnerCpuMs * 0.8);
    expect(inFlight.wallMs).toBeGreaterThanOrEqual(300);
    expect(own.callbacks).toBeGreaterThanOrEqual(4);
  });

  it('stops counting when stopped; work outside run() is never counted', async () => {
    const own = new OwnCpuMeter().start();
    burn(30);
    await sleep(5);
    expect(own.cpuMs).toBe(0);
    await own.run(async () => {
      await sleep(5);
      burn(10);
    });
    const counted = own.stop();
    expect(counted).toBeGreaterThanOrEqual(10);
    await own.run(async () => {
      await sleep(5);
      burn(10);
    });
    expect(own.cpuMs).toBe(counted);
  });
});

describe('per key', () => {
  it('attributes each callback to the key of the scope it descends from', async () => {
    const own = new OwnCpuMeter().start();
    await Promise.all([
      own.run(async () => {
        await sleep(5);
        burn(30);
      }, 'heavy'),
      own.run(async () => {
        await sleep(5);
        burn(5);
      }, 'light'),
    ]);
    own.stop();
    expect(own.cpuMsOf('heavy')).toBeGreaterThanOrEqual(30);
    expect(own.cpuMsOf('heavy')).toBeLessThan(45);
    expect(own.cpuMsOf('light')).toBeGreaterThanOrEqual(5);
    expect(own.cpuMsOf('light')).toBeLessThan(20);
    expect(own.cpuMsOf('none')).toBe(0);
    expect(own.cpuMs).toBeCloseTo(own.cpuMsOf('heavy') + own.cpuMsOf('light'), 6);
  });
});

describe('two meters at once', () => {
  it('each counts only the callbacks of its own scope', async () => {
    const a = new OwnCpuMeter().start();
    const b = new OwnCpuMeter().start();
    await Promise.all([
      a.run(async () => {
        await sleep(5);
        burn(40);
      }),
      b.run(async () => {
        await sleep(5);
        burn(10);
      }),
    ]);
    const [cpuA, cpuB] = [a.stop(), b.stop()];
    expect(cpuA).toBeGreaterThanOrEqual(40);
    expect(cpuA).toBeLessThan(60); // not b's 10 ms on top of its own 40 (+ slack for GC threads)
    expect(cpuB).toBeGreaterThanOrEqual(10);
    expect(cpuB).toBeLessThan(40); // not a's 40 ms
  });
});
