// Docker images built locally (no registry is reachable): a base image imported from a
// debootstrapped Debian rootfs, and one engine image per distribution on top of it. Tags are
// content hashes of their inputs, so an unchanged input never rebuilds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { execa } from 'execa';
import { BenchError } from '../errors.ts';
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

/** Reads apt's configuration the way apt does: sources.list plus *.list / *.sources in sources.list.d. */
export function readDebianMirror(aptDir = '/etc/apt', suite = BASE_SUITE): string {
  const files: string[] = [];
  if (fs.existsSync(path.join(aptDir, 'sources.list'))) files.push(path.join(aptDir, 'sources.list'));
  const dropIns = path.join(aptDir, 'sources.list.d');
  if (fs.existsSync(dropIns)) {
    for (const name of fs.readdirSync(dropIns).sort()) if (/\.(list|sources)$/.test(name)) files.push(path.join(dropIns, name));
  }
  const mirror = debianMirrorFrom(files.map((file) => ({ path: file, content: fs.readFileSync(file, 'utf8') })), suite);
  if (!mirror) {
    throw new BenchError(
      `no Debian '${suite}' repository found in ${aptDir}/sources.list or ${dropIns}/*.{list,sources}; ` +
        `configure apt for ${suite}, or pass --base-image NAME with a locally present image that has Java 17`,
    );
  }
  return mirror;
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

/** debootstrap a minimal rootfs and pack it as a tarball in the cache (written to temp, renamed when complete). */
async function buildRootfs(tarball: string, packages: readonly string[], progress: (m: string) => void): Promise<void> {
  const mirror = readDebianMirror();
  const work = fs.mkdtempSync(path.join(path.dirname(tarball), 'tmp-'));
  const root = path.join(work, 'root');
  try {
    progress(`debootstrap ${BASE_SUITE} (${packages.join(', ')}) from ${mirror}`);
    const started = Date.now();
    await execa('debootstrap', ['--variant=minbase', `--include=${packages.join(',')}`, BASE_SUITE, root, mirror], { all: true }).catch(
      (error: { all?: string; message: string }) => {
        throw new BenchError(`debootstrap failed (is it installed: apt-get install debootstrap?):\n${(error.all ?? error.message).split('\n').slice(-20).join('\n')}`);
      },
    );
    progress(`debootstrap took ${Date.now() - started} ms`);
    const jvm = fs.readdirSync(path.join(root, 'usr/lib/jvm')).find((name) => /^java-17-openjdk-/.test(name));
    if (!jvm) throw new BenchError(`the rootfs has no /usr/lib/jvm/java-17-openjdk-*: is openjdk-17-jre-headless in ${basePackagesFile()}?`);
    fs.symlinkSync(jvm, path.join(root, BASE_JAVA_HOME));
    // Package caches only make the image bigger.
    for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const name of fs.readdirSync(path.join(root, dir))) {
        if (name.endsWith('.deb') || (dir.endsWith('lists') && name !== 'lock' && name !== 'partial')) fs.rmSync(path.join(root, dir, name), { force: true });
      }
    }
    const partial = path.join(work, 'rootfs.tar');
    await execa('tar', ['-C', root, '--numeric-owner', '-cf', partial, '.']);
    fs.renameSync(partial, tarball);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
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

/** The base image: user-named (must be local), or imported from a cached debootstrap rootfs. */
export async function ensureBaseImage(docker: Docker, options: EnsureImagesOptions = {}): Promise<string> {
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  if (options.baseImage) {
    if (!(await imageExists(docker, options.baseImage))) {
      throw new BenchError(
        `base image '${options.baseImage}' is not present locally and nothing can be pulled here; ` +
          `load it first (docker load -i FILE) or omit --base-image to build one from Debian ${BASE_SUITE}`,
      );
    }
    return options.baseImage;
  }
  const file = basePackagesFile();
  const packages = parsePackageList(fs.readFileSync(file, 'utf8'), file);
  const tag = baseImageTag(packages);
  if (await imageExists(docker, tag)) return tag;

  const rootfsDir = path.join(cacheDir(), 'rootfs');
  fs.mkdirSync(rootfsDir, { recursive: true });
  const tarball = path.join(rootfsDir, `${tag.split(':')[1]}.tar`);
  if (!fs.existsSync(tarball)) await buildRootfs(tarball, packages, progress);
  progress(`importing ${tarball} as ${tag}`);
  const started = Date.now();
  const [repo, version] = tag.split(':');
  const stream = (await docker.importImage(fs.createReadStream(tarball), {
    repo,
    tag: version,
    changes: [`ENV JAVA_HOME=${BASE_JAVA_HOME}`, `ENV PATH=${BASE_JAVA_HOME}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, 'CMD ["bash"]'],
  } as object)) as unknown as Readable;
  await followStream(docker, stream, `import ${tag}`, progress);
  if (!(await imageExists(docker, tag))) throw new Error(`docker import of ${tarball} reported success but ${tag} does not exist`);
  progress(`imported ${tag} in ${Date.now() - started} ms`);
  return tag;
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
  const stream = (await docker.buildImage(buildContext(dockerfile, dist.home), {
    t: tag,
    buildargs: { BASE: base },
    rm: true,
    forcerm: true,
    labels: { [LABEL_TOOL]: LABEL_TOOL_VALUE, 'bench.lock-hash': dist.lockHash },
  })) as unknown as Readable;
  await followStream(docker, stream, `build ${tag}`, progress);
  if (!(await imageExists(docker, tag))) throw new Error(`docker build of ${tag} reported success but the image does not exist`);
  progress(`built ${tag} in ${Date.now() - started} ms`);
  return tag;
}

/** Tags per distribution ('base' included), building what is missing. */
export async function ensureImages(
  dists: readonly DistributionForImage[],
  options: EnsureImagesOptions = {},
): Promise<Partial<Record<DistributionName, string>>> {
  const docker = options.docker ?? new Docker();
  const progress = options.onProgress ?? ((m: string) => log.info(m));
  const images: Partial<Record<DistributionName, string>> = { base: await ensureBaseImage(docker, { ...options, onProgress: progress }) };
  for (const dist of dists) images[dist.name] = await ensureEngineImage(docker, dist, images.base!, progress);
  return images;
}
