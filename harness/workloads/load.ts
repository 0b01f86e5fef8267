// Loads workloads/<id>/ directories: workload.yaml (validated against workload-spec.ts),
// query.sql and optional <engine>.sql. Every error names the file, the field path and the
// bad value, so a workload author can fix it without reading TypeScript.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { BenchError, UsageError } from '../errors.ts';
import { REPO_ROOT } from '../paths.ts';
import { substitute, type SubstitutionVars } from './substitute.ts';
import {
  DIALECTS,
  SCALES,
  WorkloadSpecSchema,
  rowsVariable,
  type Dialect,
  type Scale,
  type WorkloadSpec,
} from './workload-spec.ts';

export const WORKLOADS_DIR = path.join(REPO_ROOT, 'workloads');
const SPEC_FILE = 'workload.yaml';
const QUERY_FILE = 'query.sql';

export interface Workload {
  readonly id: string;
  readonly dir: string;
  readonly spec: WorkloadSpec;
  /** query.sql, the text every engine runs unless it has its own file. */
  readonly queryFile: string;
  /** <engine>.sql files, only where the dialect truly differs. */
  readonly engineQueryFiles: Readonly<Partial<Record<Dialect, string>>>;
}

export interface VariableOptions {
  readonly scale: Scale;
  readonly seed: number;
  /** Overrides of the workload's `params` defaults; only declared params may be overridden. */
  readonly params?: Readonly<Record<string, string | number>>;
}

/** A path as shown in messages: relative to the repository when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(REPO_ROOT, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function usageError(message: string): BenchError {
  return new UsageError(message);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function valueAt(root: unknown, pathParts: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of pathParts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

/** One schema issue as `file: field.path: message (got value)` (workload and experiment files alike). */
export function formatIssue(file: string, raw: unknown, issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
  let message = issue.message;
  // zod's own messages do not quote the value that was given; add it where it helps.
  if (issue.code === 'invalid_type' || issue.code === 'too_small' || issue.code === 'too_big') {
    message += ` (got ${describeValue(valueAt(raw, issue.path))})`;
  }
  return `${displayPath(file)}: ${where}: ${message}`;
}

function parseSpec(file: string): WorkloadSpec {
  if (!fs.existsSync(file)) throw usageError(`${displayPath(file)}: file not found (a workload directory needs ${SPEC_FILE})`);
  const document = parseDocument(fs.readFileSync(file, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) {
    throw usageError(`${displayPath(file)}: invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
  }
  const raw: unknown = document.toJS();
  const parsed = WorkloadSpecSchema.safeParse(raw);
  if (!parsed.success) throw usageError(parsed.error.issues.map((issue) => formatIssue(file, raw, issue)).join('\n'));
  return parsed.data;
}

function checkBanner(file: string, text: string): void {
  const first = text.split('\n').find((line) => line.trim() !== '');
  if (!first || !(first.trimStart().startsWith('--') || first.trimStart().startsWith('/*'))) {
    throw usageError(`${displayPath(file)}: must open with a banner comment (what it asks, what it stresses, which claim it probes)`);
  }
}

/** The names a workload's texts may use: params, SEED, SCALE and ROWS_<DATASET>. */
function declaredVariableNames(spec: WorkloadSpec): Set<string> {
  return new Set([...Object.keys(spec.params), 'SEED', 'SCALE', ...Object.keys(spec.datasets ?? {}).map(rowsVariable)]);
}

function checkReferences(where: string, text: string, declared: Set<string>): void {
  const placeholders: Record<string, string> = {};
  for (const name of declared) placeholders[name] = '0';
  // substitute() is the one place that decides what is malformed or unknown.
  substitute(text, placeholders, where);
}

/** Loads one workload by id (under `root`) or by directory path. */
export function loadWorkload(idOrDir: string, root: string = WORKLOADS_DIR): Workload {
  const dir = idOrDir.includes('/') || idOrDir.includes(path.sep) ? path.resolve(idOrDir) : path.join(root, idOrDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    const known = fs.existsSync(root) ? listWorkloadIds(root).join(', ') : '(none)';
    throw usageError(`workload '${idOrDir}' not found: no directory ${displayPath(dir)} (known workloads: ${known || '(none)'})`);
  }
  const specFile = path.join(dir, SPEC_FILE);
  const spec = parseSpec(specFile);
  if (spec.id !== path.basename(dir)) {
    throw usageError(`${displayPath(specFile)}: id: '${spec.id}' must equal the directory name '${path.basename(dir)}'`);
  }

  const declared = declaredVariableNames(spec);
  for (const [dataset, datasetSpec] of Object.entries(spec.datasets ?? {})) {
    for (const [column, columnSpec] of Object.entries(datasetSpec.columns)) {
      checkReferences(`${displayPath(specFile)}: datasets.${dataset}.columns.${column}.expr`, columnSpec.expr, declared);
    }
  }

  const queryFile = path.join(dir, QUERY_FILE);
  const engineQueryFiles: Partial<Record<Dialect, string>> = {};
  for (const entry of fs.readdirSync(dir).sort()) {
    if (!entry.endsWith('.sql') || entry === QUERY_FILE) continue;
    const engine = entry.slice(0, -'.sql'.length);
    if (!(DIALECTS as readonly string[]).includes(engine)) {
      throw usageError(`${displayPath(path.join(dir, entry))}: '${engine}' is not an engine (${DIALECTS.join(', ')}); name dialect files <engine>.sql`);
    }
    engineQueryFiles[engine as Dialect] = path.join(dir, entry);
  }
  if (spec.modes.includes('batch') && !fs.existsSync(queryFile)) {
    throw usageError(`${displayPath(queryFile)}: file not found (a batch workload needs ${QUERY_FILE})`);
  }
  for (const file of [queryFile, ...Object.values(engineQueryFiles)]) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    checkBanner(file, text);
    checkReferences(displayPath(file), text, declared);
  }
  return { id: spec.id, dir, spec, queryFile, engineQueryFiles };
}

function listWorkloadIds(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, entry.name, SPEC_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** Every workload under `root` (directories holding a workload.yaml), sorted by id. */
export function listWorkloads(root: string = WORKLOADS_DIR): Workload[] {
  return listWorkloadIds(root).map((id) => loadWorkload(path.join(root, id)));
}

/** The variables visible to a workload's dataset expressions and SQL at a scale and seed. */
export function workloadVariables(workload: Workload, options: VariableOptions): SubstitutionVars {
  const { spec } = workload;
  if (!(SCALES as readonly string[]).includes(options.scale)) {
    throw usageError(`scale '${options.scale}' is not one of ${SCALES.join(', ')}`);
  }
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) {
    throw usageError(`seed '${options.seed}' must be a non-negative integer`);
  }
  for (const name of Object.keys(options.params ?? {})) {
    if (!Object.hasOwn(spec.params, name)) {
      const declared = Object.keys(spec.params).join(', ') || '(none)';
      throw usageError(`workload '${workload.id}': parameter '${name}' is not declared in ${displayPath(path.join(workload.dir, SPEC_FILE))} params (declared: ${declared})`);
    }
  }
  const vars: Record<string, string | number> = { ...spec.params, ...options.params, SEED: options.seed, SCALE: options.scale };
  for (const [name, dataset] of Object.entries(spec.datasets ?? {})) vars[rowsVariable(name)] = dataset.rows[options.scale];
  return vars;
}

/** The file an engine runs: its own <engine>.sql if the workload has one, else query.sql. */
export function queryFileFor(workload: Workload, dialect: string): string {
  return workload.engineQueryFiles[dialect as Dialect] ?? workload.queryFile;
}

/**
 * The SQL an engine runs, variables substituted, trailing `;` removed (spark.sql() and the
 * Flink gateway take one statement without it). Comments are kept: all three parsers accept them.
 */
export function querySqlFor(workload: Workload, dialect: string, options: VariableOptions): string {
  const file = queryFileFor(workload, dialect);
  const text = substitute(fs.readFileSync(file, 'utf8'), workloadVariables(workload, options), displayPath(file));
  return text.trimEnd().replace(/;\s*$/, '');
}
