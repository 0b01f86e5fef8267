// For the real-engine streaming tests: one runStreaming on the local runtime in a temp run dir
// (Spark, Flink and Kafka prepared), torn down afterwards, and a one-line summary per
// measurement for the test log.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resourceBudget } from '../config/budget.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { ResultsStore, newRunId } from '../results/store.ts';
import { exampleRun } from '../results/test-fixtures.ts';
import { isMissing, type Measurement } from '../results/schema.ts';
import type { LatencySummaryRecord, StreamingSection } from '../results/streaming-section.ts';
import { runStreaming, type StreamingRunOptions } from './run-streaming.ts';

export type LocalStreamingOptions = Omit<StreamingRunOptions, 'store' | 'opened' | 'budget' | 'startTimeoutMs'>;

export async function runLocalStreaming(options: LocalStreamingOptions): Promise<{ measurements: Measurement[]; file: string }> {
  const runId = newRunId();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-streaming-test-'));
  const opened = await openRuntime({ choice: 'local', runId, runDir, distributions: ['spark', 'flink', 'kafka'] });
  try {
    const store = ResultsStore.create(runId, { run: { ...exampleRun(), mode: 'streaming' }, resultsDir: path.join(runDir, 'results') });
    const measurements = await runStreaming({ ...options, store, opened, budget: resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 }), startTimeoutMs: 240_000 });
    for (const m of measurements) console.log(describeMeasurement(m));
    return { measurements, file: store.file };
  } finally {
    await opened.close();
  }
}

function describeMeasurement(m: Measurement): string {
  const s = m.streaming as { latencyMs?: { p50Ms?: number; p99Ms?: number; count?: number }; drain?: { finalStateRows: number; expectedRows: number } } | undefined;
  const figures = s?.latencyMs?.p50Ms !== undefined && s.drain ? ` p50 ${s.latencyMs.p50Ms} ms, p99 ${s.latencyMs.p99Ms} ms, ${s.latencyMs.count} rows, final state ${s.drain.finalStateRows}/${s.drain.expectedRows}` : '';
  return `${m.engine} ${m.workload}: ${m.status}${'reason' in m ? ` (${m.reason})` : ''}${figures}`;
}

/**
 * The latency a short test run measured: the steady window's, or — when the run was too short
 * for the engine's start-up backlog to drain (METHOD rule 16: then the steady-state latency is
 * missing with that reason) — the start-up's, measured from the generation start. Throws with
 * the reason when neither exists.
 */
export function measuredLatency(s: StreamingSection): { latency: LatencySummaryRecord; fromMs: number; steady: boolean } {
  if (!isMissing(s.latencyMs)) return { latency: s.latencyMs, fromMs: s.window.fromMs, steady: true };
  const startup = s.startup?.latencyMs;
  if (s.steadyState?.reached === false && startup && !isMissing(startup)) return { latency: startup, fromMs: s.generator.startedAtMs, steady: false };
  throw new Error(`latency missing: ${s.latencyMs.reason}`);
}
