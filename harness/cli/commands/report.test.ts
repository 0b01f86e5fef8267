// `bench report` as a user runs it: from a run id, a run directory, a directory of runs or a
// history (--history DIR, last N runs).
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type StartedMinio } from '../../objectstore/start-minio.ts';
import { REPO_ROOT } from '../../paths.ts';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { olderBatchDocument } from '../../report/test-fixtures.ts';
import type { ResultsDocument } from '../../results/schema.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-report-cli-'));
const resultsDir = path.join(root, 'results');
const reportsDir = path.join(root, 'reports');
for (const document of [exampleDocument(), olderBatchDocument()]) {
  mkdirSync(path.join(resultsDir, document.runId), { recursive: true });
  writeFileSync(path.join(resultsDir, document.runId, 'results.json'), JSON.stringify(document));
}
const bench = (args: string[]) =>
  execa('node', [path.join(REPO_ROOT, 'bin/bench.js'), ...args], { reject: false, env: { BENCH_RESULTS_DIR: resultsDir, BENCH_REPORTS_DIR: reportsDir, BENCH_LOG: 'warn' } });

afterAll(() => rmSync(root, { recursive: true, force: true }));

// A history of three runs made from a real run's document: its topn measurements only, with
// other run ids, start times and medians (test data, not measurements).
const REAL_BATCH = path.join(REPO_ROOT, 'harness/report/testdata/real-batch-20261122-034422-57ab.json');
const historyDir = path.join(root, 'history');
const HISTORY = [
  { runId: '20261120-030000-h001', startedAt: '2026-11-20T03:00:00.000Z', medianMs: { spark: 44000, flink: 5000, duckdb: 11 } },
  { runId: '20261121-030000-h002', startedAt: '2026-11-21T03:00:00.000Z', medianMs: { spark: 42500, flink: 4500, duckdb: 10 } },
  { runId: '20261122-030000-h003', startedAt: '2026-11-22T03:00:00.000Z', medianMs: { spark: 41966, flink: 4157, duckdb: 9 } },
] as const;
for (const run of HISTORY) {
  const document = JSON.parse(readFileSync(REAL_BATCH, 'utf8')) as ResultsDocument;
  document.runId = run.runId;
  document.startedAt = run.startedAt;
  document.finishedAt = run.startedAt.replace('T03:00', 'T03:06');
  document.measurements = document.measurements
    .filter((m) => m.workload === 'topn')
    .map((m) => (m.status === 'completed' ? { ...m, statistics: { ...m.statistics, wallMs: { ...m.statistics.wallMs, median: run.medianMs[m.engine as 'spark'] } } } : m));
  mkdirSync(path.join(historyDir, run.runId), { recursive: true });
  writeFileSync(path.join(historyDir, run.runId, 'results.json'), JSON.stringify(document));
}
/** The fixture is a v1 file: each engine's measurements read as its only old path. */
const SERIES = { spark: 'spark (spark-submit)', flink: 'flink (flink-gateway)', duckdb: 'duckdb (duckdb-in-process)' } as const;
const trendRows = (runs: readonly (typeof HISTORY)[number][], currentRunId: string) =>
  runs.flatMap((run) =>
    (['spark', 'flink', 'duckdb'] as const).map((engine) => ({ runId: run.runId, workload: 'topn @ scale tiny', engine, series: SERIES[engine], medianS: run.medianMs[engine] / 1000, current: run.runId === currentRunId, versions: 'flink 2.2.1, spark 4.1.1', versionChange: null })),
  );
const trendSpec = (out: string) => JSON.parse(readFileSync(path.join(out, 'specs', 'trends.vl.json'), 'utf8')) as { data: { values: unknown[] }; title: { subtitle: string } };

describe('bench report', () => {
  it('writes reports/<run-id>/index.html and specs/ for a run id', async () => {
    const { exitCode, stdout, stderr } = await bench(['report', '20261122-031500-ab12']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const html = path.join(reportsDir, '20261122-031500-ab12', 'index.html');
    expect(stdout).toMatch(new RegExp(`^report: ${html} \\(\\d+ KiB; 3 chart spec\\(s\\) in specs/ beside it; \\d+ ms\\)$`)); // execa strips the final newline
    expect(readdirSync(path.join(reportsDir, '20261122-031500-ab12', 'specs'))).toEqual(['batch-time-split.vl.json', 'batch-time.vl.json', 'support-matrix.vl.json']);
    expect(readFileSync(html, 'utf8')).toContain('Spark vs Flink benchmark — run 20261122-031500-ab12');
  });

  it('adds the trend across runs for a directory of runs, reporting on the newest', async () => {
    const out = path.join(root, 'custom');
    const { exitCode } = await bench(['report', resultsDir, '--out', out]);
    expect(exitCode).toBe(0);
    expect(existsSync(path.join(out, 'specs', 'trends.vl.json'))).toBe(true);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('run 20261122-031500-ab12');
  });

  it('--history DIR: trends across its runs, the newest highlighted and reported on', async () => {
    const out = path.join(root, 'history-all');
    const { exitCode, stderr } = await bench(['report', '--history', historyDir, '--out', out]);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const spec = trendSpec(out);
    expect(spec.data.values).toEqual(trendRows(HISTORY, '20261122-030000-h003'));
    expect(spec.title.subtitle).toBe('current run: 20261122-030000-h003');
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Spark vs Flink benchmark — run 20261122-030000-h003');
  });

  it('--history DIR --limit 2: only the last two runs', async () => {
    const out = path.join(root, 'history-last-two');
    const { exitCode } = await bench(['report', '--history', historyDir, '--limit', '2', '--out', out]);
    expect(exitCode).toBe(0);
    expect(trendSpec(out).data.values).toEqual(trendRows(HISTORY.slice(1), '20261122-030000-h003'));
  });

  it('a run given with --history is the current run, even when older than the history', async () => {
    const { exitCode } = await bench(['report', path.join(historyDir, '20261120-030000-h001'), '--history', historyDir, '--limit', '2']);
    expect(exitCode).toBe(0);
    const out = path.join(reportsDir, '20261120-030000-h001');
    expect(trendSpec(out).data.values).toEqual(trendRows(HISTORY, '20261120-030000-h001'));
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Spark vs Flink benchmark — run 20261120-030000-h001');
  });

  it('refuses an empty history and no runs at all, saying what to give', async () => {
    const empty = path.join(root, 'empty-history');
    mkdirSync(empty);
    const noRuns = await bench(['report', '--history', empty]);
    expect(noRuns.exitCode).toBe(2);
    expect(noRuns.stderr).toBe(`error: ${empty} holds no runs (\`npx bench history ${empty}\` lists what is there)`);
    const nothing = await bench(['report']);
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toBe('error: name at least one run id or results directory, or --history s3://bucket/prefix|DIR (e.g. `npx bench report 20261122-031500-ab12`)');
  });

  it('names what it could not find', async () => {
    const { exitCode, stderr } = await bench(['report', 'no-such-run']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe(`error: No results found for "no-such-run": it is neither a directory or file nor a run id under ${resultsDir}`);
  });
});

describe('bench report --history s3://… (a real MinIO)', () => {
  let minio: StartedMinio;
  const target = 's3://bench-report-history/nightly';
  const s3Bench = (args: string[]) =>
    execa('node', [path.join(REPO_ROOT, 'bin/bench.js'), ...args], {
      reject: false,
      env: {
        BENCH_LOG: 'warn',
        BENCH_RESULTS_DIR: historyDir,
        BENCH_REPORTS_DIR: reportsDir,
        AWS_ACCESS_KEY_ID: minio.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: minio.credentials.secretAccessKey,
        AWS_REGION: minio.region,
        AWS_ENDPOINT_URL: minio.endpoint,
      },
    });

  beforeAll(async () => {
    minio = await startMinio({ runDir: path.join(root, 'minio') });
    await minio.createBucket('bench-report-history');
    for (const run of HISTORY) {
      const published = await s3Bench(['publish', run.runId, target]);
      expect([published.exitCode, published.stderr]).toEqual([0, '']);
    }
  });

  afterAll(async () => {
    await minio?.stop();
  });

  it('draws the trend across the last N published runs, the newest highlighted', async () => {
    const out = path.join(root, 'history-s3');
    const { exitCode, stderr } = await s3Bench(['report', '--history', target, '--limit', '2', '--out', out]);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(trendSpec(out).data.values).toEqual(trendRows(HISTORY.slice(1), '20261122-030000-h003'));
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('Spark vs Flink benchmark — run 20261122-030000-h003');
  });
});
