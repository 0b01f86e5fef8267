// Real engines, tiny scale: one shuffling job on Spark and one on Flink with the sampler
// beside it; the OS, engine and file-watch figures must be real numbers (or say why not).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { startCluster } from '../engines/clusters.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { openRuntime, type OpenedRuntime } from '../runtime/open-runtime.ts';
import { listRecorded } from '../runtime/process-registry.ts';
import { newRunId } from '../results/store.ts';
import { withMetrics } from './engine-metrics.ts';
import { flinkMetricsSettings, flinkScrapers } from '../engines/flink/metrics.ts';
import { sparkMetricsSettings, sparkScrapers } from '../engines/spark/metrics.ts';
import { metricsSectionSchema, type MetricsSection } from '../results/metrics-section.ts';
import type { ResourceFigures } from './derived.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const haveDocker = await dockerAvailable();
const runtimes = (['local', 'docker'] as const).filter((kind) => kind === 'local' || haveDocker || process.env.CI);

function osFigures(section: MetricsSection): Record<string, ResourceFigures> {
  const record = section.scrapers.os;
  expect(record.status, JSON.stringify(record).slice(0, 500)).toBe('ok');
  return (record.details as { perService: Record<string, ResourceFigures> }).perService;
}

/** The typed figures equal what the scrapers gathered, and CPU time is possible on this host: at most every core for the whole window. */
function expectFiguresConsistent(section: MetricsSection): void {
  const total = osFigures(section).total;
  expect(section.figures.cpuSeconds).toBe(total.cpuSeconds);
  expect(section.figures.peakMemoryBytes).toBe(total.peakMemoryBytes);
  expect(section.figures.cpuSeconds).toBeGreaterThan(0);
  expect(section.figures.cpuSeconds).toBeLessThanOrEqual((os.availableParallelism() * section.durationMs) / 1000);
  expect(section.timeline?.cpuCores.some((c) => typeof c === 'number' && c > 0)).toBe(true);
}

function summarize(engine: string, kind: string, section: MetricsSection): void {
  const total = osFigures(section).total;
  const files = section.scrapers['shuffle-files'].details;
  for (const [name, record] of Object.entries(section.scrapers)) {
    const series = record.status === 'ok' ? Object.keys(record.series) : [];
    console.log(`${engine}/${kind} ${name}: ${record.status}${record.status === 'missing' ? ` (${record.reason})` : ''}, ${record.status === 'ok' ? record.t.length : 0} samples, ${record.failedSamples} failed, ${series.length} series e.g. ${series.slice(0, 4).join(' ')}`);
  }
  console.log(`${engine}/${kind}: window ${section.durationMs} ms, total ${JSON.stringify(total)}, files ${JSON.stringify(files)}, overhead ${JSON.stringify(section.overhead)}`);
}

describe.each(runtimes)('metrics on real engines (%s runtime)', (kind) => {
  let opened: OpenedRuntime;
  const runId = newRunId();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-metrics-${kind}-`));

  beforeAll(async () => {
    opened = await openRuntime({ choice: kind, runId, runDir, distributions: ['spark', 'flink'] });
  }, 1_800_000);

  afterAll(async () => {
    await opened?.close();
    expect(listRecorded({ runId })).toEqual([]);
  });

  it('spark: CPU-seconds, peak memory, shuffle bytes from the event log, file watch', async () => {
    await using cluster = await startCluster('spark', opened, { budget, startTimeoutMs: 180_000, settings: sparkMetricsSettings(runDir) });
    const scrapers = sparkScrapers(cluster, runDir);
    const statements = ['SELECT id % 10 AS k, COUNT(*) AS c FROM range(2000000) GROUP BY id % 10 ORDER BY k'];
    const { result, metrics } = await withMetrics(scrapers, 1000, () => cluster.submitSql({ statements, workDir: path.join(runDir, 'shuffle'), printRows: 20, timeoutMs: 300_000 }));
    expect(result.exitCode, result.output.slice(-2000)).toBe(0);
    const section = metricsSectionSchema.parse(JSON.parse(JSON.stringify(metrics)));
    summarize('spark', kind, section);
    expectFiguresConsistent(section);
    const perService = osFigures(section);
    expect(perService.total.cpuSeconds).toBeGreaterThan(0);
    expect(perService.total.peakMemoryBytes).toBeGreaterThan(0);
    expect(perService['spark-worker-1'].cpuSeconds).toBeGreaterThan(0);
    // The driver (spark-submit, exec'd beside the master) is counted with the master.
    expect(perService['spark-master'].cpuSeconds).toBeGreaterThan(1);
    const eventLog = section.scrapers['spark-event-log'];
    expect(eventLog.status, JSON.stringify(eventLog)).toBe('ok');
    const totals = (eventLog.details as { totals: Record<string, number> }).totals;
    console.log(`spark/${kind} event log totals: ${JSON.stringify(totals)}`);
    expect(totals.shuffleWriteBytes).toBeGreaterThan(0);
    expect(section.figures.shuffleWriteBytes).toBe(totals.shuffleWriteBytes);
    expect(totals.executorCpuTimeMs).toBeGreaterThan(0);
    const files = section.scrapers['shuffle-files'];
    expect(files.status).toBe('ok');
    expect(files.details).toMatchObject({ dirs: expect.arrayContaining([expect.stringContaining('spark-worker-1')]) });
    expect((files.details as { polls: number }).polls).toBeGreaterThanOrEqual(2);
  }, 600_000);

  it('flink: CPU-seconds, peak memory, job vertex totals and checkpoints from REST, file watch', async () => {
    await using cluster = await startCluster('flink', opened, { budget, startTimeoutMs: 180_000, settings: flinkMetricsSettings() });
    const session = await cluster.gateway.openSession({ 'execution.runtime-mode': 'batch' });
    await cluster.gateway.execute(session, "CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '1000000', 'rows-per-second' = '1000000000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000000')");
    await cluster.gateway.execute(session, "CREATE TABLE snk (k BIGINT, c BIGINT) WITH ('connector' = 'blackhole')");
    const scrapers = flinkScrapers(cluster);
    const { result, metrics } = await withMetrics(scrapers, 1000, async () => {
      const { jobId } = await cluster.gateway.execute(session, 'INSERT INTO snk SELECT id % 10, COUNT(*) FROM src GROUP BY id % 10', { timeoutMs: 300_000 });
      return cluster.rest.waitForJob(jobId!, 300_000);
    });
    await cluster.gateway.closeSession(session);
    expect(result?.state).toBe('FINISHED');
    const section = metricsSectionSchema.parse(JSON.parse(JSON.stringify(metrics)));
    summarize('flink', kind, section);
    expectFiguresConsistent(section);
    const perService = osFigures(section);
    expect(perService.total.cpuSeconds).toBeGreaterThan(0);
    expect(perService.total.peakMemoryBytes).toBeGreaterThan(0);
    expect(perService['flink-taskmanager-1'].cpuSeconds).toBeGreaterThan(0);
    const rest = section.scrapers['flink-rest'];
    expect(rest.status, JSON.stringify(rest).slice(0, 1000)).toBe('ok');
    const details = rest.details as { shuffleWriteBytes: number; jobs: { state: string; totals: { writeRecords: number } }[] };
    console.log(`flink/${kind} REST: ${JSON.stringify(details).slice(0, 1500)}`);
    expect(details.jobs).toHaveLength(1);
    expect(details.jobs[0].state).toBe('FINISHED');
    expect(details.shuffleWriteBytes).toBeGreaterThan(0);
    expect(section.figures.shuffleWriteBytes).toBe(details.shuffleWriteBytes);
    // The job was seen running live. Vertex rates (<job>/v<index>/<metric>.<agg>) appear only once the
    // JobManager's metric fetcher has them, which a 5 s job under load may not give: logged, not asserted.
    expect(rest.status === 'ok' && rest.series.jobs_running.includes(1)).toBe(true);
    console.log(`flink/${kind} live vertex series: ${rest.status === 'ok' ? Object.keys(rest.series).filter((k) => k.includes('/v')).length : 0}`);
    const files = section.scrapers['shuffle-files'];
    expect(files.status).toBe('ok');
    expect((files.details as { polls: number }).polls).toBeGreaterThanOrEqual(2);

    // Sampler overhead against an idle cluster, at the default and at a fast interval.
    for (const intervalMs of [1000, 250]) {
      const { metrics: idle } = await withMetrics(flinkScrapers(cluster), intervalMs, () => new Promise((r) => setTimeout(r, 10_000)));
      console.log(`sampler overhead flink/${kind} at ${intervalMs} ms: ${JSON.stringify(idle.overhead)}`);
      if (intervalMs === 1000) expect(idle.overhead.fractionOfOneCore).toBeLessThan(0.05);
    }
  }, 600_000);
});
