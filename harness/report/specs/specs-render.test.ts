// Every chart the report can contain compiles with vega-lite without a warning and renders
// to SVG with vega in Node — the cheap check before the real browser test.
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { buildReport, reportCharts } from '../build-report.ts';
import type { Chart } from '../model.ts';
import { batchDocumentWithMetrics, hostileDocument, olderBatchDocument, streamingDocument, streamingDocumentWithHarnessLoad } from '../test-fixtures.ts';

async function renderWarnings(chart: Chart): Promise<{ warnings: string[]; svg: string }> {
  const warnings: string[] = [];
  const record = (level: string) => (...args: unknown[]) => {
    warnings.push(`${level} ${args.map(String).join(' ')}`);
    return logger;
  };
  const logger = { level: () => logger, error: record('error'), warn: record('warn'), info: () => logger, debug: () => logger };
  const compiled = compile(chart.spec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger: logger as never, logLevel: vega.Warn });
  const svg = await view.toSVG();
  view.finalize();
  return { warnings, svg };
}

/** The same document, as if run on another Spark version. */
function withSparkVersion<T extends ReturnType<typeof exampleDocument>>(document: T, version: string): T {
  document.provenance.distributions = document.provenance.distributions.map((d) => (d.name === 'spark' ? { ...d, version } : d));
  return document;
}

const cases = {
  'batch with metrics + older run': [olderBatchDocument(), batchDocumentWithMetrics()],
  'across a Spark upgrade (trend marks the version change)': [withSparkVersion(olderBatchDocument(), '4.1.1'), withSparkVersion(batchDocumentWithMetrics(), '4.2.0')],
  'streaming': [streamingDocument()],
  'streaming with the harness load': [streamingDocumentWithHarnessLoad()],
  'plain batch': [exampleDocument()],
  'hostile strings': [hostileDocument()],
};

describe('every chart renders in vega without warnings', () => {
  for (const [name, documents] of Object.entries(cases)) {
    it(name, async () => {
      const charts = reportCharts(buildReport(documents));
      expect(new Set(charts.map((c) => c.id)).size).toBe(charts.length);
      for (const chart of charts) {
        const { warnings, svg } = await renderWarnings(chart);
        expect({ id: chart.id, warnings }).toEqual({ id: chart.id, warnings: [] });
        expect(svg).toContain('<svg');
      }
    });
  }

  it('the harness-load case does draw the harness-load chart', () => {
    expect(reportCharts(buildReport([streamingDocumentWithHarnessLoad()])).map((c) => c.id)).toContain('streaming-harness-load');
  });

  it('the trend chart draws the version change label', async () => {
    const charts = reportCharts(buildReport([withSparkVersion(olderBatchDocument(), '4.1.1'), withSparkVersion(batchDocumentWithMetrics(), '4.2.0')]));
    const { svg } = await renderWarnings(charts.find((c) => c.id === 'trends')!);
    expect(svg).toContain('spark 4.1.1 → 4.2.0');
  });

  it('the full fixtures produce every kind of chart', () => {
    const ids = [...reportCharts(buildReport([olderBatchDocument(), batchDocumentWithMetrics()])), ...reportCharts(buildReport([streamingDocument()]))].map((c) => c.id);
    expect(ids).toEqual([
      'batch-time',
      'batch-time-split',
      'resource-cpuSeconds',
      'resource-peakMemory',
      'resource-shuffleReadBytes',
      'resource-shuffleWriteBytes',
      'resource-spilledBytes',
      'resource-shuffleSpillFiles',
      'resource-shuffleSpillFileBytes',
      'support-matrix',
      'trends',
      'streaming-latency-percentiles',
      'streaming-latency-cdf',
      'streaming-rate-search',
      'streaming-startup',
      'streaming-time-series-passthrough',
      'streaming-checkpoints-passthrough',
      'resource-cpuSeconds',
      'resource-peakMemory',
      'resource-shuffleWriteBytes',
      'support-matrix',
    ]);
  });
});
