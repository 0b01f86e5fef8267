// A full disk under `bench run` (issue 19): results and reports on a real 300 KiB file system
// (a size-limited tmpfs). The run's two DuckDB measurements fit in results.json; the report
// (~850 KiB) does not. The user gets one line — the path, the operation, what results.json
// kept, that the report was not written, what to do — exit 1, no stack unless --debug.
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { ResultsStore } from '../results/store.ts';
import { canMountTmpfs, mountSmallDisk, type SmallDisk } from '../small-disk.ts';

const BIN = path.join(REPO_ROOT, 'bin/bench.js');

describe.skipIf(!canMountTmpfs)('bench run on a full disk (a 300 KiB tmpfs for results and reports)', () => {
  let disk: SmallDisk;
  beforeAll(() => {
    disk = mountSmallDisk(300);
  });
  afterAll(() => disk?.unmount());

  const run = (...extra: string[]) =>
    execa('node', [BIN, ...extra, 'run', '--engines', 'duckdb', '--workloads', 'topn,wordcount', '--scale', 'tiny', '--repeat', '1', '--warmups', '0'], {
      reject: false,
      cwd: REPO_ROOT,
      env: { BENCH_RESULTS_DIR: path.join(disk.dir, 'results'), BENCH_REPORTS_DIR: path.join(disk.dir, 'reports'), BENCH_LOG: 'warn' },
    });
  const runIdOf = (stderr: string) => /^run (\d{8}-\d{6}-[0-9a-f]{4})/m.exec(stderr)![1]!;

  it('says in one line what failed and what survived, exits 1, and results.json is valid and complete', async () => {
    const result = await run();
    const runId = runIdOf(result.stderr);
    const resultsFile = path.join(disk.dir, 'results', runId, 'results.json');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `error: could not write ${path.join(disk.dir, 'reports', runId, 'index.html')}: no space left on device (ENOSPC); ` +
        `${resultsFile} is complete with 2 measurements; the report was not written (free space there, then run \`npx bench report ${runId}\`)`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    const document = ResultsStore.load(resultsFile);
    expect(document.status).toBe('completed');
    expect(document.measurements.map((m) => [m.workload, m.engine, m.status])).toEqual([
      ['topn', 'duckdb', 'completed'],
      ['wordcount', 'duckdb', 'completed'],
    ]);
  }, 120_000);

  it('--debug adds the stack trace and its causes', async () => {
    const result = await run('--debug');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('the report was not written');
    expect(result.stderr).toMatch(/^FileSystemError: could not write .*index\.html/m);
    expect(result.stderr).toMatch(/^caused by: Error: ENOSPC: no space left on device, write/m);
    expect(result.stderr).toMatch(/^\s+at .*write-report\.ts/m);
  }, 120_000);
});
