import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where package.json, workloads/ and results/ live). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Cache for downloaded distributions, built rootfs and generated datasets. It survives
 * between runs on one machine; nothing may assume it exists (CI starts without it).
 * BENCH_CACHE_DIR overrides; otherwise $XDG_CACHE_HOME or ~/.cache.
 */
export function cacheDir(): string {
  if (process.env.BENCH_CACHE_DIR) return path.resolve(process.env.BENCH_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'spark-flink-bench');
}

/** Where runs keep their state (logs, configs, pids): results/<run-id>/ by default. */
export function resultsDir(): string {
  return process.env.BENCH_RESULTS_DIR ? path.resolve(process.env.BENCH_RESULTS_DIR) : path.join(REPO_ROOT, 'results');
}

export function reportsDir(): string {
  return process.env.BENCH_REPORTS_DIR ? path.resolve(process.env.BENCH_REPORTS_DIR) : path.join(REPO_ROOT, 'reports');
}

/**
 * Registry of what this tool started (pids, `bench up` records), so reapers and `bench clean`
 * can find leftovers. BENCH_STATE_DIR overrides (e.g. tests that must not see other runs).
 */
export function stateDir(): string {
  return process.env.BENCH_STATE_DIR ? path.resolve(process.env.BENCH_STATE_DIR) : path.join(cacheDir(), 'state');
}
