// Deterministic batch data: each dataset of a workload becomes ONE Parquet file written by
// DuckDB from `SELECT <column exprs> FROM range(n) t(i)`. Values come from hash(i, seed, …),
// never random(), so the same seed + scale gives byte-identical files and a new seed new data.
// Files are cached under cacheDir()/data/<dataset>-<scale>-<seed>-<specHash8>/ and written to
// a hidden temp name first, so a crash never leaves a half file where a reader would look.
// Before writing, free space is checked against a size estimated from a sample (medium and
// large are gigabytes): a shortfall is an error up front, not a full disk half way.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import duckdb from '@duckdb/node-api';
import { BenchError } from '../../errors.ts';
import { asFileSystemError } from '../../file-system-error.ts';
import { createLogger } from '../../log.ts';
import { cacheDir } from '../../paths.ts';
import { openDuckDb, sqlString } from '../../duckdb/session.ts';
import { displayPath, workloadVariables, type VariableOptions, type Workload } from '../../workloads/load.ts';
import { substitute } from '../../workloads/substitute.ts';
import type { ColumnSpec, Scale } from '../../workloads/workload-spec.ts';
import { duckDbType } from './table-ddl.ts';

export { duckDbType, type TableColumns } from './table-ddl.ts';

const log = createLogger('bench:generate');

/** Bump when the way files are written changes, so cached files are not reused. */
const GENERATOR_FORMAT = 1;
/** Snappy: readable by DuckDB, Spark and Flink's parquet format without extra codecs. */
const COMPRESSION = 'snappy';

export interface DatasetPlan {
  readonly workloadId: string;
  readonly dataset: string;
  readonly scale: Scale;
  readonly seed: number;
  readonly rows: number;
  /** Columns in file order, expressions with variables substituted. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  readonly rowGroupSize: number;
  readonly selectSql: string;
  /** sha256 over everything that decides the file's bytes (exprs, rows, DuckDB version, format). */
  readonly specHash: string;
  readonly dir: string;
  readonly file: string;
}

export interface GeneratedDataset {
  readonly plan: DatasetPlan;
  /** The Parquet file. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** True when the cached file was used; false when it was written now. */
  readonly reused: boolean;
  /** Time spent writing (0 when reused). */
  readonly durationMs: number;
}

export interface GenerateOptions extends VariableOptions {
  /** Root of the data cache; cacheDir()/data by default. */
  readonly dataRoot?: string;
  /** DuckDB threads for writing; all cores by default (the bytes do not depend on it). */
  readonly threads?: number;
}

/**
 * Rows per Parquet row group: about 16 groups per file so Spark and Flink can split a file
 * across cores, bounded so tiny files are not shredded and huge groups do not exhaust memory.
 */
export function rowGroupSizeFor(rows: number): number {
  return Math.min(1_048_576, Math.max(16_384, Math.ceil(rows / 16)));
}

export function planDataset(workload: Workload, dataset: string, options: GenerateOptions): DatasetPlan {
  const spec = workload.spec.datasets?.[dataset];
  if (!spec) {
    const known = Object.keys(workload.spec.datasets ?? {}).join(', ') || '(none)';
    throw new Error(`workload '${workload.id}' has no dataset '${dataset}' (datasets: ${known})`);
  }
  const vars = workloadVariables(workload, options);
  const specFile = displayPath(path.join(workload.dir, 'workload.yaml'));
  const columns: Record<string, ColumnSpec> = {};
  for (const [name, column] of Object.entries(spec.columns)) {
    columns[name] = { type: column.type, expr: substitute(column.expr, vars, `${specFile}: datasets.${dataset}.columns.${name}.expr`) };
  }
  const rows = spec.rows[options.scale];
  const rowGroupSize = rowGroupSizeFor(rows);
  const selectSql = selectRowsSql(columns, rows);
  const specHash = createHash('sha256')
    .update(JSON.stringify({ format: GENERATOR_FORMAT, duckdb: duckdb.version(), compression: COMPRESSION, rowGroupSize, dataset, selectSql }))
    .digest('hex');
  const dir = path.join(options.dataRoot ?? path.join(cacheDir(), 'data'), `${dataset}-${options.scale}-${options.seed}-${specHash.slice(0, 8)}`);
  return {
    workloadId: workload.id,
    dataset,
    scale: options.scale,
    seed: options.seed,
    rows,
    columns,
    rowGroupSize,
    selectSql,
    specHash,
    dir,
    file: path.join(dir, `${dataset}.parquet`),
  };
}

/** The generating query for the first `rows` rows. No ORDER BY: range() is ordered and DuckDB preserves insertion order when writing. */
function selectRowsSql(columns: Readonly<Record<string, ColumnSpec>>, rows: number): string {
  const projection = Object.entries(columns)
    .map(([name, column]) => `  CAST((${column.expr}) AS ${duckDbType(column.type)}) AS "${name}"`)
    .join(',\n');
  return `SELECT\n${projection}\nFROM range(${rows}) t(i)`;
}

// ---- free space ------------------------------------------------------------------------------

/** Rows written to estimate a dataset's size; a dataset at most this big is not estimated (it is small). */
export const SIZE_SAMPLE_ROWS = 65_536;
/** Room asked beyond the estimate: the sample's bytes per row are a guess for the whole file. */
export const SPACE_MARGIN = 0.2;

export interface SizeEstimate {
  readonly plan: DatasetPlan;
  readonly bytes: number;
  readonly sampleRows: number;
}

/** Bytes the dataset will take: a sample of its first rows written the same way, scaled to all rows. */
export async function estimateDatasetBytes(plan: DatasetPlan, threads = 1): Promise<SizeEstimate> {
  const sampleRows = Math.min(plan.rows, SIZE_SAMPLE_ROWS);
  const sample = path.join(os.tmpdir(), `bench-size-sample-${process.pid}-${randomBytes(4).toString('hex')}.parquet`);
  await using db = await openDuckDb({ threads });
  try {
    await db.execute(`COPY (${selectRowsSql(plan.columns, sampleRows)}) TO ${sqlString(sample)} (FORMAT parquet, COMPRESSION ${COMPRESSION}, ROW_GROUP_SIZE ${Math.min(plan.rowGroupSize, sampleRows)})`);
    const sampleBytes = fs.statSync(sample).size;
    return { plan, bytes: Math.ceil((sampleBytes / sampleRows) * plan.rows), sampleRows };
  } finally {
    fs.rmSync(sample, { force: true });
  }
}

/** Bytes free to this user on the file system that holds `dir` (or would, once created). */
export function freeBytesAt(dir: string): { bytes: number; checked: string } {
  let existing = path.resolve(dir);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  const stats = fs.statfsSync(existing);
  return { bytes: stats.bavail * stats.bsize, checked: existing };
}

const MiB = 2 ** 20;
/** "1.5 GiB", "300.0 KiB", "12.3 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${(bytes / (1024 * MiB)).toFixed(1)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/**
 * Pure: the error text when `estimates` (+ SPACE_MARGIN) do not fit in `freeBytes`, else
 * undefined. Names the place, what is needed and what is free.
 */
export function spaceShortfall(estimates: readonly SizeEstimate[], freeBytes: number, where: string): string | undefined {
  if (estimates.length === 0) return undefined;
  const estimated = estimates.reduce((sum, e) => sum + e.bytes, 0);
  const needed = Math.ceil(estimated * (1 + SPACE_MARGIN));
  if (needed <= freeBytes) return undefined;
  const first = estimates[0]!.plan;
  const datasets = estimates.map((e) => `${e.plan.dataset} ${e.plan.rows.toLocaleString('en')} rows ≈ ${formatBytes(e.bytes)}`).join(', ');
  return (
    `not enough free space for the ${first.workloadId} data at scale ${first.scale} in ${where}: ${formatBytes(needed)} needed ` +
    `(${datasets}, estimated from ${estimates.length === 1 ? 'a ' : ''}${estimates[0]!.sampleRows.toLocaleString('en')}-row sample${estimates.length === 1 ? '' : 's'}, plus ${SPACE_MARGIN * 100} %), ${formatBytes(freeBytes)} free ` +
    `(free space there, or set BENCH_CACHE_DIR to a larger disk)`
  );
}

/** Throws up front when the datasets not yet cached would not fit (small ones are not estimated). */
export async function checkFreeSpace(plans: readonly DatasetPlan[], threads = 1): Promise<void> {
  const toWrite = plans.filter((plan) => plan.rows > SIZE_SAMPLE_ROWS && !fs.existsSync(plan.file));
  if (toWrite.length === 0) return;
  const estimates: SizeEstimate[] = [];
  for (const plan of toWrite) estimates.push(await estimateDatasetBytes(plan, threads));
  // Cached datasets of a workload share one data root.
  const root = path.dirname(toWrite[0]!.dir);
  const free = freeBytesAt(root);
  log.debug(`free space at ${free.checked}: ${formatBytes(free.bytes)}; estimated need ${formatBytes(estimates.reduce((s, e) => s + e.bytes, 0))}`);
  const shortfall = spaceShortfall(estimates, free.bytes, root);
  if (shortfall) throw new BenchError(shortfall);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Sidecar with the plan; its leading '_' keeps Spark, Flink and Hadoop listings from reading it. */
const metadataFile = (plan: DatasetPlan) => path.join(plan.dir, '_dataset.json');

async function reuse(plan: DatasetPlan): Promise<GeneratedDataset | undefined> {
  if (!fs.existsSync(plan.file)) return undefined;
  let sha256: string | undefined;
  try {
    sha256 = (JSON.parse(fs.readFileSync(metadataFile(plan), 'utf8')) as { sha256?: string }).sha256;
  } catch {
    sha256 = undefined;
  }
  return { plan, path: plan.file, bytes: fs.statSync(plan.file).size, sha256: sha256 ?? (await sha256File(plan.file)), reused: true, durationMs: 0 };
}

export async function generateDataset(plan: DatasetPlan, threads: number = os.availableParallelism()): Promise<GeneratedDataset> {
  const cached = await reuse(plan);
  if (cached) {
    log.debug(`reusing ${plan.file} (${cached.bytes} bytes)`);
    return cached;
  }
  fs.mkdirSync(plan.dir, { recursive: true });
  const temp = path.join(plan.dir, `.${plan.dataset}.parquet.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  log.info(`generating ${plan.workloadId}/${plan.dataset}: ${plan.rows} rows, scale ${plan.scale}, seed ${plan.seed} → ${plan.file}`);
  const started = performance.now();
  await using db = await openDuckDb({ threads });
  try {
    await db.execute(
      `COPY (${plan.selectSql}) TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION ${COMPRESSION}, ROW_GROUP_SIZE ${plan.rowGroupSize})`,
    );
    const written = await db.query(`SELECT count(*) AS n FROM read_parquet(${sqlString(temp)})`);
    const count = Number(written.rows[0]?.[0]);
    if (count !== plan.rows) throw new Error(`generated ${temp} has ${count} rows, expected ${plan.rows}`);
    const sha256 = await sha256File(temp);
    fs.writeFileSync(metadataFile(plan), `${JSON.stringify({ ...plan, sha256, duckdb: duckdb.version() }, null, 2)}\n`);
    fs.renameSync(temp, plan.file);
    const durationMs = performance.now() - started;
    const bytes = fs.statSync(plan.file).size;
    log.info(`generated ${plan.dataset}: ${bytes} bytes in ${Math.round(durationMs)} ms`);
    return { plan, path: plan.file, bytes, sha256, reused: false, durationMs };
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw (
      asFileSystemError(error, {
        operation: 'write',
        path: plan.file,
        lost: `dataset ${plan.workloadId}/${plan.dataset} was not generated (no partial file is left)`,
        hint: 'or set BENCH_CACHE_DIR to a larger disk',
      }) ?? error
    );
  }
}

/** Generates (or reuses) every dataset of a workload at a scale and seed. */
export async function generateWorkloadData(workload: Workload, options: GenerateOptions): Promise<Record<string, GeneratedDataset>> {
  const plans = Object.keys(workload.spec.datasets ?? {}).map((dataset) => planDataset(workload, dataset, options));
  await checkFreeSpace(plans);
  const result: Record<string, GeneratedDataset> = {};
  for (const plan of plans) result[plan.dataset] = await generateDataset(plan, options.threads);
  return result;
}
