import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import type { Measurement, ResultsDocument } from './schema.ts';
import { FileSystemError } from '../file-system-error.ts';
import { canMountTmpfs, mountSmallDisk } from '../small-disk.ts';
import { ResultsFileError, ResultsStore, describeSavedResults, describeUnwritten, newRunId } from './store.ts';
import { completed, exampleDocument, exampleRun } from './test-fixtures.ts';

let resultsDir: string;
beforeEach(() => {
  resultsDir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
});
afterEach(() => {
  rmSync(resultsDir, { recursive: true, force: true });
});

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ResultsDocument;

describe('newRunId', () => {
  it('is UTC date-time plus a random suffix, and sorts by time', () => {
    expect(newRunId(new Date('2026-11-22T03:15:00.123Z'), 'ab12')).toBe('20261122-031500-ab12');
    expect(newRunId()).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const earlier = newRunId(new Date('2026-11-22T23:59:59Z'), 'ffff');
    const later = newRunId(new Date('2026-11-23T00:00:00Z'), '0000');
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });
});

describe('ResultsStore', () => {
  it('writes a running document at once and after every change', () => {
    const store = ResultsStore.create('run-1', { run: exampleRun(), resultsDir });
    expect(store.file).toBe(path.join(resultsDir, 'run-1', 'results.json'));
    expect(readJson(store.file)).toMatchObject({ schemaVersion: 2, runId: 'run-1', status: 'running', measurements: [] });

    store.addMeasurement(completed('spark', 'topn', [1000, 1200, 1100], [900, 950, 1000]));
    expect(readJson(store.file).measurements).toHaveLength(1);

    store.updateProvenance({ engineSettings: { flink: { 'parallelism.default': 2 } } });
    store.addNote('spark worker restarted once');
    store.setStatus('completed', new Date('2026-11-22T04:00:00Z'));

    const onDisk = readJson(store.file);
    expect(onDisk.status).toBe('completed');
    expect(onDisk.finishedAt).toBe('2026-11-22T04:00:00.000Z');
    expect(onDisk.provenance.engineSettings).toEqual({ flink: { 'parallelism.default': 2 } });
    expect(onDisk.provenance.harness).toEqual({ version: '0.1.0' });
    expect(onDisk.notes).toEqual(['spark worker restarted once']);
    expect(ResultsStore.load('run-1', { resultsDir })).toEqual(store.document);
    // No temp files left behind.
    expect(readdirSync(path.dirname(store.file))).toEqual(['results.json']);
  });

  it('hands out copies, so callers cannot change what was written', () => {
    const store = ResultsStore.create('run-copy', { run: exampleRun(), resultsDir });
    const measurement = completed('spark', 'topn', [1000, 1200, 1100], [900, 950, 1000]);
    store.addMeasurement(measurement);
    measurement.workload = 'changed-later';
    store.document.measurements.pop();
    expect(store.document.measurements.map((m) => m.workload)).toEqual(['topn']);
  });

  it('throws on an invalid measurement and keeps the last valid file', () => {
    const store = ResultsStore.create('run-bad', { run: exampleRun(), resultsDir });
    const broken = { ...completed('spark', 'topn', [1000], [900]), statistics: undefined } as unknown as Measurement;
    expect(() => store.addMeasurement(broken)).toThrow(
      `Refusing to write an invalid results document ${store.file}: measurements[0].statistics: Invalid input: expected object, received undefined`,
    );
    expect(readJson(store.file).measurements).toEqual([]);
    expect(store.document.measurements).toEqual([]);
  });

  it('refuses to change a finished run and to reuse a run id', () => {
    const store = ResultsStore.create('run-done', { run: exampleRun(), resultsDir });
    store.setStatus('interrupted');
    expect(() => store.setStatus('failed')).toThrow('Run run-done is already interrupted; cannot mark it failed');
    expect(() => ResultsStore.create('run-done', { run: exampleRun(), resultsDir })).toThrow(
      `${path.join(resultsDir, 'run-done', 'results.json')} already exists: run ids must be unique (use newRunId())`,
    );
    expect(() => ResultsStore.create('../escape', { run: exampleRun(), resultsDir })).toThrow(
      'Run id "../escape" is not usable as a directory name',
    );
  });
});

describe('ResultsStore.load', () => {
  function writeRun(runId: string, text: string): string {
    const dir = path.join(resultsDir, runId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'results.json'), text);
    return path.join(dir, 'results.json');
  }

  it('finds a run by id, directory or file', () => {
    const file = writeRun('r1', JSON.stringify(exampleDocument()));
    expect(ResultsStore.load('r1', { resultsDir })).toEqual(exampleDocument());
    expect(ResultsStore.load(path.dirname(file))).toEqual(exampleDocument());
    expect(ResultsStore.load(file)).toEqual(exampleDocument());
  });

  it('names the file and the first schema issue', () => {
    const document = exampleDocument() as any;
    document.measurements[2].statistics.wallMs.median = 'fast';
    const file = writeRun('r2', JSON.stringify(document));
    const load = () => ResultsStore.load('r2', { resultsDir });
    expect(load).toThrow(ResultsFileError);
    expect(load).toThrow(
      `${file} is not a valid results document: measurements[2].statistics.wallMs.median: Invalid input: expected number, received string`,
    );
  });

  it('reports truncated JSON, other schema versions and absent runs', () => {
    const truncated = writeRun('r3', JSON.stringify(exampleDocument()).slice(0, 50));
    expect(() => ResultsStore.load('r3', { resultsDir })).toThrow(`${truncated} is not valid JSON: `);

    const future = writeRun('r4', JSON.stringify({ ...exampleDocument(), schemaVersion: 3 }));
    expect(() => ResultsStore.load('r4', { resultsDir })).toThrow(`${future} has schemaVersion 3; this harness reads schemaVersion 1 and 2`);

    expect(() => ResultsStore.load('nope', { resultsDir })).toThrow(
      `No results found for "nope": it is neither a directory or file nor a run id under ${resultsDir}`,
    );
    mkdirSync(path.join(resultsDir, 'empty-run'));
    expect(() => ResultsStore.load('empty-run', { resultsDir })).toThrow(
      `Cannot read ${path.join(resultsDir, 'empty-run', 'results.json')}: ENOENT`,
    );
  });
});

// A separate process writes; this one reads. Only atomic writes keep every read parseable.
describe('ResultsStore atomicity', () => {
  function startWriter(runId: string, measurements: number): ReturnType<typeof spawn> {
    const script = path.join(resultsDir, 'writer.ts');
    writeFileSync(
      script,
      [
        `import { ResultsStore } from ${JSON.stringify(path.join(REPO_ROOT, 'harness/results/store.ts'))};`,
        `import { completed, exampleRun } from ${JSON.stringify(path.join(REPO_ROOT, 'harness/results/test-fixtures.ts'))};`,
        `const store = ResultsStore.create(${JSON.stringify(runId)}, { run: exampleRun(), resultsDir: ${JSON.stringify(resultsDir)} });`,
        `for (let i = 0; i < ${measurements}; i++) store.addMeasurement(completed('spark', 'w' + i, [1000 + i, 1100, 1200], [900, 950, 1000]));`,
        `store.setStatus('completed');`,
      ].join('\n'),
    );
    return spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }

  it('never exposes a partial file to a concurrent reader', async () => {
    const writer = startWriter('concurrent', 150);
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    const file = path.join(resultsDir, 'concurrent', 'results.json');
    const deadline = Date.now() + 60_000;
    let reads = 0;
    let status = 'absent';
    while (status !== 'completed' && Date.now() < deadline) {
      if (existsSync(file)) {
        status = readJson(file).status; // throws on a torn read
        reads++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toBe(0);
    expect(status).toBe('completed');
    expect(reads).toBeGreaterThan(10);
    expect(ResultsStore.load(file).measurements).toHaveLength(150);
  }, 90_000);

  it('keeps what finished when the writer is killed', async () => {
    const writer = startWriter('killed', 100_000);
    const file = path.join(resultsDir, 'killed', 'results.json');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(file) && readJson(file).measurements.length >= 20) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exited = new Promise((resolve) => writer.on('exit', (_code, signal) => resolve(signal)));
    writer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const survived = ResultsStore.load(file);
    expect(survived.status).toBe('running');
    expect(survived.measurements.length).toBeGreaterThanOrEqual(20);
  }, 90_000);
});

describe('ResultsStore: what the file holds, in words', () => {
  it('says complete for a completed run, and what a failed write loses', () => {
    const store = ResultsStore.create('run-words', { run: exampleRun(), resultsDir });
    store.addMeasurement(completed('spark', 'topn', [1000, 1200, 1100], [900, 950, 1000]));
    expect(store.describeSaved()).toBe(`${store.file} holds the 1 measurement finished before the failure`);
    store.addMeasurement(completed('flink', 'topn', [1000, 1200, 1100], [900, 950, 1000]));
    store.setStatus('completed');
    expect(store.describeSaved()).toBe(`${store.file} is complete with 2 measurements`);
    expect(describeSavedResults()).toContain(`${store.file} is complete with 2 measurements`);

    const before = store.document;
    const withOne = { ...before, measurements: [...before.measurements, completed('duckdb', 'wordcount', [1], null)] };
    expect(describeUnwritten(before, withOne)).toBe('measurement wordcount/duckdb (completed) was not recorded');
    expect(describeUnwritten({ ...before, status: 'running' }, before)).toBe("the run's status 'completed' was not recorded");
  });
});

describe.skipIf(!canMountTmpfs)('ResultsStore on a full disk (a 16 KiB tmpfs)', () => {
  it('throws a FileSystemError naming the file and what was not recorded; the file keeps the last complete document, no temp file', () => {
    const disk = mountSmallDisk(16);
    try {
      const store = ResultsStore.create('run-full', { run: exampleRun(), resultsDir: disk.dir });
      let failure: unknown;
      let recorded = 0;
      for (; recorded < 100; recorded++) {
        try {
          store.addMeasurement(completed('spark', `w${recorded}`, [1000, 1200, 1100], [900, 950, 1000]));
        } catch (error) {
          failure = error;
          break;
        }
      }
      expect(failure).toBeInstanceOf(FileSystemError);
      expect((failure as Error).message).toBe(
        `could not write ${store.file}: no space left on device (ENOSPC); measurement w${recorded}/spark (completed) was not recorded (free space there, or set BENCH_RESULTS_DIR to another directory)`,
      );
      expect(recorded).toBeGreaterThan(0);
      expect(ResultsStore.load(store.file).measurements).toHaveLength(recorded);
      expect(readdirSync(path.dirname(store.file))).toEqual(['results.json']);
      expect(store.describeSaved()).toBe(`${store.file} holds the ${recorded} measurements recorded before the failure`);
      // On the way out of that error, marking the run failed must not replace it with a second one.
      expect(() => store.setStatus('failed')).not.toThrow();
    } finally {
      disk.unmount();
    }
  });
});
