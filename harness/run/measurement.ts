// Who a measurement is about (workload × engine × mode × scale × parameters × submission path),
// and the records the runner writes when a unit could not produce its own: the one place a
// failed, interrupted or unsupported measurement is built.
import type { Measurement, MeasurementIdentity } from '../results/schema.ts';

export type { MeasurementIdentity } from '../results/schema.ts';

const firstLine = (text: string) => text.split('\n')[0]!.trim() || text.trim() || '(no message)';

export function failedMeasurement(identity: MeasurementIdentity, reason: string, extra: { logExcerpt?: string; finishedAt?: string } = {}): Measurement {
  return {
    ...identity,
    status: 'failed',
    reason: firstLine(reason),
    ...(extra.logExcerpt !== undefined || reason.includes('\n') ? { logExcerpt: extra.logExcerpt ?? reason } : {}),
    finishedAt: extra.finishedAt ?? new Date().toISOString(),
  };
}

export function interruptedMeasurement(identity: MeasurementIdentity, reason: string): Measurement {
  return { ...identity, status: 'interrupted', reason, finishedAt: new Date().toISOString() };
}

export function unsupportedMeasurement(identity: MeasurementIdentity, reason: string): Measurement {
  return { ...identity, status: 'unsupported', reason, finishedAt: new Date().toISOString() };
}
