// Publish → list → fetch back → compare, against a real MinIO started through the local
// runtime (harness/objectstore), driven through the CLI as a user (and the nightly job) would.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinio, type StartedMinio } from '../objectstore/start-minio.ts';
import { REPO_ROOT } from '../paths.ts';
import type { ResultsDocument } from '../results/schema.ts';
import { ResultsStore } from '../results/store.ts';
import { completed, exampleDocument } from '../results/test-fixtures.ts';
import { listRuns, loadRecentRuns, loadRun } from './load-runs.ts';

// Synthetic timings (ms); nothing here pretends to come from an engine.
const BASELINE_MS = [1000, 1010, 990, 1005, 995];

let minio: StartedMinio;
let admin: S3Client;
let work: string;
let resultsDir: string;
let reportsDir: string;
const bucket = `bench-${randomBytes(4).toString('hex')}`;
const target = `s3://${bucket}/nightly`;

function writeRun(runId: string, startedAt: string, factor: number, patch: (d: ResultsDocument) => void = () => {}): string {
  const document: ResultsDocument = {
    ...exampleDocument(),
    runId,
    startedAt,
    finishedAt: startedAt.replace('03:15', '03:45'),
    measurements: [
      completed('spark', 'topn', BASELINE_MS.map((ms) => ms * factor), null),
      completed('flink', 'topn', BASELINE_MS, BASELINE_MS),
    ],
  };
  patch(document);
  fs.mkdirSync(path.join(resultsDir, runId), { recursive: true });
  fs.writeFileSync(path.join(resultsDir, runId, 'results.json'), `${JSON.stringify(document, null, 2)}\n`);
  ResultsStore.load(runId, { resultsDir }); // the fixture must be a valid document
  return runId;
}

function bench(args: string[], credentials = minio.credentials) {
  return execa('node', [path.join(REPO_ROOT, 'bin/bench.js'), ...args], {
    reject: false,
    env: {
      BENCH_LOG: 'warn',
      BENCH_RESULTS_DIR: resultsDir,
      BENCH_REPORTS_DIR: reportsDir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: minio.region,
      AWS_ENDPOINT_URL: minio.endpoint,
    },
  });
}

async function objectBytes(key: string): Promise<Buffer> {
  const reply = await admin.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await reply.Body!.transformToByteArray());
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-publish-'));
  resultsDir = path.join(work, 'results');
  reportsDir = path.join(work, 'reports');
  minio = await startMinio({ runDir: path.join(work, 'minio') });
  admin = minio.adminClient();
  await minio.createBucket(bucket);
});

afterAll(async () => {
  await minio?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('publish, history, compare against MinIO', () => {
  const baselineId = '20261121-031500-aaaa';
  const candidateId = '20261122-031500-bbbb';

  it('publishes a run with its report, byte for byte, with sha256 metadata', async () => {
    writeRun(baselineId, '2026-11-21T03:15:00.000Z', 1);
    const reportDir = path.join(reportsDir, baselineId);
    fs.mkdirSync(path.join(reportDir, 'specs'), { recursive: true });
    // A report-sized page (~900 kB, like the self-contained HTML report) of non-repeating bytes.
    fs.writeFileSync(path.join(reportDir, 'index.html'), `<!doctype html><title>r</title><pre>${randomBytes(450_000).toString('hex')}</pre>`);
    fs.writeFileSync(path.join(reportDir, 'specs', 'wall.vl.json'), '{"mark":"bar"}\n');

    const started = performance.now();
    const first = await bench(['publish', baselineId, target]);
    const publishMs = performance.now() - started;
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`${target}/runs/${baselineId}: 3 objects uploaded`);
    expect(first.stdout).toContain('index updated');
    console.log(`publish of a run with a ~900 kB report (CLI process included): ${Math.round(publishMs)} ms; ${first.stdout.trim()}`);

    for (const [key, file] of [
      [`nightly/runs/${baselineId}/results.json`, path.join(resultsDir, baselineId, 'results.json')],
      [`nightly/runs/${baselineId}/report/index.html`, path.join(reportDir, 'index.html')],
      [`nightly/runs/${baselineId}/report/specs/wall.vl.json`, path.join(reportDir, 'specs', 'wall.vl.json')],
    ]) {
      expect((await objectBytes(key)).equals(fs.readFileSync(file))).toBe(true);
    }
    const head = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: `nightly/runs/${baselineId}/report/index.html` }));
    expect(head.ContentType).toBe('text/html; charset=utf-8');
    expect(head.Metadata?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('re-publishing the same run uploads nothing and leaves the index alone', async () => {
    const indexBefore = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nightly/index.json' }));
    const again = await bench(['publish', baselineId, target]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('0 objects uploaded (0 bytes), 3 unchanged, index unchanged');
    const indexAfter = await admin.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nightly/index.json' }));
    expect(indexAfter.ETag).toBe(indexBefore.ETag);
    expect(indexAfter.LastModified).toEqual(indexBefore.LastModified);
  });

  it('lists published runs from the index and loads them back equal to the local documents', async () => {
    writeRun(candidateId, '2026-11-22T03:15:00.000Z', 1.2);
    expect((await bench(['publish', candidateId, target])).exitCode).toBe(0);

    const history = await bench(['history', target]);
    expect(history.exitCode).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`${baselineId}\\s+2026-11-21 03:15:00\\s+completed\\s+quick\\s+batch\\s+0.01\\s+spark, flink\\s+2 completed`));
    expect(history.stdout).toContain(`2 runs in ${target}`);

    const options = { s3: { endpoint: minio.endpoint } };
    process.env.AWS_ACCESS_KEY_ID = minio.credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = minio.credentials.secretAccessKey;
    try {
      const runs = await listRuns(target, options);
      expect(runs.map((r) => r.runId)).toEqual([baselineId, candidateId]);
      expect(runs[0].report).toBe(`runs/${baselineId}/report/index.html`);
      expect(runs[1].report).toBeUndefined();
      expect(await loadRun(`${target}/runs/${candidateId}`, options)).toEqual(ResultsStore.load(candidateId, { resultsDir }));
      expect((await loadRecentRuns(target, { ...options, limit: 1 })).map((d) => d.runId)).toEqual([candidateId]);
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('compare flags the 20 % slowdown between two published runs (exit 4)', async () => {
    const byUrl = await bench(['compare', `${target}/runs/${baselineId}`, `${target}/runs/${candidateId}`]);
    expect(byUrl.exitCode).toBe(4); // regression
    expect(byUrl.stdout).toMatch(/topn\s+0\.01\s+spark \(spark-submit\)\s+1\.000\s+1\.200\s+\+20\.0 %\s+0\.00794\s+5\/5\s+REGRESSION/);
    expect(byUrl.stdout).toMatch(/topn\s+0\.01\s+flink \(flink-gateway\)\s+1\.000\s+1\.000\s+\+0\.0 %\s+1\.00\s+5\/5\s+unchanged \(not significant\)/);
    expect(byUrl.stderr).toContain('error: 1 regression (see the table above)');

    // The nightly job's form: the local candidate against the previous run published there.
    const previous = await bench(['compare', '--previous-in', target, candidateId]);
    expect(previous.exitCode).toBe(4); // regression
    expect(previous.stdout).toContain(`baseline ${baselineId} → candidate ${candidateId}`);

    const lenient = await bench(['compare', '--threshold', '25%', baselineId, candidateId]);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain('no regression beyond 25 % at α = 0.05');
  });

  it('compare refuses runs at different scales and says why (exit 5)', async () => {
    const otherScale = writeRun('20261123-031500-cccc', '2026-11-23T03:15:00.000Z', 1, (d) => {
      d.provenance.scale = 1;
    });
    const refused = await bench(['compare', baselineId, otherScale]);
    expect(refused.exitCode).toBe(5); // not comparable
    expect(refused.stderr).toContain(`not comparing ${baselineId} with ${otherScale}: they were not set up alike`);
    expect(refused.stderr).toContain('- scale differs: baseline 0.01, candidate 1');
  });

  it('wrong credentials: a clear error, a non-zero exit, and the secret never printed', async () => {
    const wrong = { accessKeyId: minio.credentials.accessKeyId, secretAccessKey: `wrong${randomBytes(8).toString('hex')}` };
    const refused = await bench(['publish', baselineId, target], wrong);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`error: S3 refused the credentials to read ${target}/runs/${baselineId}/results.json at ${minio.endpoint}`);
    expect(refused.stderr).toContain('check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
    expect(`${refused.stdout}${refused.stderr}`).not.toContain(wrong.secretAccessKey);

    const history = await bench(['history', target], wrong);
    expect(history.exitCode).toBe(1);
    expect(history.stderr).toContain('S3 refused the credentials to read');
  });

  it('a missing bucket is named', async () => {
    const result = await bench(['publish', baselineId, 's3://no-such-bucket-here/x']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("error: cannot write s3://no-such-bucket-here/x/runs/20261121-031500-aaaa/results.json");
    expect(result.stderr).toContain("bucket 'no-such-bucket-here' does not exist; create it first");
  });

  it('an unreachable endpoint is named', async () => {
    const result = await bench(['history', target, '--s3-endpoint', 'http://127.0.0.1:1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`error: cannot read ${target}/index.json at http://127.0.0.1:1: the endpoint did not answer (ECONNREFUSED)`);
  });
});
