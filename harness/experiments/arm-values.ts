// What an arm measured, as the verdict needs it: per workload, the metric's values (every
// repetition's for wall/engine time, the one figure of the measurement's metrics otherwise),
// or why there is none. Pure: results documents in, values out.
import { isMissing, type Measurement, type ResultsDocument } from '../results/schema.ts';
import type { ArmValues } from './verdict.ts';
import type { ExperimentArm, MetricId } from './experiment-spec.ts';

/** The arm's measurement of a workload: its engine's, on the arm's path when it names one (a path id, or a family). */
export function armMeasurement(document: ResultsDocument, arm: ExperimentArm, workload: string): Measurement | undefined {
  return document.measurements.find(
    (m) => m.mode === 'batch' && m.workload === workload && m.engine === arm.engine && (arm.submission === undefined || m.submission?.path === arm.submission || m.submission?.family === arm.submission),
  );
}

export function armValues(document: ResultsDocument | undefined, arm: ExperimentArm, workload: string, metric: MetricId): ArmValues {
  if (!document) return { missing: 'the arm produced no results document' };
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
  const perRepetition = m.repetitions.map((r) => r.figures?.[metric]);
  if (perRepetition.every((f): f is number => typeof f === 'number')) return { values: perRepetition };
  const figure = m.metrics?.figures[metric];
  if (!m.metrics) return { missing: 'no metrics were sampled for this measurement (--no-metrics, or its submission path has no scrapers)' };
  if (figure === undefined) return { missing: `${metric} is not measured on ${arm.engine}` };
  if (isMissing(figure)) return { missing: `${metric}: ${figure.reason}` };
  return { values: [figure] };
}
