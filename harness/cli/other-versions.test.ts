// Every locked engine version passes the smoke path, not only the defaults the rest of the
// suite runs: `bench smoke` with --spark-version / --flink-version set to the non-default
// locked versions, on the local runtime, as a user would run it (real engines).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLock } from '../distributions/lock.ts';
import { REPO_ROOT } from '../paths.ts';

const lock = loadLock();
const nonDefault = (name: 'spark' | 'flink') => lock.distributions[name].versions.map((v) => v.version).find((v) => v !== lock.distributions[name].default);
const spark = nonDefault('spark');
const flink = nonDefault('flink');
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-other-versions-'));
afterAll(() => fs.rmSync(resultsDir, { recursive: true, force: true }));

describe('the non-default locked versions', () => {
  it.runIf(spark !== undefined || flink !== undefined)(`pass \`bench smoke\` (spark ${spark ?? 'default'}, flink ${flink ?? 'default'})`, async () => {
    const args = ['smoke', '--runtime', 'local', ...(spark ? ['--spark-version', spark] : []), ...(flink ? ['--flink-version', flink] : [])];
    const result = await execa('node', [path.join(REPO_ROOT, 'bin/bench.js'), ...args], {
      reject: false,
      all: true,
      env: { BENCH_RESULTS_DIR: resultsDir, BENCH_SPARK_VERSION: '', BENCH_FLINK_VERSION: '' },
      timeout: 15 * 60_000,
    });
    expect(result.exitCode, result.all).toBe(0);
    const kafka = lock.distributions.kafka.default;
    expect(result.all).toContain(`versions: spark ${spark ?? lock.distributions.spark.default} (${spark ? '--spark-version' : 'default'}), flink ${flink ?? lock.distributions.flink.default} (${flink ? '--flink-version' : 'default'}), kafka ${kafka} (default)`);
    expect(result.stdout).toMatch(/^ok {3}spark .* spark-submit answered \[499500,1000\]/m);
    expect(result.stdout).toMatch(/^ok {3}flink .* SQL Gateway answered \[499500,1000\]/m);
    expect(result.stdout).toMatch(/^smoke passed on local /m);
    // The run used the asked-for homes.
    if (spark) expect(result.all).toMatch(new RegExp(`dist/spark-${spark.replaceAll('.', '\\.')}-[0-9a-f]{8}/`));
    if (flink) expect(result.all).toMatch(new RegExp(`dist/flink-${flink.replaceAll('.', '\\.')}-[0-9a-f]{8}/`));
  }, 20 * 60_000);
});
