import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { ResultsStore } from '../results/store.ts';
import type { Measurement, ResultsDocument } from '../results/schema.ts';
import { armValues, armValuesOver } from './arm-values.ts';
import type { Experiment } from './experiment-spec.ts';
import { armRunArgs, experimentResult } from './run-experiment.ts';
import { claimsSection } from './claims-section.ts';
import { streamingDocument, streamingMeasurement } from '../report/test-fixtures.ts';
import { cellText } from '../report/model.ts';

const REAL_BATCH = path.join(REPO_ROOT, 'harness/report/testdata/real-batch-20261122-034422-57ab.json');

/** The real batch document with the given wall times per engine on topn (other workloads dropped). */
function documentWith(walls: Record<string, number[]>, extra: Partial<Record<string, Partial<Measurement>>> = {}): ResultsDocument {
  const document = ResultsStore.load(REAL_BATCH);
  return {
    ...document,
    measurements: document.measurements
      .filter((m) => m.workload === 'topn' && walls[m.engine])
      .map((m) => {
        if (m.status !== 'completed') return m;
        const repetitions = walls[m.engine]!.map((wallMs, index) => ({ ...m.repetitions[0]!, index, wallMs, figures: { cpuSeconds: wallMs / 1000 } }));
        return { ...m, repetitions, ...(extra[m.engine] ?? {}) } as Measurement;
      }),
  };
}

const experiment: Experiment = {
  id: 'cpu',
  dir: '/x',
  file: '/x/experiment.yaml',
  spec: {
    id: 'cpu',
    claim: 'Flink: 30–50 % more CPU',
    source: 'seed 000',
    mode: 'batch',
    workloads: ['topn'],
    metric: 'cpuSeconds',
    arms: [
      { id: 'flink', engine: 'flink', settings: {}, options: {} },
      { id: 'spark', engine: 'spark', settings: { 'spark.sql.adaptive.enabled': 'false' }, options: {} },
    ],
    verdict: { kind: 'ratio', numerator: 'flink', denominator: 'spark', supported: [1.3, 1.5] },
    forms: { quick: { scale: 'tiny', repeat: 4, warmups: 1 }, full: { scale: 'small', repeat: 5, warmups: 1 } },
    needs: 'little',
  },
};
const times = { startedAt: '2026-12-02T13:00:00.000Z', finishedAt: '2026-12-02T13:10:00.000Z' };

describe('arm runs and values', () => {
  it("one arm's bench run: the form, engine, settings as --engine-setting, no report, then the user's cluster flags", () => {
    expect(armRunArgs(experiment, experiment.spec.arms[1]!, experiment.spec.forms.quick, ['--runtime', 'local'])).toEqual([
      'run', '--mode', 'batch', '--engines', 'spark', '--workloads', 'topn', '--scale', 'tiny', '--repeat', '4', '--warmups', '1',
      '--engine-setting', 'spark:spark.sql.adaptive.enabled=false', '--no-report', '--runtime', 'local',
    ]);
  });

  it('values per repetition: wall, engine, and a figure when every repetition has one', () => {
    const document = documentWith({ flink: [4000, 4200] });
    const arm = experiment.spec.arms[0]!;
    expect(armValues(document, arm, 'topn', 'wallMs')).toEqual({ values: [4000, 4200] });
    expect(armValues(document, arm, 'topn', 'cpuSeconds')).toEqual({ values: [4, 4.2] });
    expect(armValues(document, arm, 'multijoin', 'wallMs')).toEqual({ missing: `no multijoin measurement on flink in run ${document.runId}` });
    expect(armValues(undefined, arm, 'topn', 'wallMs')).toEqual({ missing: 'the arm produced no results document' });
    expect(armValues(document, { ...arm, submission: 'flink-application' }, 'topn', 'wallMs')).toMatchObject({ missing: expect.stringContaining('(flink-application)') });
    const twoPaths = { ...document, measurements: [...document.measurements, ...document.measurements.map((m) => ({ ...m, submission: { path: 'flink-application', family: 'job' as const } }))] };
    expect(armValues(twoPaths, arm, 'topn', 'wallMs')).toEqual({ missing: "topn on flink was measured on 2 paths (flink-gateway, flink-application): name one with the arm's submission" });
    expect(armValues(twoPaths, { ...arm, submission: 'job' }, 'topn', 'wallMs')).toEqual({ values: [4000, 4200] });
  });
});

describe('experimentResult and the Claims checked section', () => {
  it('judges from the documents: flink 14.0–14.6 s of CPU against spark 10.0–10.3 s is supported (p = 0.029)', () => {
    const flinkRun = documentWith({ flink: [14000, 14200, 14400, 14600] });
    const sparkRun = documentWith({ spark: [10000, 10100, 10200, 10300] });
    const result = experimentResult(
      experiment,
      'quick',
      [
        { arm: experiment.spec.arms[0]!, runs: [{ runId: 'run-f', exitCode: 0, document: flinkRun }] },
        { arm: experiment.spec.arms[1]!, runs: [{ runId: 'run-s', exitCode: 0, document: sparkRun }] },
      ],
      times,
    );
    expect(result.verdict).toBe('supported');
    expect(result.why).toBe('supported on every workload (topn)');
    expect(result.workloads[0]!.values).toEqual({ flink: [14, 14.2, 14.4, 14.6], spark: [10, 10.1, 10.2, 10.3] });
    expect(result.workloads[0]!.ratio).toBeCloseTo(14.3 / 10.15, 12);
    const section = claimsSection([result]);
    const table = section.blocks.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && table.table.rows.map((row) => row.map(cellText))).toEqual([
      ['cpu', 'Flink: 30–50 % more CPU', 'seed 000', 'quick: scale tiny × 4 repetitions', 'supported', 'supported on every workload (topn)', 'flink: run-f, spark: run-s'],
    ]);
    const chart = section.blocks.find((b) => b.kind === 'chart');
    expect(chart?.kind === 'chart' && chart.chart.table.rows.map((row) => row.map(cellText))).toEqual([
      ['topn', '1.41', '1.36–1.46', '0.029', 'supported', 'flink/spark = 1.41 (spread 1.36–1.46, p = 0.029) is in [1.3, 1.5]'],
    ]);
  });

  it('an arm that did not run leaves its workloads inconclusive, saying so', () => {
    const result = experimentResult(experiment, 'quick', [
      { arm: experiment.spec.arms[0]!, runs: [{ runId: null, exitCode: null }] },
      { arm: experiment.spec.arms[1]!, runs: [{ runId: 'run-s', exitCode: 0, document: documentWith({ spark: [10000] }) }] },
    ], times);
    expect(result.verdict).toBe('inconclusive');
    expect(result.workloads[0]!.why).toBe('no value to compare (flink: the arm produced no results document)');
    expect(result.arms[0]).toEqual({ id: 'flink', engine: 'flink', settings: {}, runs: [{ runId: null, exitCode: null }] });
  });
});

describe('streaming arms: one steady-state figure per run', () => {
  const arm = { id: 'often', engine: 'flink-rocksdb', settings: {}, options: { 'checkpoint-interval': '200ms' } };
  const runWith = (p99: number) => ({ ...streamingDocument(), measurements: [streamingMeasurement('flink-rocksdb', 'passthrough', 40000, p99)] });

  it("gathers each run's p50 or p99; a run without one makes the arm missing, naming the run", () => {
    expect(armValuesOver([runWith(80), runWith(96), runWith(88)], arm, 'passthrough', 'latencyP99Ms')).toEqual({ values: [80, 96, 88] });
    expect(armValuesOver([runWith(80), runWith(96)], arm, 'passthrough', 'latencyP50Ms')).toEqual({ values: [20, 24] });
    expect(armValuesOver([runWith(80), undefined], arm, 'passthrough', 'latencyP99Ms')).toEqual({ missing: 'run 2 of 2: the arm produced no results document' });
    expect(armValuesOver([], arm, 'passthrough', 'latencyP99Ms')).toEqual({ missing: 'the arm did not run' });
    const unsupported = streamingDocument();
    expect(armValuesOver([unsupported], { ...arm, engine: 'spark-continuous' }, 'passthrough', 'latencyP99Ms')).toEqual({ missing: 'passthrough on spark-continuous unsupported: Continuous trigger needs a Kafka sink with exactly-once off' });
  });
});
