// The one lock file: every engine artifact pinned by version, file name, sha256 and size, with
// where it goes in the assembled home. prepare.ts trusts nothing that does not match it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BenchError, UsageError } from '../errors.ts';
import { REPO_ROOT } from '../paths.ts';

export const LOCK_FILE = path.join(REPO_ROOT, 'harness', 'distributions', 'distributions.lock.json');
export const DISTRIBUTION_NAMES = ['spark', 'flink', 'kafka'] as const;
export type EngineDistributionName = (typeof DISTRIBUTION_NAMES)[number];

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !path.isAbsolute(p) && !p.split('/').includes('..'), 'must be a relative path without ".."');
const fileName = z
  .string()
  .min(1)
  .refine((f) => !f.includes('/') && f !== '.' && f !== '..', 'must be a bare file name');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const size = z.number().int().positive();

const unpackRule = z.strictObject({
  /** Path inside the archive (a directory ending in '/', or one file). */
  from: relativePath,
  /** Directory in the home it lands in ('' or '.' for the home itself). */
  to: z.string(),
});

const pypiArtifact = z.strictObject({
  id: z.string().min(1),
  source: z.literal('pypi'),
  package: z.string().regex(/^[A-Za-z0-9._-]+$/),
  version: z.string().min(1),
  file: fileName,
  sha256,
  size,
  pip: z.strictObject({
    binary: z.enum(['sdist', 'wheel']),
    platform: z.string().optional(),
    pythonVersion: z.string().optional(),
    implementation: z.string().optional(),
    abi: z.string().optional(),
  }),
  unpack: z.array(unpackRule).min(1),
});

const mavenArtifact = z.strictObject({
  id: z.string().min(1),
  source: z.literal('maven'),
  groupId: z.string().regex(/^[A-Za-z0-9._-]+$/),
  artifactId: z.string().regex(/^[A-Za-z0-9._-]+$/),
  version: z.string().regex(/^[A-Za-z0-9._-]+$/),
  classifier: z.string().optional(),
  type: z.string().default('jar'),
  file: fileName,
  sha256,
  size,
  /** Directory in the home the file is placed in. */
  into: relativePath,
});

const distribution = z.strictObject({
  version: z.string().min(1),
  components: z.record(z.string(), z.string()),
  /** Why a pin departs from the obvious choice (substitutions, missing artifacts). */
  notes: z.array(z.string()).default([]),
  artifacts: z.array(z.discriminatedUnion('source', [pypiArtifact, mavenArtifact])).min(1),
});

/** One engine: every version kept (newest first) and the one a run uses unless asked otherwise. */
const engine = z.strictObject({
  default: z.string().min(1),
  versions: z.array(distribution).min(1),
});

const lockSchema = z.strictObject({
  lockVersion: z.literal(2),
  comment: z.string().optional(),
  distributions: z.strictObject({ spark: engine, flink: engine, kafka: engine }),
});

export type Lock = z.infer<typeof lockSchema>;
export type LockedDistribution = z.infer<typeof distribution>;
export type LockedEngine = z.infer<typeof engine>;
export type LockedArtifact = LockedDistribution['artifacts'][number];
export type PypiArtifact = z.infer<typeof pypiArtifact>;
export type MavenArtifact = z.infer<typeof mavenArtifact>;

function issuePath(segments: readonly PropertyKey[]): string {
  return segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${String(s)}`)).join('').replace(/^\./, '') || '(top level)';
}

export function mavenFileName(a: { artifactId: string; version: string; classifier?: string; type?: string }): string {
  return `${a.artifactId}-${a.version}${a.classifier ? `-${a.classifier}` : ''}.${a.type ?? 'jar'}`;
}

/** Parses and checks lock text; every problem is reported with its field path and the file. */
export function parseLock(text: string, file = LOCK_FILE): Lock {
  const fix = `fix the file or regenerate it with \`npx tsx harness/distributions/update-lock.ts\``;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BenchError(`${file} is not valid JSON (${(error as Error).message}); ${fix}`);
  }
  const parsed = lockSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 8).map((issue) => `  ${issuePath(issue.path)}: ${issue.message}`);
    throw new BenchError(`${file} is not a valid distributions lock:\n${problems.join('\n')}\n${fix}`);
  }
  const lock = parsed.data;
  for (const name of DISTRIBUTION_NAMES) {
    const { default: chosen, versions } = lock.distributions[name];
    const seenVersions = new Set<string>();
    versions.forEach((entry, v) => {
      if (seenVersions.has(entry.version)) throw new BenchError(`${file}: distributions.${name}.versions[${v}]: version '${entry.version}' appears twice; ${fix}`);
      seenVersions.add(entry.version);
      const seen = new Set<string>();
      entry.artifacts.forEach((artifact, index) => {
        const where = `${file}: distributions.${name}.versions[${v}].artifacts[${index}]`;
        if (seen.has(artifact.id)) throw new BenchError(`${where}: id '${artifact.id}' appears twice; ${fix}`);
        seen.add(artifact.id);
        if (artifact.source === 'maven' && artifact.file !== mavenFileName(artifact)) {
          throw new BenchError(`${where}: file '${artifact.file}' does not match its coordinates (expected '${mavenFileName(artifact)}'); ${fix}`);
        }
      });
    });
    if (!seenVersions.has(chosen)) {
      throw new BenchError(`${file}: distributions.${name}.default is '${chosen}', which is not one of its versions (${[...seenVersions].join(', ')}); ${fix}`);
    }
  }
  return lock;
}

export function loadLock(file = LOCK_FILE): Lock {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new BenchError(`cannot read the distributions lock ${file}: ${(error as Error).message}`);
  }
  return parseLock(text, file);
}

/** JSON with object keys sorted, so a hash does not depend on how the file was formatted. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Content hash of one distribution version: what shapes its assembled home (version,
 * components, artifacts) plus whatever else does (assembly code version, generated files).
 * Notes are left out: rewording one must not rebuild homes and images. Image tags and home
 * directories key on it.
 */
export function lockHashOf(name: EngineDistributionName, entry: LockedDistribution, extra: unknown = null): string {
  const { version, components, artifacts } = entry;
  return crypto.createHash('sha256').update(canonicalJson({ name, entry: { version, components, artifacts }, extra })).digest('hex');
}

/** Environment variables that choose a version when no flag does (a CI matrix, a test run against another version). */
export const VERSION_ENV: Readonly<Record<EngineDistributionName, string>> = {
  spark: 'BENCH_SPARK_VERSION',
  flink: 'BENCH_FLINK_VERSION',
  kafka: 'BENCH_KAFKA_VERSION',
};

/** '4.2.0 (default), 4.1.1': the locked versions, newest first, the default marked. */
export function describeLockedVersions(engine: LockedEngine): string {
  return engine.versions.map((v) => (v.version === engine.default ? `${v.version} (default)` : v.version)).join(', ');
}

export interface ChosenVersion {
  readonly entry: LockedDistribution;
  /** Where the choice came from, for the user and the log. */
  readonly source: 'default' | 'flag' | 'environment' | 'all-versions';
}

/**
 * The locked version to use: the one asked for (a flag), else the one named by the
 * engine's environment variable, else the lock's default. A version the lock does not hold
 * is a usage error naming the locked choices.
 */
export function chooseLockedVersion(lock: Lock, name: EngineDistributionName, requested?: string, env: NodeJS.ProcessEnv = process.env): ChosenVersion {
  const engine = lock.distributions[name];
  const fromEnv = env[VERSION_ENV[name]]?.trim();
  const [wanted, source, askedBy] =
    requested !== undefined
      ? ([requested, 'flag', `--${name}-version`] as const)
      : fromEnv
        ? ([fromEnv, 'environment', VERSION_ENV[name]] as const)
        : ([engine.default, 'default', `the lock's default`] as const);
  const entry = engine.versions.find((v) => v.version === wanted);
  if (!entry) {
    throw new UsageError(`${askedBy}: '${wanted}' is not a locked ${name} version; locked: ${describeLockedVersions(engine)} (${LOCK_FILE})`);
  }
  return { entry, source };
}

/** The lock's default version of an engine. */
export function defaultEntry(lock: Lock, name: EngineDistributionName): LockedDistribution {
  return chooseLockedVersion(lock, name, undefined, {}).entry;
}

/** Parser for --spark-version / --flink-version: the value if the lock holds it, else a usage error naming the choices. */
export function parseLockedVersion(value: string, name: EngineDistributionName): string {
  return chooseLockedVersion(loadLock(), name, value.trim(), {}).entry.version;
}
