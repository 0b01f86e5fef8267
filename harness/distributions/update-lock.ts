// Dev script: resolves the recipes in recipes.ts to exact files and (re)writes
// harness/distributions/distributions.lock.json with each file's version, sha256 and size.
//
//   npx tsx harness/distributions/update-lock.ts            # all distributions
//   npx tsx harness/distributions/update-lock.ts kafka      # only the named ones; others kept
//
// It downloads everything once with pip and Maven (Maven ranges pick the newest match;
// transitive recipes pin every runtime dependency), so it needs the package registries and
// ~1 GB of temp space. Review the diff of the lock before committing it: a changed checksum
// for an unchanged version means the registry served a different file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256OfFile } from './checksum.ts';
import { type MavenDependency, type MavenFile, mavenCopy, pipDownload } from './clients.ts';
import { DISTRIBUTION_NAMES, type EngineDistributionName, LOCK_FILE, type Lock, type LockedArtifact, type LockedDistribution, loadLock, parseLock } from './lock.ts';
import { type DistributionRecipe, RECIPES } from './recipes.ts';

const progress = (message: string) => process.stderr.write(`${message}\n`);

function parseCoords(coords: string): { groupId: string; artifactId: string; version: string } {
  const [groupId, artifactId, version, ...rest] = coords.split(':');
  if (!groupId || !artifactId || !version || rest.length) throw new Error(`recipe coordinates '${coords}' are not groupId:artifactId:version`);
  return { groupId, artifactId, version };
}

/** Splits a Maven file name into type and classifier, given its artifactId and version. */
function typeAndClassifier(file: MavenFile): { type: string; classifier?: string } {
  const rest = file.file.slice(`${file.artifactId}-${file.version}`.length);
  const match = rest.match(/^(?:-([^.]+))?\.(.+)$/);
  if (!match) throw new Error(`cannot read type/classifier from Maven file ${file.file}`);
  return { type: match[2]!, ...(match[1] ? { classifier: match[1] } : {}) };
}

async function resolveDistribution(name: EngineDistributionName, recipe: DistributionRecipe, work: string): Promise<LockedDistribution> {
  const artifacts: LockedArtifact[] = [];
  const versions = new Map<string, string>();

  for (const [index, pypi] of recipe.pypi.entries()) {
    const dir = path.join(work, `${name}-pip-${index}`);
    fs.mkdirSync(dir, { recursive: true });
    await pipDownload([pypi], dir, { onProgress: progress });
    const files = fs.readdirSync(dir);
    if (files.length !== 1) throw new Error(`pip download of ${pypi.package}==${pypi.version} produced ${files.length} files: ${files.join(', ')}`);
    const file = files[0]!;
    const full = path.join(dir, file);
    artifacts.push({
      id: `pypi:${pypi.package}==${pypi.version}`,
      source: 'pypi',
      package: pypi.package,
      version: pypi.version,
      file,
      sha256: await sha256OfFile(full),
      size: fs.statSync(full).size,
      pip: { ...pypi.pip },
      unpack: pypi.unpack.map((rule) => ({ ...rule })),
    });
    versions.set(`pypi:${pypi.package}`, pypi.version);
  }

  // One Maven resolution per target directory, so a transitive set lands beside its root.
  const byInto = new Map<string, MavenDependency[]>();
  for (const maven of recipe.maven) {
    byInto.set(maven.into, [...(byInto.get(maven.into) ?? []), { ...parseCoords(maven.coords), transitive: maven.transitive, exclude: maven.exclude }]);
  }
  const placed = new Set<string>();
  for (const [into, dependencies] of byInto) {
    const files = await mavenCopy(dependencies, path.join(work, `${name}-maven-${into.replace(/\W/g, '_')}`), { onProgress: progress });
    for (const file of files) {
      const key = `${file.groupId}:${file.artifactId}`;
      if (placed.has(key)) {
        progress(`${name}: ${key} resolved for two directories; keeping the first`);
        continue;
      }
      placed.add(key);
      versions.set(`maven:${key}`, file.version);
      artifacts.push({
        id: `maven:${key}:${file.version}`,
        source: 'maven',
        groupId: file.groupId,
        artifactId: file.artifactId,
        version: file.version,
        ...typeAndClassifier(file),
        file: file.file,
        sha256: await sha256OfFile(file.path),
        size: fs.statSync(file.path).size,
        into,
      });
    }
  }

  const components: Record<string, string> = {};
  for (const [component, source] of Object.entries(recipe.components)) {
    const version = versions.get(source);
    if (!version) throw new Error(`${name}: component '${component}' names ${source}, which no recipe resolved`);
    components[component] = version;
  }
  return { version: components[recipe.main]!, components, notes: [...recipe.notes], artifacts };
}

async function main(argv: string[]): Promise<void> {
  const names = (argv.length ? argv : [...DISTRIBUTION_NAMES]) as EngineDistributionName[];
  for (const name of names) if (!DISTRIBUTION_NAMES.includes(name)) throw new Error(`unknown distribution '${name}'`);
  const previous: Lock | undefined = fs.existsSync(LOCK_FILE) && argv.length ? loadLock() : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-update-lock-'));
  try {
    const distributions = { ...(previous?.distributions ?? {}) } as Record<EngineDistributionName, LockedDistribution>;
    for (const name of names) {
      progress(`resolving ${name}`);
      distributions[name] = await resolveDistribution(name, RECIPES[name], work);
      const total = distributions[name].artifacts.reduce((sum, a) => sum + a.size, 0);
      progress(`${name} ${distributions[name].version}: ${distributions[name].artifacts.length} artifacts, ${(total / 1024 / 1024).toFixed(1)} MiB`);
    }
    const lock = {
      lockVersion: 1,
      comment: 'Generated by `npx tsx harness/distributions/update-lock.ts` from harness/distributions/recipes.ts; do not edit by hand.',
      distributions: { spark: distributions.spark, flink: distributions.flink, kafka: distributions.kafka },
    };
    const text = `${JSON.stringify(lock, null, 2)}\n`;
    parseLock(text, LOCK_FILE); // never write a lock that prepare would reject
    fs.writeFileSync(LOCK_FILE, text);
    progress(`wrote ${LOCK_FILE}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
