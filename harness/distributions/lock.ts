// The one lock file: every engine artifact pinned by version, file name, sha256 and size, with
// where it goes in the assembled home. prepare.ts trusts nothing that does not match it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BenchError } from '../errors.ts';
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

const lockSchema = z.strictObject({
  lockVersion: z.literal(1),
  comment: z.string().optional(),
  distributions: z.strictObject({ spark: distribution, flink: distribution, kafka: distribution }),
});

export type Lock = z.infer<typeof lockSchema>;
export type LockedDistribution = z.infer<typeof distribution>;
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
    const seen = new Set<string>();
    lock.distributions[name].artifacts.forEach((artifact, index) => {
      const where = `${file}: distributions.${name}.artifacts[${index}]`;
      if (seen.has(artifact.id)) throw new BenchError(`${where}: id '${artifact.id}' appears twice; ${fix}`);
      seen.add(artifact.id);
      if (artifact.source === 'maven' && artifact.file !== mavenFileName(artifact)) {
        throw new BenchError(`${where}: file '${artifact.file}' does not match its coordinates (expected '${mavenFileName(artifact)}'); ${fix}`);
      }
    });
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
 * Content hash of one distribution: its lock entry plus whatever else shapes the assembled
 * home (assembly code version, generated files). Image tags and home directories key on it.
 */
export function lockHashOf(name: EngineDistributionName, entry: LockedDistribution, extra: unknown = null): string {
  return crypto.createHash('sha256').update(canonicalJson({ name, entry, extra })).digest('hex');
}
