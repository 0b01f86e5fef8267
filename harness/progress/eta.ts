// Pure parts of the live progress: the ETA from the units finished so far, and how durations
// and byte counts are written. Exact-number tests in progress.test.ts.

/**
 * Milliseconds left, estimated from the mean duration of the units finished so far: the units
 * not yet started take a mean each, the running one a mean less what it has already run (not
 * below 0). Undefined before any unit finished: there is nothing honest to estimate from.
 */
export function estimateRemainingMs(finishedDurationsMs: readonly number[], totalUnits: number, runningElapsedMs?: number): number | undefined {
  if (finishedDurationsMs.length === 0) return undefined;
  const mean = finishedDurationsMs.reduce((sum, d) => sum + d, 0) / finishedDurationsMs.length;
  const left = Math.max(0, totalUnits - finishedDurationsMs.length);
  if (runningElapsedMs === undefined || left === 0) return mean * left;
  return Math.max(0, mean - runningElapsedMs) + mean * (left - 1);
}

/** 42_000 → '0:42', 3_723_000 → '1:02:03' (whole seconds, rounded down). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** '450.1 MiB' */
export function formatMiB(bytes: number): string {
  return `${mib(bytes)} MiB`;
}

/** '120.3 of 450.1 MiB (26 %)' (the percentage rounded down: 100 % only when all arrived) */
export function formatBytesOf(received: number, total: number): string {
  const percent = total > 0 ? Math.floor((received / total) * 100) : 100;
  return `${mib(received)} of ${mib(total)} MiB (${percent} %)`;
}
