// results/<run-id>/results.json, rewritten after every change so a crash or Ctrl-C keeps
// everything that finished. Each write is validated first (an invalid document is a harness
// bug and throws) and lands atomically (temp file + rename), so readers never see half a file.
// Writes are synchronous on purpose: a SIGINT handler can record `interrupted` and exit
// without racing a pending async write.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BenchError } from '../errors.ts';
import { asFileSystemError, FileSystemError } from '../file-system-error.ts';
import { resultsDir as defaultResultsDir } from '../paths.ts';
import { parseAnyVersion } from './upgrade.ts';
import {
  RUN_ID_PATTERN,
  SCHEMA_VERSION,
  resultsDocumentSchema,
  type Measurement,
  type Provenance,
  type ResultsDocument,
  type RunStatus,
} from './schema.ts';

export const RESULTS_FILE = 'results.json';

/** A sortable run id: UTC date and time, then 4 random hex digits, e.g. 20261122-031500-ab12. */
export function newRunId(now: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString(); // 2026-11-22T03:15:00.000Z
  const date = stamp.slice(0, 10).replaceAll('-', '');
  const time = stamp.slice(11, 19).replaceAll(':', '');
  return `${date}-${time}-${suffix}`;
}

/** What the run loop knows when a run begins; the store adds schemaVersion, runId, status and measurements. */
export type NewRun = Omit<ResultsDocument, 'schemaVersion' | 'runId' | 'status' | 'measurements' | 'finishedAt'>;

/** A results file that cannot be read: names the file and the first problem. */
export class ResultsFileError extends BenchError {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'ResultsFileError';
  }
}

/** `measurements[2].statistics.wallMs.median: Invalid input: expected number, received undefined (and 1 more issue)` */
export function describeFirstIssue(error: z.ZodError): string {
  const [first, ...rest] = error.issues;
  const where = first.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    '',
  );
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more issue${rest.length === 1 ? '' : 's'})`;
  return `${where || '(document)'}: ${first.message}${more}`;
}

const TERMINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'interrupted']);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A path as the user best reads it: relative when under the working directory. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Stores created by this process, so an error message can say what they kept (describeSavedResults). */
const createdStores = new Set<ResultsStore>();

/**
 * What the results files of this process hold, for an error message:
 * "results/x/results.json is complete with 2 measurements".
 */
export function describeSavedResults(): string[] {
  return [...createdStores].map((store) => store.describeSaved());
}

/** Pure: what a failed write of `next` over `current` loses. */
export function describeUnwritten(current: ResultsDocument, next: ResultsDocument): string {
  const added = next.measurements.slice(current.measurements.length);
  if (added.length > 0) return `${added.map((m) => `measurement ${m.workload}/${m.engine} (${m.status})`).join(', ')} was not recorded`;
  if (next.status !== current.status) return `the run's status '${next.status}' was not recorded`;
  return 'the latest change to it was not recorded';
}

export class ResultsStore {
  private current: ResultsDocument;
  /** Set once a write failed: `current` is then what the file holds, not what the run knows. */
  private writeFailure: FileSystemError | undefined;

  private constructor(
    readonly dir: string,
    readonly file: string,
    document: ResultsDocument,
  ) {
    this.current = document;
  }

  /** Starts results/<runId>/results.json with status `running`; refuses to overwrite an existing run. */
  static create(runId: string, options: { run: NewRun; resultsDir?: string }): ResultsStore {
    if (!RUN_ID_PATTERN.test(runId)) {
      throw new Error(`Run id ${JSON.stringify(runId)} is not usable as a directory name (allowed: ${RUN_ID_PATTERN})`);
    }
    const dir = path.join(options.resultsDir ?? defaultResultsDir(), runId);
    const file = path.join(dir, RESULTS_FILE);
    if (existsSync(file)) throw new Error(`${file} already exists: run ids must be unique (use newRunId())`);
    mkdirSync(dir, { recursive: true });
    const document: ResultsDocument = {
      ...structuredClone(options.run),
      schemaVersion: SCHEMA_VERSION,
      runId,
      status: 'running',
      measurements: [],
    };
    const store = new ResultsStore(dir, file, document);
    store.commit(document);
    createdStores.add(store);
    return store;
  }

  /**
   * Reads and validates a results document. `dirOrRunId` is a run directory, a results.json
   * path, or a run id under `resultsDir` (default: results/).
   */
  static load(dirOrRunId: string, options: { resultsDir?: string } = {}): ResultsDocument {
    const file = resolveResultsFile(dirOrRunId, options.resultsDir ?? defaultResultsDir());
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ResultsFileError(`Cannot read ${file}: ${(error as Error).message}`, file);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ResultsFileError(`${file} is not valid JSON: ${(error as Error).message}`, file);
    }
    const outcome = parseAnyVersion(parsed, describeFirstIssue);
    if (!outcome.ok) throw new ResultsFileError(`${file} ${outcome.problem}`, file);
    return outcome.document;
  }

  get runId(): string {
    return this.current.runId;
  }

  get status(): RunStatus {
    return this.current.status;
  }

  /** A copy: the store's document only changes through its methods (each of which writes). */
  get document(): ResultsDocument {
    return structuredClone(this.current);
  }

  addMeasurement(measurement: Measurement): void {
    this.commit({ ...this.current, measurements: [...this.current.measurements, structuredClone(measurement)] });
  }

  /** Ends (or re-marks) the run. Terminal statuses stamp finishedAt; a finished run cannot change again. */
  setStatus(status: RunStatus, finishedAt: Date = new Date()): void {
    if (TERMINAL.has(this.current.status)) {
      throw new Error(`Run ${this.runId} is already ${this.current.status}; cannot mark it ${status}`);
    }
    const next: ResultsDocument = { ...this.current, status };
    if (TERMINAL.has(status)) next.finishedAt = finishedAt.toISOString();
    try {
      this.commit(next);
    } catch (error) {
      // Marking a run failed/interrupted happens on the way out of an earlier error; when the
      // file could not be written before, that first error is the one to tell, not this one.
      if (this.writeFailure && error instanceof FileSystemError && status !== 'completed') return;
      throw error;
    }
  }

  /** What the file holds, in words: "results/x/results.json is complete with 2 measurements". */
  describeSaved(): string {
    const where = displayPath(this.file);
    const count = plural(this.current.measurements.length, 'measurement');
    if (this.writeFailure) return `${where} holds the ${count} recorded before the failure`;
    if (this.current.status === 'completed') return `${where} is complete with ${count}`;
    return `${where} holds the ${count} finished before the failure`;
  }

  /** Provenance learnt during the run (image ids, distributions, engine settings) merges in by section. */
  updateProvenance(patch: Partial<Provenance>): void {
    this.commit({ ...this.current, provenance: { ...this.current.provenance, ...structuredClone(patch) } });
  }

  addNote(note: string): void {
    this.commit({ ...this.current, notes: [...(this.current.notes ?? []), note] });
  }

  private commit(next: ResultsDocument): void {
    const result = resultsDocumentSchema.safeParse(next);
    if (!result.success) {
      // A harness bug: refuse loudly rather than write a document the report cannot trust.
      throw new Error(`Refusing to write an invalid results document ${this.file}: ${describeFirstIssue(result.error)}`);
    }
    try {
      writeFileAtomically(this.file, `${JSON.stringify(next, null, 2)}\n`);
    } catch (error) {
      const failure = asFileSystemError(error, { path: this.file, lost: describeUnwritten(this.current, next), hint: 'or set BENCH_RESULTS_DIR to another directory' });
      if (!failure) throw error;
      this.writeFailure ??= failure;
      throw failure;
    }
    this.current = next;
  }
}

function resolveResultsFile(dirOrRunId: string, resultsDir: string): string {
  const candidates = [dirOrRunId, path.join(resultsDir, dirOrRunId)];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    return statSync(candidate).isDirectory() ? path.join(candidate, RESULTS_FILE) : candidate;
  }
  throw new ResultsFileError(
    `No results found for ${JSON.stringify(dirOrRunId)}: it is neither a directory or file nor a run id under ${resultsDir}`,
    path.join(resultsDir, dirOrRunId, RESULTS_FILE),
  );
}

function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      // writeSync may write less than asked (a nearly full disk): loop until all is written or it throws.
      const bytes = Buffer.from(text, 'utf8');
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd); // so a power loss after rename cannot leave an empty file
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch (error) {
    // A half-written temp file would hold space on a full disk and mislead whoever looks.
    rmSync(temporary, { force: true });
    throw error;
  }
}
