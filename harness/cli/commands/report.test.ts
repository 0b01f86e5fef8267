// `bench report` as a user runs it: from a run id, a run directory or a directory of runs.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../paths.ts';
import { exampleDocument } from '../../results/test-fixtures.ts';
import { olderBatchDocument } from '../../report/test-fixtures.ts';

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

describe('bench report', () => {
  it('writes reports/<run-id>/index.html and specs/ for a run id', async () => {
    const { exitCode, stdout, stderr } = await bench(['report', '20261122-031500-ab12']);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const html = path.join(reportsDir, '20261122-031500-ab12', 'index.html');
    expect(stdout).toMatch(new RegExp(`^report: ${html} \\(\\d+ KiB; 2 chart spec\\(s\\) in specs/ beside it; \\d+ ms\\)$`)); // execa strips the final newline
    expect(readdirSync(path.join(reportsDir, '20261122-031500-ab12', 'specs'))).toEqual(['batch-time.vl.json', 'support-matrix.vl.json']);
    expect(readFileSync(html, 'utf8')).toContain('Spark vs Flink benchmark — run 20261122-031500-ab12');
  });

  it('adds the trend across runs for a directory of runs, reporting on the newest', async () => {
    const out = path.join(root, 'custom');
    const { exitCode } = await bench(['report', resultsDir, '--out', out]);
    expect(exitCode).toBe(0);
    expect(existsSync(path.join(out, 'specs', 'trends.vl.json'))).toBe(true);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('run 20261122-031500-ab12');
  });

  it('names what it could not find', async () => {
    const { exitCode, stderr } = await bench(['report', 'no-such-run']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe(`error: No results found for "no-such-run": it is neither a directory or file nor a run id under ${resultsDir}`);
  });
});
