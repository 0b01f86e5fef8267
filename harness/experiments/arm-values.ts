// What an arm measured, as the verdict needs it: per workload, the metric's values (every
// repetition's for wall/engine time, the one figure of the measurement's metrics otherwise;
// streaming: one steady-state figure per run of the arm), or why there is none. Pure: results
// documents in, values out.
import { isMissing, type Measurement, type ResultsDocument } from '../results/schema.ts';
import type { ArmValues } from './verdict.ts';
import { METRICS, type ExperimentArm, type MetricId } from './experiment-spec.ts';

type StreamingMetric = 'latencyP50Ms' | 'latencyP99Ms';
type BatchFigure = 'cpuSeconds' | 'filesCreated' | 'shuffleWriteBytes' | 'peakMemoryBytes' | 'diskWriteBytes' | 'diskReadBytes';

function streamingValue(document: ResultsDocument, arm: ExperimentArm, workload: string, metric: StreamingMetric): ArmValues {
  const m = document.measurements.find((x) => x.mode === 'streaming' && x.workload === workload && x.engine === arm.engine);
  if (!m) return { missing: `no ${workload} measurement on ${arm.engine} in run ${document.runId}` };
  if (m.status !== 'completed') return { missing: `${workload} on ${arm.engine} ${m.status}: ${'reason' in m ? m.reason : ''}`.trim() };
  const latency = m.streaming?.latencyMs;
  if (!latency) return { missing: `${workload} on ${arm.engine} recorded no latency` };
  if (isMissing(latency)) return { missing: `steady-state latency: ${latency.reason}` };
  return { values: [metric === 'latencyP50Ms' ? latency.p50Ms : latency.p99Ms] };
}

/** A batch arm's measurement of a workload: its engine's, on the arm's path when it names one (a path id, or a family). */
export function armMeasurement(document: ResultsDocument, arm: ExperimentArm, workload: string): Measurement | undefined {
  return document.measurements.find(
    (m) => m.mode === 'batch' && m.workload === workload && m.engine === arm.engine && (arm.submission === undefined || m.submission?.path === arm.submission || m.submission?.family === arm.submission),
  );
}

/** Over every run of the arm: batch arms run once; a streaming arm's runs give one value each, and any run without one makes the arm's values missing (naming that run). */
export function armValuesOver(documents: readonly (ResultsDocument | undefined)[], arm: ExperimentArm, workload: string, metric: MetricId): ArmValues {
  if (documents.length === 0) return { missing: 'the arm did not run' };
  const values: number[] = [];
  for (const [index, document] of documents.entries()) {
    const one = armValues(document, arm, workload, metric);
    if ('missing' in one) return documents.length === 1 ? one : { missing: `run ${index + 1} of ${documents.length}: ${one.missing}` };
    values.push(...one.values);
  }
  return { values };
}

export function armValues(document: ResultsDocument | undefined, arm: ExperimentArm, workload: string, metric: MetricId): ArmValues {
  if (!document) return { missing: 'the arm produced no results document' };
  if (METRICS[metric].mode === 'streaming') return streamingValue(document, arm, workload, metric as StreamingMetric);
  // Two paths of one engine are two different things measured: never pick one silently.
  const candidates = document.measurements.filter((x) => x.mode === 'batch' && x.workload === workload && x.engine === arm.engine && (arm.submission === undefined || x.submission?.path === arm.submission || x.submission?.family === arm.submission));
  if (candidates.length > 1) {
    return { missing: `${workload} on ${arm.engine} was measured on ${candidates.length} paths (${candidates.map((x) => x.submission?.path ?? '?').join(', ')}): name one with the arm's submission` };
  }
  const m = armMeasurement(document, arm, workload);
  if (!m) return { missing: `no ${workload} measurement on ${arm.engine}${arm.submission ? ` (${arm.submission})` : ''} in run ${document.runId}` };
  if (m.status !== 'completed') return { missing: `${workload} on ${arm.engine} ${m.status}: ${'reason' in m ? m.reason : ''}`.trim() };
  if (metric === 'wallMs') return { values: m.repetitions.map((r) => r.wallMs) };
  if (metric === 'engineMs') {
    const values = m.repetitions.map((r) => r.engineMs);
    const absent = m.repetitions.find((r) => r.engineMs === null);
    return absent ? { missing: `engine time not reported: ${absent.engineMsMissingReason ?? 'no reason given'}` } : { values: values as number[] };
  }
  // Every repetition's own figure when each has one (spread known); else the measurement's one figure.
  const perRepetition = m.repetitions.map((r) => r.figures?.[metric as BatchFigure]);
  if (perRepetition.every((f): f is number => typeof f === 'number')) return { values: perRepetition };
  const figure = m.metrics?.figures[metric as BatchFigure];
  if (!m.metrics) return { missing: 'no metrics were sampled for this measurement (--no-metrics, or its submission path has no scrapers)' };
  if (figure === undefined) return { missing: `${metric} is not measured on ${arm.engine}` };
  if (isMissing(figure)) return { missing: `${metric}: ${figure.reason}` };
  return { values: [figure] };
}
