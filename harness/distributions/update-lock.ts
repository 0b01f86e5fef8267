// Dev script: resolves the recipes in recipes.ts to exact files and (re)writes
// harness/distributions/distributions.lock.json with each file's version, sha256 and size.
//
//   npx tsx harness/distributions/update-lock.ts                 # every version of every distribution
//   npx tsx harness/distributions/update-lock.ts kafka           # every version of the named ones; others kept
//   npx tsx harness/distributions/update-lock.ts spark@4.2.0     # one version; the others kept as locked
//
// Versions the recipes no longer list are dropped; each engine's default is the recipes' one.
// It downloads everything once with pip and Maven (Maven ranges pick the newest match;
// transitive recipes pin every runtime dependency), so it needs the package registries and
// ~1 GB of temp space. Review the diff of the lock before committing it: a changed checksum
// for an unchanged version means the registry served a different file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256OfFile } from './checksum.ts';
import { type MavenDependency, type MavenFile, mavenCopy, pipDownload } from './clients.ts';
import { DISTRIBUTION_NAMES, type EngineDistributionName, LOCK_FILE, type Lock, type LockedArtifact, type LockedDistribution, type LockedEngine, loadLock, parseLock } from './lock.ts';
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
  const version = components[recipe.main]!;
  if (version !== recipe.version) throw new Error(`${name}: the recipe for ${recipe.version} resolved its main component '${recipe.main}' to ${version}`);
  return { version, components, notes: [...recipe.notes], artifacts };
}

/** 'spark' → every version of spark; 'spark@4.2.0' → that one. */
function parseTargets(argv: readonly string[]): Map<EngineDistributionName, Set<string> | 'all'> {
  const targets = new Map<EngineDistributionName, Set<string> | 'all'>();
  for (const arg of argv.length ? argv : DISTRIBUTION_NAMES) {
    const [name, version] = arg.split('@') as [EngineDistributionName, string | undefined];
    if (!DISTRIBUTION_NAMES.includes(name)) throw new Error(`unknown distribution '${name}' (known: ${DISTRIBUTION_NAMES.join(', ')})`);
    const recipes = RECIPES[name].versions.map((r) => r.version);
    if (version !== undefined && !recipes.includes(version)) throw new Error(`recipes.ts has no ${name} ${version} (it has ${recipes.join(', ')})`);
    const wanted = targets.get(name);
    if (version === undefined || wanted === 'all') targets.set(name, 'all');
    else targets.set(name, new Set([...(wanted ?? []), version]));
  }
  return targets;
}

async function main(argv: string[]): Promise<void> {
  const targets = parseTargets(argv);
  const previous: Lock | undefined = fs.existsSync(LOCK_FILE) && argv.length ? loadLock() : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-update-lock-'));
  try {
    const distributions = {} as Record<EngineDistributionName, LockedEngine>;
    for (const name of DISTRIBUTION_NAMES) {
      const wanted = targets.get(name);
      const versions: LockedDistribution[] = [];
      for (const recipe of RECIPES[name].versions) {
        const kept = previous?.distributions[name].versions.find((v) => v.version === recipe.version);
        if (kept && (wanted === undefined || (wanted !== 'all' && !wanted.has(recipe.version)))) {
          // Not asked for: keep the pins, but take the recipe's current notes (they do not shape the home).
          versions.push({ ...kept, notes: [...recipe.notes] });
          continue;
        }
        progress(`resolving ${name} ${recipe.version}`);
        const resolved = await resolveDistribution(name, recipe, path.join(work, `${name}-${recipe.version}`));
        const total = resolved.artifacts.reduce((sum, a) => sum + a.size, 0);
        progress(`${name} ${resolved.version}: ${resolved.artifacts.length} artifacts, ${(total / 1024 / 1024).toFixed(1)} MiB`);
        versions.push(resolved);
      }
      distributions[name] = { default: RECIPES[name].default, versions };
    }
    const lock = {
      lockVersion: 2,
      comment: 'Generated by `npx tsx harness/distributions/update-lock.ts` from harness/distributions/recipes.ts; do not edit by hand.',
      distributions,
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
