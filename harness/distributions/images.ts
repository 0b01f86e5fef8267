// Docker images built locally (no registry is reachable): a base image imported from a
// debootstrapped Debian rootfs (built as root, or through `sudo -n` by a non-root user — see
// base-image-source.ts), and one engine image per distribution on top of it. Tags are content
// hashes of their inputs, so an unchanged input never rebuilds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { execa } from 'execa';
import { BenchError } from '../errors.ts';
import { readableOf } from '../node-streams.ts';
import { asRoot, type BaseImageSource, chooseBaseImageSource, probeBaseImageSituation } from './base-image-source.ts';
import { createLogger } from '../log.ts';
import { cacheDir, REPO_ROOT } from '../paths.ts';
import { type DistributionName, LABEL_TOOL, LABEL_TOOL_VALUE } from '../runtime/runtime.ts';

const log = createLogger('bench:images');

export type EngineDistributionName = 'spark' | 'flink' | 'kafka';
export const IMAGE_REPOSITORY = 'spark-flink-bench';
export const BASE_SUITE = 'bookworm';
/** Bump when the steps in buildRootfs / importBaseImage change: it is part of the base tag. */
export const BASE_BUILD_VERSION = '1';
/** A fixed JAVA_HOME, independent of the architecture suffix Debian puts on the JVM directory. */
export const BASE_JAVA_HOME = '/usr/lib/jvm/java-17';

export interface DistributionForImage {
  readonly name: EngineDistributionName;
  /** Host directory of the unpacked distribution: copied to /opt/<name> in the image. */
  readonly home: string;
  readonly lockHash: string;
}

export interface EnsureImagesOptions {
  /** A user-named base image (e.g. eclipse-temurin:17-jre); must already be present locally. */
  readonly baseImage?: string;
  readonly onProgress?: (message: string) => void;
  readonly docker?: Docker;
}

const sha12 = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Packages of docker/base/packages.txt: one per line, '#' comments and blank lines ignored. */
export function parsePackageList(text: string, file = 'docker/base/packages.txt'): string[] {
  const packages = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  for (const name of packages) {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new BenchError(`${file}: '${name}' is not a Debian package name; write one package per line`);
  }
  if (packages.length === 0) throw new BenchError(`${file} lists no packages; it needs at least openjdk-17-jre-headless`);
  return packages;
}

export function basePackagesFile(): string {
  return path.join(REPO_ROOT, 'docker', 'base', 'packages.txt');
}

export function baseImageTag(packages: readonly string[], suite = BASE_SUITE): string {
  const hash = sha12(JSON.stringify({ suite, packages: [...packages].sort(), build: BASE_BUILD_VERSION }));
  return `${IMAGE_REPOSITORY}/base:${hash}`;
}

export function engineImageTag(name: EngineDistributionName, base: string, dockerfile: string, lockHash: string): string {
  return `${IMAGE_REPOSITORY}/${name}:${sha12(JSON.stringify({ base, dockerfile, lockHash }))}`;
}

/**
 * The Debian mirror this machine's apt uses for `suite` (main archive, not security/updates),
 * from sources.list (one-line format) and sources.list.d/*.sources (deb822) contents.
 */
export function debianMirrorFrom(sources: readonly { path: string; content: string }[], suite = BASE_SUITE): string | undefined {
  for (const { path: file, content } of sources) {
    if (file.endsWith('.sources')) {
      for (const stanza of content.split(/\n\s*\n/)) {
        const field = (name: string) => stanza.match(new RegExp(`^${name}:\\s*(.+)$`, 'mi'))?.[1]?.trim().split(/\s+/) ?? [];
        if (!field('Types').includes('deb') || !field('Suites').includes(suite)) continue;
        const uri = field('URIs')[0];
        if (uri) return uri.replace(/\/$/, '');
      }
    } else {
      for (const line of content.split('\n')) {
        // deb [options] URI suite components...
        const match = line.trim().match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
        if (match && match[2] === suite) return match[1].replace(/\/$/, '');
      }
    }
  }
  return undefined;
}

/** Where debootstrap fetches the rootfs from, and why that one (printed, and kept with the build). */
export interface DebianMirrorChoice {
  /** undefined: debootstrap's own default mirror for the suite. */
  readonly mirror?: string;
  readonly from: string;
}

/**
 * BENCH_DEBIAN_MIRROR when set, else the mirror apt uses here (sources.list plus *.list /
 * *.sources in sources.list.d, read the way apt does), else none: on a host whose apt has no
 * Debian repository (an Ubuntu CI runner) debootstrap uses its own default mirror for the suite.
 */
export function readDebianMirror(aptDir = '/etc/apt', suite = BASE_SUITE, override = process.env.BENCH_DEBIAN_MIRROR): DebianMirrorChoice {
  if (override && override.trim() !== '') return { mirror: override.trim().replace(/\/$/, ''), from: 'BENCH_DEBIAN_MIRROR' };
  const files: string[] = [];
  if (fs.existsSync(path.join(aptDir, 'sources.list'))) files.push(path.join(aptDir, 'sources.list'));
  const dropIns = path.join(aptDir, 'sources.list.d');
  if (fs.existsSync(dropIns)) {
    for (const name of fs.readdirSync(dropIns).sort()) if (/\.(list|sources)$/.test(name)) files.push(path.join(dropIns, name));
  }
  const mirror = debianMirrorFrom(files.map((file) => ({ path: file, content: fs.readFileSync(file, 'utf8') })), suite);
  if (mirror) return { mirror, from: `apt's ${suite} repository (${aptDir})` };
  return {
    from: `debootstrap's default mirror for ${suite}: no Debian '${suite}' repository in ${aptDir}/sources.list or ${dropIns}/*.{list,sources} (set BENCH_DEBIAN_MIRROR to choose one)`,
  };
}

/** debootstrap's arguments: a minimal rootfs with the listed packages; no mirror argument = its default. */
export function debootstrapArgs(packages: readonly string[], root: string, mirror?: string, suite = BASE_SUITE): string[] {
  return ['--variant=minbase', `--include=${packages.join(',')}`, suite, root, ...(mirror ? [mirror] : [])];
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

/**
 * debootstrap a minimal rootfs and pack it as a tarball (written to temp, renamed when
 * complete). Every step that touches the root-owned rootfs runs as root — directly, or through
 * `sudo -n` — and the finished tarball belongs to this process's user.
 */
export async function buildRootfs(
  tarball: string,
  packages: readonly string[],
  source: Extract<BaseImageSource, { kind: 'debootstrap' }>,
  progress: (m: string) => void,
): Promise<void> {
  const { mirror, from } = readDebianMirror();
  const work = fs.mkdtempSync(path.join(path.dirname(tarball), 'tmp-'));
  const root = path.join(work, 'root');
  const asRootOrFail = async (what: string, file: string, args: readonly string[]) => {
    const command = asRoot(source.privilege, file, args);
    await execa(command.file, command.args, { stdin: 'ignore', all: true }).catch((error: { all?: string; message: string }) => {
      const said = error.all ?? error.message;
      throw new BenchError(`${what} failed (${[command.file, ...command.args].join(' ')}):\n${said.split('\n').slice(-20).join('\n')}`);
    });
  };
  try {
    progress(`debootstrap ${BASE_SUITE} (${packages.join(', ')}) from ${mirror ?? 'its default mirror'} [${from}]; ${source.description}`);
    const started = Date.now();
    await asRootOrFail('debootstrap', source.debootstrap, debootstrapArgs(packages, root, mirror));
    progress(`debootstrap took ${Date.now() - started} ms`);
    const jvm = fs.readdirSync(path.join(root, 'usr/lib/jvm')).find((name) => /^java-17-openjdk-/.test(name));
    if (!jvm) throw new BenchError(`the rootfs has no /usr/lib/jvm/java-17-openjdk-*: is openjdk-17-jre-headless in ${basePackagesFile()}?`);
    await asRootOrFail('linking JAVA_HOME', 'ln', ['-s', jvm, path.join(root, BASE_JAVA_HOME)]);
    // Package caches only make the image bigger.
    await asRootOrFail('removing the package cache', 'find', [path.join(root, 'var/cache/apt/archives'), '-maxdepth', '1', '-type', 'f', '-name', '*.deb', '-delete']);
    await asRootOrFail('removing the package lists', 'find', [path.join(root, 'var/lib/apt/lists'), '-maxdepth', '1', '-type', 'f', '!', '-name', 'lock', '-delete']);
    const partial = path.join(work, 'rootfs.tar');
    // Some rootfs files are root-only readable (/etc/shadow…), so tar runs as root; the tarball
    // is then handed to this process's user, who imports it and may remove it.
    await asRootOrFail('packing the rootfs', 'tar', ['-C', root, '--numeric-owner', '-cf', partial, '.']);
    if (source.privilege === 'sudo') await asRootOrFail('handing over the tarball', 'chown', [`${process.getuid!()}:${process.getgid!()}`, partial]);
    fs.renameSync(partial, tarball);
  } finally {
    // The rootfs belongs to root; --one-file-system never follows a mount debootstrap left behind.
    const command = asRoot(source.privilege, 'rm', ['-rf', '--one-file-system', root]);
    const removed = await execa(command.file, command.args, { reject: false, stdin: 'ignore', all: true });
    if (removed.exitCode !== 0) log.warn(`could not remove ${root} (${[command.file, ...command.args].join(' ')}): ${removed.all ?? ''}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

async function followStream(docker: Docker, stream: Readable, what: string, progress: (m: string) => void): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: { error?: string; errorDetail?: { message?: string } }[]) => {
        const failed = output?.find((event) => event.error);
        if (error) reject(new Error(`${what} failed: ${error.message}`));
        else if (failed) reject(new Error(`${what} failed: ${failed.errorDetail?.message ?? failed.error}`));
        else resolve();
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (line) log.debug(`${what}: ${line}`);
        if (line?.startsWith('Step ')) progress(`${what}: ${line}`);
      },
    );
  });
}

export interface EnsuredBaseImage {
  readonly tag: string;
  /** How this run came by it, for provenance: named, already present, imported, or built (and how). */
  readonly origin: string;
}

/**
 * The base image: user-named (must be local), already present, imported from a cached
 * debootstrap rootfs, or built — as root, or through `sudo -n` (chooseBaseImageSource).
 */
export async function ensureBaseImage(docker: Docker, options: EnsureImagesOptions = {}): Promise<EnsuredBaseImage> {
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  if (options.baseImage) {
    if (!(await imageExists(docker, options.baseImage))) {
      throw new BenchError(
        `base image '${options.baseImage}' is not present locally and nothing can be pulled here; ` +
          `load it first (docker load -i FILE) or omit --base-image to build one from Debian ${BASE_SUITE}`,
      );
    }
    return { tag: options.baseImage, origin: chooseBaseImageSource(await probeBaseImageSituation(options.baseImage)).description };
  }
  const file = basePackagesFile();
  const packages = parsePackageList(fs.readFileSync(file, 'utf8'), file);
  const tag = baseImageTag(packages);
  if (await imageExists(docker, tag)) return { tag, origin: 'already present in the Docker engine (not rebuilt by this run)' };

  const rootfsDir = path.join(cacheDir(), 'rootfs');
  fs.mkdirSync(rootfsDir, { recursive: true });
  const tarball = path.join(rootfsDir, `${tag.split(':')[1]}.tar`);
  let origin: string;
  if (fs.existsSync(tarball)) {
    origin = `imported from the cached rootfs ${tarball} (built earlier, not by this run)`;
  } else {
    // Only a build needs root; the decision throws, naming both ways out, when there is none.
    const source = chooseBaseImageSource(await probeBaseImageSituation());
    if (source.kind !== 'debootstrap') throw new Error('unreachable: no --base-image was given');
    await buildRootfs(tarball, packages, source, progress);
    origin = source.description;
  }
  progress(`importing ${tarball} as ${tag}`);
  const started = Date.now();
  const [repo, version] = tag.split(':');
  const stream = readableOf(await docker.importImage(fs.createReadStream(tarball), {
    repo,
    tag: version,
    changes: [`ENV JAVA_HOME=${BASE_JAVA_HOME}`, `ENV PATH=${BASE_JAVA_HOME}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, 'CMD ["bash"]'],
  } as object), `docker import of ${tarball}`);
  await followStream(docker, stream, `import ${tag}`, progress);
  if (!(await imageExists(docker, tag))) throw new Error(`docker import of ${tarball} reported success but ${tag} does not exist`);
  progress(`imported ${tag} in ${Date.now() - started} ms`);
  return { tag, origin };
}

interface TarPack extends Readable {
  entry(header: { name: string; mode?: number }, content: string): void;
}
const require = createRequire(import.meta.url);
// tar-fs / tar-stream ship no types; dockerode depends on both.
const tarStream = require('tar-stream') as { pack(): TarPack };
const tarFs = require('tar-fs') as { pack(dir: string, options: { pack: TarPack; map: (header: { name: string }) => { name: string } }): TarPack };

/** Build context: the Dockerfile plus the distribution home under dist/. */
function buildContext(dockerfile: string, home: string): Readable {
  const pack = tarStream.pack();
  pack.entry({ name: 'Dockerfile', mode: 0o644 }, dockerfile);
  return tarFs.pack(home, {
    pack,
    map: (header) => {
      header.name = `dist/${header.name}`;
      return header;
    },
  });
}

export async function ensureEngineImage(docker: Docker, dist: DistributionForImage, base: string, progress: (m: string) => void): Promise<string> {
  const dockerfilePath = path.join(REPO_ROOT, 'docker', dist.name, 'Dockerfile');
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  if (!fs.existsSync(dist.home) || !fs.statSync(dist.home).isDirectory()) {
    throw new BenchError(`distribution home for ${dist.name} does not exist: ${dist.home}; run \`npx bench prepare\` first`);
  }
  // A user-named base may be re-tagged; its image id is what the engine image is built on.
  const baseId = base.startsWith(`${IMAGE_REPOSITORY}/`) ? base : (await docker.getImage(base).inspect()).Id;
  const tag = engineImageTag(dist.name, baseId, dockerfile, dist.lockHash);
  if (await imageExists(docker, tag)) return tag;
  progress(`building ${tag} from ${dist.home}`);
  const started = Date.now();
  const stream = readableOf(await docker.buildImage(buildContext(dockerfile, dist.home), {
    t: tag,
    buildargs: { BASE: base },
    rm: true,
    forcerm: true,
    labels: { [LABEL_TOOL]: LABEL_TOOL_VALUE, 'bench.lock-hash': dist.lockHash },
  }), `docker build of ${tag}`);
  await followStream(docker, stream, `build ${tag}`, progress);
  if (!(await imageExists(docker, tag))) throw new Error(`docker build of ${tag} reported success but the image does not exist`);
  progress(`built ${tag} in ${Date.now() - started} ms`);
  return tag;
}

export interface EnsuredImages {
  /** Tag per distribution, 'base' included. */
  readonly tags: Partial<Record<DistributionName, string>>;
  /** How the base image was come by (EnsuredBaseImage.origin). */
  readonly baseOrigin: string;
}

/** Tags per distribution ('base' included), building what is missing. */
export async function ensureImages(dists: readonly DistributionForImage[], options: EnsureImagesOptions = {}): Promise<EnsuredImages> {
  const docker = options.docker ?? new Docker();
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  const base = await ensureBaseImage(docker, { ...options, onProgress: progress });
  const tags: Partial<Record<DistributionName, string>> = { base: base.tag };
  for (const dist of dists) tags[dist.name] = await ensureEngineImage(docker, dist, base.tag, progress);
  return { tags, baseOrigin: base.origin };
}
