import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { metricsSectionSchema } from '../results/metrics-section.ts';
import { prometheusScraper } from './prometheus.ts';
import { startSampler, type Scraper } from './sampler.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counter(name: string): Scraper {
  let n = 0;
  return { name, kind: 'other', sample: async () => ({ count_total: ++n }) };
}

/** A port nothing listens on: bind, note the port, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('sampler', () => {
  it('samples on a fixed schedule and ends with a closing reading', async () => {
    const sampler = startSampler({ intervalMs: 50, scrapers: [counter('a')] });
    await sleep(275);
    const section = metricsSectionSchema.parse(await sampler.stop());
    const a = section.scrapers.a;
    if (a.status !== 'ok') throw new Error('expected ok');
    // Ticks at 0, 50, …, 250 (6) plus the closing reading; timer jitter under load may drop one.
    expect(a.t.length).toBeGreaterThanOrEqual(6);
    expect(a.t.length).toBeLessThanOrEqual(8);
    expect(a.series.count_total).toEqual(a.t.map((_, i) => i + 1));
    expect(a.t[0]).toBeLessThan(20);
    expect(section.intervalMs).toBe(50);
    // Seven samples ran in the sampler's scope: its own CPU is counted, and it is a part of the process's.
    expect(section.overhead.callbacksCounted).toBeGreaterThan(0);
    expect(section.overhead.scrapeCpuMs).toBeGreaterThan(0);
    expect(section.overhead.scrapeCpuMs).toBeLessThanOrEqual(section.overhead.processCpuMs);
  });

  it("records the series a scraper declares unmeasurable, and hands them to its finish()", async () => {
    let seen: unknown;
    const scraper: Scraper = {
      name: 'os',
      kind: 'other',
      sample: async () => ({ 'a/read_bytes_total': 1 }),
      unmeasured: () => ({ 'a/write_bytes_total': 'not charged on cgroup v1' }),
      finish: async (collected) => ((seen = collected.missing), {}),
    };
    const sampler = startSampler({ intervalMs: 50, scrapers: [scraper] });
    await sleep(60);
    const section = metricsSectionSchema.parse(await sampler.stop());
    expect(section.scrapers.os!.missingSeries).toEqual({ 'a/write_bytes_total': 'not charged on cgroup v1' });
    expect(seen).toEqual({ 'a/write_bytes_total': 'not charged on cgroup v1' });
    expect(section.overhead.scrapeCpuMs).toBeGreaterThan(0);
    expect(section.overhead.callbacksCounted).toBeGreaterThan(0);
    expect(section.scrapers.os!.cpuMs).toBeGreaterThan(0);
    expect(section.scrapers.os!.cpuMs).toBeLessThanOrEqual(section.overhead.scrapeCpuMs);
  });

  it('records a throwing scraper as missing with its reason while the others go on', async () => {
    const broken: Scraper = { name: 'broken', kind: 'other', sample: async () => { throw new Error('endpoint said no'); } };
    const sampler = startSampler({ intervalMs: 40, scrapers: [broken, counter('good')] });
    await sleep(150);
    const section = metricsSectionSchema.parse(await sampler.stop());
    expect(section.scrapers.broken).toMatchObject({ status: 'missing', reason: 'endpoint said no' });
    expect(section.scrapers.broken.failedSamples).toBeGreaterThanOrEqual(4);
    expect(section.scrapers.broken).not.toHaveProperty('series');
    expect(section.scrapers.good.status).toBe('ok');
  });

  it('an unreachable endpoint is missing with the connection error; a hanging one times out without delaying others', async () => {
    const port = await closedPort();
    const hanging: Scraper = { name: 'hanging', kind: 'other', sample: (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
    const sampler = startSampler({
      intervalMs: 50,
      sampleTimeoutMs: 120,
      scrapers: [prometheusScraper({ name: 'prom', url: `http://127.0.0.1:${port}/metrics`, include: /./ }), hanging, counter('good')],
    });
    await sleep(400);
    const section = metricsSectionSchema.parse(await sampler.stop());
    const prom = section.scrapers.prom;
    expect(prom.status).toBe('missing');
    if (prom.status === 'missing') expect(prom.reason).toBe(`GET http://127.0.0.1:${port}/metrics failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(section.scrapers.hanging).toMatchObject({ status: 'missing', reason: 'sample of hanging took longer than 120 ms' });
    expect(section.scrapers.hanging.skippedTicks).toBeGreaterThan(0);
    const good = section.scrapers.good;
    expect(good.status === 'ok' && good.t.length).toBeGreaterThanOrEqual(8);
  });

  it('keeps gaps as null, drops non-finite values, and runs details-only scrapers once at the end', async () => {
    let n = 0;
    const patchy: Scraper = { name: 'patchy', kind: 'other', sample: async (): Promise<Record<string, number>> => (++n % 2 === 0 ? { x: n, y: NaN } : { y: n }) };
    const detailsOnly: Scraper = { name: 'after', kind: 'other', finish: async () => ({ total: 42 }) };
    const failingDetails: Scraper = { name: 'after-broken', kind: 'other', finish: async () => { throw new Error('no event log'); } };
    const sampler = startSampler({ intervalMs: 30, scrapers: [patchy, detailsOnly, failingDetails] });
    await sleep(100);
    const section = metricsSectionSchema.parse(await sampler.stop());
    const patchyRecord = section.scrapers.patchy;
    if (patchyRecord.status !== 'ok') throw new Error('expected ok');
    expect(patchyRecord.series.x.slice(0, 4)).toEqual([null, 2, null, 4]);
    expect(patchyRecord.series.y.slice(0, 4)).toEqual([1, null, 3, null]);
    expect(section.scrapers.after).toEqual({ kind: 'other', status: 'ok', t: [], series: {}, failedSamples: 0, skippedTicks: 0, failures: [], details: { total: 42 }, cpuMs: expect.any(Number) });
    expect(section.scrapers['after-broken']).toMatchObject({ status: 'missing', reason: 'no event log', detailsMissingReason: 'no event log' });
  });

  it('rejects duplicate names and a bad interval', () => {
    expect(() => startSampler({ scrapers: [counter('a'), counter('a')] })).toThrow("two metrics scrapers are named 'a'");
    expect(() => startSampler({ intervalMs: 0, scrapers: [] })).toThrow('metrics interval must be > 0 ms, got 0');
  });
});
