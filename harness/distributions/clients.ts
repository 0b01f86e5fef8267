// The two package clients that fetch engine artifacts: pip (PyPI) and Maven (Maven Central).
// We drive the ordinary clients rather than HTTP so their configuration (proxies, mirrors,
// certificates) applies; nothing here names a registry host.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { BenchError } from '../errors.ts';
import { createLogger } from '../log.ts';

const log = createLogger('bench:distributions');

/** Pinned so resolution does not depend on whichever plugin version Maven defaults to. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1';

export interface PipOptions {
  /** 'sdist' forces the source archive, 'wheel' a built wheel. */
  readonly binary: 'sdist' | 'wheel';
  readonly platform?: string;
  readonly pythonVersion?: string;
  readonly implementation?: string;
  readonly abi?: string;
}

export interface PipRequest {
  readonly package: string;
  readonly version: string;
  readonly pip: PipOptions;
}

export interface ClientCallOptions {
  readonly onProgress?: (message: string) => void;
  readonly signal?: AbortSignal;
}

/** A spawn failure because the program is not installed, as a user-facing error. */
export function missingProgram(result: object, program: string, install: string): BenchError | undefined {
  return (result as { code?: string }).code === 'ENOENT' ? new BenchError(`${program} is not installed or not on PATH; prepare needs it (${install})`) : undefined;
}

function tail(text: string, lines = 25): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** pip arguments for one group of packages sharing the same options. */
export function pipDownloadArgs(requests: readonly PipRequest[], outDir: string): string[] {
  const options = requests[0]!.pip;
  const args = ['-m', 'pip', 'download', '--no-deps', '--no-cache-dir', '--disable-pip-version-check', '--progress-bar', 'off', '-d', outDir];
  if (options.binary === 'wheel') args.push('--only-binary', ':all:');
  // Per package, not ':all:', so pip may still use wheels for an sdist's build requirements.
  else args.push('--no-binary', requests.map((r) => r.package).join(','));
  if (options.platform) args.push('--platform', options.platform);
  if (options.pythonVersion) args.push('--python-version', options.pythonVersion);
  if (options.implementation) args.push('--implementation', options.implementation);
  if (options.abi) args.push('--abi', options.abi);
  args.push(...requests.map((r) => `${r.package}==${r.version}`));
  return args;
}

/**
 * The pip calls for a set of requests: one per set of options, split further so no call names
 * a package twice (pip resolves the requests of one call together, and two versions of one
 * package — pyspark 4.2.0 and 4.1.1 — conflict).
 */
export function pipBatches(requests: readonly PipRequest[]): PipRequest[][] {
  const batches: { key: string; names: Set<string>; items: PipRequest[] }[] = [];
  for (const request of requests) {
    const key = JSON.stringify(request.pip);
    let batch = batches.find((b) => b.key === key && !b.names.has(request.package));
    if (!batch) batches.push((batch = { key, names: new Set(), items: [] }));
    batch.names.add(request.package);
    batch.items.push(request);
  }
  return batches.map((b) => b.items);
}

/** Downloads the packages with as few pip calls as their options allow; files land in outDir. */
export async function pipDownload(requests: readonly PipRequest[], outDir: string, options: ClientCallOptions & { tempDir?: string } = {}): Promise<void> {
  for (const group of pipBatches(requests)) {
    const args = pipDownloadArgs(group, outDir);
    const names = group.map((r) => `${r.package}==${r.version}`).join(' ');
    options.onProgress?.(`pip: downloading ${names}`);
    log.debug(`python3 ${args.join(' ')}`);
    const env = options.tempDir ? { TMPDIR: options.tempDir } : {};
    const child = execa('python3', args, { cancelSignal: options.signal, all: true, reject: false, lines: false, env });
    child.all?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        // pip's own size lines ("Downloading pyspark-4.1.1.tar.gz (455.4 MB)") are the useful progress.
        if (/^\s*Downloading /.test(line)) options.onProgress?.(`pip: ${line.trim()}`);
      }
    });
    const result = await child;
    if (result.isCanceled) throw new BenchError(`pip download of ${names} was cancelled`);
    const missing = missingProgram(result, 'python3', 'Debian: apt-get install python3 python3-pip');
    if (missing) throw missing;
    if (result.exitCode !== 0) {
      throw new BenchError(`pip download of ${names} failed (exit code ${result.exitCode}):\n${tail(String(result.all ?? ''))}\nCheck that python3 -m pip works and that the package index is reachable.`);
    }
    log.info(`pip: downloaded ${names}`);
  }
}

export interface MavenDependency {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly type?: string;
  readonly classifier?: string;
  /** Follow this artifact's dependencies (update-lock only); prepare fetches exactly what the lock lists. */
  readonly transitive?: boolean;
  /** groupId:artifactId pairs cut from a transitive resolution. */
  readonly exclude?: readonly string[];
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A throwaway pom whose dependencies are the artifacts to fetch. */
export function mavenPom(dependencies: readonly MavenDependency[]): string {
  const entries = dependencies.map((d) => {
    const exclusions = d.transitive
      ? (d.exclude ?? []).map((ga) => {
          const [g, a] = ga.split(':');
          return `<exclusion><groupId>${xmlEscape(g!)}</groupId><artifactId>${xmlEscape(a!)}</artifactId></exclusion>`;
        })
      : // A wildcard exclusion makes Maven skip reading the dependencies' own descriptors, some
        // of which name repositories other than the configured one.
        ['<exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion>'];
    const optional = [d.type && d.type !== 'jar' ? `<type>${xmlEscape(d.type)}</type>` : '', d.classifier ? `<classifier>${xmlEscape(d.classifier)}</classifier>` : ''].join('');
    return `    <dependency><groupId>${xmlEscape(d.groupId)}</groupId><artifactId>${xmlEscape(d.artifactId)}</artifactId><version>${xmlEscape(d.version)}</version>${optional}<exclusions>${exclusions.join('')}</exclusions></dependency>`;
  });
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>spark-flink-bench</groupId><artifactId>distribution-fetch</artifactId><version>0</version>',
    '  <dependencies>',
    ...entries,
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

export interface MavenFile {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly file: string;
  /** Absolute path of the copied file. */
  readonly path: string;
}

/**
 * Copies the dependencies (and, where asked, their runtime dependencies) into outDir in
 * repository layout (group/artifact/version/file), with one Maven call.
 */
export async function mavenCopy(dependencies: readonly MavenDependency[], workDir: string, options: ClientCallOptions = {}): Promise<MavenFile[]> {
  fs.mkdirSync(workDir, { recursive: true });
  const pom = path.join(workDir, 'pom.xml');
  const outDir = path.join(workDir, 'out');
  fs.writeFileSync(pom, mavenPom(dependencies));
  const args = ['-B', '-q', '-f', pom, `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${outDir}`, '-Dmdep.useRepositoryLayout=true', '-DincludeScope=runtime'];
  options.onProgress?.(`maven: fetching ${dependencies.length} artifact(s): ${dependencies.map((d) => `${d.artifactId}:${d.version}`).join(', ')}`);
  log.debug(`mvn ${args.join(' ')}`);
  const result = await execa('mvn', args, { cancelSignal: options.signal, all: true, reject: false });
  if (result.isCanceled) throw new BenchError('Maven download was cancelled');
  const missing = missingProgram(result, 'mvn', 'Debian: apt-get install maven');
  if (missing) throw missing;
  if (result.exitCode !== 0) {
    throw new BenchError(`mvn dependency:copy-dependencies failed (exit code ${result.exitCode}); pom: ${pom}\n${tail(String(result.all ?? ''))}\nCheck that mvn works and that the Maven repository is reachable.`);
  }
  return listRepositoryLayout(outDir);
}

/** Files under a repository-layout directory: <group path>/<artifactId>/<version>/<file>. */
export function listRepositoryLayout(root: string): MavenFile[] {
  const files: MavenFile[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const parts = path.relative(root, full).split(path.sep);
        if (parts.length < 4) continue;
        const [version, artifactId] = [parts.at(-2)!, parts.at(-3)!];
        // The repository layout also holds maven-metadata-local.xml and checksum files.
        if (!entry.name.startsWith(`${artifactId}-${version}`) || /\.(sha1|md5|sha256|sha512|asc)$/.test(entry.name)) continue;
        files.push({ groupId: parts.slice(0, -3).join('.'), artifactId, version, file: entry.name, path: full });
      }
    }
  };
  walk(root);
  return files.sort((a, b) => `${a.groupId}:${a.file}`.localeCompare(`${b.groupId}:${b.file}`));
}
