// `bench run` as a user runs it, on real engines (local runtime, scale tiny): a complete run
// writes a valid results document and the report; Ctrl-C in the middle of a measurement records
// it as interrupted, exits 130, starts nothing after the interrupt and leaves nothing running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { cleanLocal, listRecorded } from '../runtime/process-registry.ts';
import { ResultsStore } from '../results/store.ts';

const BIN = path.join(REPO_ROOT, 'bin/bench.js');
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-run-results-'));
const reportsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-run-reports-'));
const running: ResultPromise[] = [];
const runIds: string[] = [];

function benchRun(args: string[]): ResultPromise {
  const child = execa('node', [BIN, 'run', '--runtime', 'local', '--scale', 'tiny', ...args], {
    reject: false,
    all: true,
    env: { BENCH_LOG: 'warn', BENCH_RESULTS_DIR: resultsDir, BENCH_REPORTS_DIR: reportsDir },
  });
  running.push(child);
  return child;
}

async function waitForOutput(child: ResultPromise, pattern: RegExp, timeoutMs: number): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${text}`)), timeoutMs);
    child.all!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

function runIdOf(output: string): string {
  const match = /^run (\d{8}-\d{6}-[0-9a-f]+) /m.exec(output);
  if (!match) throw new Error(`no run id in:\n${output}`);
  runIds.push(match[1]!);
  return match[1]!;
}

afterEach(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  for (const runId of runIds.splice(0)) await cleanLocal({ runId });
});

describe('bench run', () => {
  it('flink and duckdb on topn: exit 0, every measurement verified in the results, a report, progress per unit', async () => {
    // Flink's warm path and its cheaper cold one (flink-application has its own test): every family in one run.
    const result = await benchRun(['--engines', 'flink,duckdb', '--workloads', 'topn', '--repeat', '2', '--warmups', '1', '--submission', 'flink-gateway,flink-sql-client,duckdb-in-process']);
    const output = String(result.all ?? '');
    const runId = runIdOf(output);
    expect(result.exitCode, output).toBe(0);
    const document = ResultsStore.load(runId, { resultsDir });
    expect(document.status).toBe('completed');
    expect(document.measurements.map((m) => [m.engine, m.status, m.submission?.family])).toEqual([
      ['flink', 'completed', 'session'],
      ['flink', 'completed', 'client'],
      ['duckdb', 'completed', 'in-process'],
    ]);
    expect(document.provenance.engineSettings.flink?.['execution.runtime-mode']).toBe('batch');
    expect(fs.existsSync(path.join(reportsDir, runId, 'index.html'))).toBe(true);
    expect(result.stderr).toMatch(/^\[1 of 3\] topn on flink \(flink-gateway\): warm-up 1\/1/m);
    expect(result.stderr).toMatch(/^\[2 of 3\] topn on flink \(flink-sql-client\): warm-up 1\/1/m);
    expect(result.stderr).toMatch(/^\[3 of 3\] topn on duckdb \(duckdb-in-process\): completed, median [\d.]+ s in \d+:\d\d · 3 of 3 done/m);
    expect(result.stdout).toContain('results: ');
  }, 600_000);

  it('Ctrl-C during a measurement: exit 130, the measurement interrupted, no cluster started after it, nothing left running', async () => {
    const child = benchRun(['--engines', 'spark,flink', '--workloads', 'multijoin', '--repeat', '3', '--warmups', '1']);
    const before = await waitForOutput(child, /\[1 of \d+\] multijoin on spark \(spark-connect\): warm-up 1\/1/, 300_000);
    const runId = runIdOf(before);
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(60_000);
    const after = String(result.all ?? '').slice(before.length);
    expect(after).not.toMatch(/flink via flink-gateway\] starting/);
    const document = ResultsStore.load(runId, { resultsDir });
    expect(document.status).toBe('interrupted');
    expect(document.measurements.map((m) => [m.engine, m.status, 'reason' in m ? m.reason : ''])).toEqual([['spark', 'interrupted', 'interrupted (Ctrl-C or SIGTERM) while measuring']]);
    expect(listRecorded({ runId })).toEqual([]);
  }, 600_000);
});
