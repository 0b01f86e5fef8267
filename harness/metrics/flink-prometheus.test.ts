// Flink's Prometheus reporter on a real cluster: with the metrics settings, the JobManager and the
// TaskManager each expose a reporter port of their own (published on 127.0.0.1 in docker), and
// the scrapers flinkScrapers() adds read known metrics from it with real values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { startCluster } from '../engines/clusters.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { listRecorded } from '../runtime/process-registry.ts';
import { newRunId } from '../results/store.ts';
import { FLINK_PROMETHEUS_PORT } from '../services/flink.ts';
import { withMetrics } from './engine-metrics.ts';
import { flinkMetricsSettings, flinkPrometheusUrls, flinkScrapers } from '../engines/flink/metrics.ts';
import { metricsSectionSchema } from '../results/metrics-section.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 1536 });
const haveDocker = await dockerAvailable();
const runtimes = (['local', 'docker'] as const).filter((kind) => kind === 'local' || haveDocker || process.env.CI);

const lastValue = (values: readonly (number | null)[] | undefined) => values?.filter((v): v is number => v !== null).at(-1);

describe.each(runtimes)('Flink Prometheus reporter (%s runtime)', (kind) => {
  it('JobManager and TaskManager reporters are scraped: registered TaskManagers = 1, TaskManager heap > 0', async () => {
    const runId = newRunId();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-flink-prom-${kind}-`));
    const opened = await openRuntime({ choice: kind, runId, runDir, distributions: ['flink'] });
    try {
      await using cluster = await startCluster('flink', opened, { budget, startTimeoutMs: 180_000, settings: flinkMetricsSettings() });
      const urls = flinkPrometheusUrls(cluster);
      expect(urls).toHaveLength(2);
      // Each process has its own port (the local runtime cannot give both the same one).
      expect(new Set(urls).size).toBe(2);
      for (const service of [cluster.jobManager, ...cluster.taskManagers]) expect(service.spec.ports.map((p) => p.name)).toContain(FLINK_PROMETHEUS_PORT);
      expect(cluster.sqlGateway.spec.ports.map((p) => p.name)).not.toContain(FLINK_PROMETHEUS_PORT);

      const scrapers = flinkScrapers(cluster).filter((s) => s.name.startsWith('flink-prometheus:'));
      expect(scrapers.map((s) => s.name)).toEqual(['flink-prometheus:flink-jobmanager', 'flink-prometheus:flink-taskmanager-1']);
      const { metrics } = await withMetrics(scrapers, 1000, () => new Promise((r) => setTimeout(r, 3000)));
      const section = metricsSectionSchema.parse(JSON.parse(JSON.stringify(metrics)));
      const jm = section.scrapers['flink-prometheus:flink-jobmanager']!;
      const tm = section.scrapers['flink-prometheus:flink-taskmanager-1']!;
      expect(jm.status, JSON.stringify(jm).slice(0, 500)).toBe('ok');
      expect(tm.status, JSON.stringify(tm).slice(0, 500)).toBe('ok');
      if (jm.status !== 'ok' || tm.status !== 'ok') return;
      console.log(`flink prometheus/${kind}: ${urls.join(' ')}; JM series ${Object.keys(jm.series).join(' ')}; TM series ${Object.keys(tm.series).slice(0, 6).join(' ')}…`);
      expect(lastValue(jm.series.flink_jobmanager_numRegisteredTaskManagers)).toBe(1);
      const heap = Object.entries(tm.series).find(([key]) => key.startsWith('flink_taskmanager_Status_JVM_Memory_Heap_Used'));
      expect(heap, Object.keys(tm.series).join(' ')).toBeDefined();
      expect(lastValue(heap![1])).toBeGreaterThan(0);
    } finally {
      await opened.close();
      expect(listRecorded({ runId })).toEqual([]);
    }
  }, 600_000);
});
