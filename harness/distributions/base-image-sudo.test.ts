// The base image built the way a hosted CI runner builds it: by an unprivileged user through
// `sudo -n`. The test creates a throwaway user, shows that without a sudoers entry the build
// is refused with the message naming both ways out, then grants passwordless sudo and builds
// the real rootfs as that user through the harness's own code. The tarball is imported into
// Docker under a test tag and must run Java 17. Needs root (to create the user), sudo,
// debootstrap and Docker; skipped with the reason otherwise — except that in CI a missing
// sudo or debootstrap fails (.ci/run installs both).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { findDebootstrap } from './base-image-source.ts';
import { BASE_JAVA_HOME } from './images.ts';

const onPath = async (command: string) => (await execa('sh', ['-c', `command -v ${command}`], { reject: false })).exitCode === 0;

/** Whether a user with no relation to the owner can reach `file`: every directory above it o+x, the file itself o+r (or o+x). */
function otherUsersReach(file: string, need: number): boolean {
  const dirs: string[] = [];
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) dirs.push(dir);
  return dirs.every((dir) => (fs.statSync(dir).mode & 0o001) !== 0) && (fs.statSync(file).mode & need) !== 0;
}

async function whyNot(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return `creating a test user needs root; this process runs as uid ${process.getuid?.()}`;
  for (const tool of ['useradd', 'userdel', 'runuser']) if (!(await onPath(tool))) return `${tool} is not installed`;
  // The test user runs the harness from this checkout with this Node: both must be reachable by another user.
  for (const [file, need] of [[path.join(REPO_ROOT, 'harness', 'distributions', 'images.ts'), 0o004], [path.join(REPO_ROOT, 'node_modules', 'tsx', 'package.json'), 0o004], [process.execPath, 0o001]] as const) {
    if (!otherUsersReach(file, need)) return `${file} is not reachable by another user (a private directory above it?), so a non-root user cannot run the harness from here`;
  }
  if (!(await dockerAvailable())) return 'no Docker engine answers (the built rootfs is checked by running Java in it)';
  const missing = [...((await onPath('sudo')) ? [] : ['sudo']), ...(findDebootstrap() ? [] : ['debootstrap'])];
  if (missing.length) {
    const reason = `${missing.join(' and ')} not installed (apt-get install ${missing.join(' ')})`;
    if (process.env.CI) throw new Error(`CI must run the sudo base-image build, but ${reason}; .ci/run installs them`);
    return reason;
  }
  return undefined;
}

const skipReason = await whyNot();
if (skipReason) console.warn(`base-image-sudo.test.ts skipped: ${skipReason}`);

const user = `benchsudo${process.pid % 100_000}`;
const home = `/home/${user}`;
const sudoers = `/etc/sudoers.d/${user}`;
const imageTag = `spark-flink-bench-test/sudo-base:${user}`;
let uid = -1;
let scriptDir = '';

interface ScriptResult {
  ok: boolean;
  error?: string;
  errorName?: string;
  source?: { kind: string; privilege?: string; description: string };
  tarball?: string;
  ms?: number;
  progress?: string[];
}

/** Runs the harness code as the test user with a plain user's PATH (no sbin), the way a runner step does. */
async function asTestUser(mode: 'choose' | 'build'): Promise<ScriptResult> {
  const result = await execa(
    'runuser',
    ['-u', user, '--', 'env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin', `HOME=${home}`, `BENCH_CACHE_DIR=${home}/cache`, process.execPath, '--import', 'tsx', path.join(scriptDir, 'as-user.mts'), mode],
    { cwd: REPO_ROOT, reject: false, all: true, timeout: 900_000 },
  );
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as ScriptResult;
  } catch {
    throw new Error(`the script run as ${user} printed no result (exit ${result.exitCode}):\n${result.all}`);
  }
}

describe.skipIf(skipReason !== undefined)('base image built through sudo -n by a non-root user (real debootstrap)', () => {
  beforeAll(async () => {
    await execa('useradd', ['--create-home', '--user-group', '--shell', '/bin/sh', user]);
    uid = Number((await execa('id', ['-u', user])).stdout.trim());
    scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sudo-'));
    fs.chmodSync(scriptDir, 0o755);
    const harness = (file: string) => JSON.stringify(path.join(REPO_ROOT, 'harness', 'distributions', file));
    fs.writeFileSync(
      path.join(scriptDir, 'as-user.mts'),
      `import fs from 'node:fs';
import path from 'node:path';
import { chooseBaseImageSource, probeBaseImageSituation } from ${harness('base-image-source.ts')};
import { basePackagesFile, buildRootfs, parsePackageList } from ${harness('images.ts')};
const print = (value: unknown) => process.stdout.write('\\n' + JSON.stringify(value) + '\\n');
try {
  const source = chooseBaseImageSource(await probeBaseImageSituation());
  if (process.argv[2] === 'choose' || source.kind !== 'debootstrap') {
    print({ ok: true, source });
  } else {
    const packages = parsePackageList(fs.readFileSync(basePackagesFile(), 'utf8'));
    const tarball = path.join(process.env.BENCH_CACHE_DIR!, 'rootfs', 'test.tar');
    fs.mkdirSync(path.dirname(tarball), { recursive: true });
    const progress: string[] = [];
    const started = Date.now();
    await buildRootfs(tarball, packages, source, (m) => progress.push(m));
    print({ ok: true, source, tarball, ms: Date.now() - started, progress });
  }
} catch (error) {
  print({ ok: false, error: (error as Error).message, errorName: (error as Error).constructor.name });
}
`,
      { mode: 0o644 },
    );
  });

  afterAll(async () => {
    fs.rmSync(sudoers, { force: true });
    await execa('docker', ['rmi', '--force', imageTag], { reject: false });
    // --remove takes the home directory (cache, rootfs, tarball) with the user.
    await execa('userdel', ['--remove', user], { reject: false });
    if (scriptDir) fs.rmSync(scriptDir, { recursive: true, force: true });
  });

  it('without a sudoers entry the build is refused, naming both ways out', async () => {
    expect(await asTestUser('choose')).toEqual({
      ok: false,
      errorName: 'BenchError',
      error:
        `cannot build the Docker base image: debootstrap needs root, this process runs as ${user} (uid ${uid}), and \`sudo -n\` cannot be used (sudo said: sudo: a password is required). ` +
        `Either allow ${user} passwordless sudo (a sudoers line such as \`${user} ALL=(root) NOPASSWD: ALL\`, as hosted CI runners have), ` +
        'or pass --base-image IMAGE naming a local image with Java 17 (load it first with `docker load -i FILE`); --runtime local needs no image at all',
    });
  }, 60_000);

  it('with passwordless sudo it builds the rootfs through sudo -n; the tarball is the user’s and runs Java 17', async () => {
    fs.writeFileSync(sudoers, `${user} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    await execa('visudo', ['-c', '-f', sudoers]);

    const result = await asTestUser('build');
    expect(result.error).toBeUndefined();
    expect(result.source).toEqual({
      kind: 'debootstrap',
      privilege: 'sudo',
      debootstrap: '/usr/sbin/debootstrap',
      description: `built by \`sudo -n debootstrap\`: this process runs as ${user} (uid ${uid}), sudo allowed it without a password`,
    });
    console.log(`rootfs built through sudo -n in ${result.ms} ms (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}); progress:\n  ${result.progress?.join('\n  ')}`);

    const tarball = result.tarball!;
    expect(fs.statSync(tarball).uid).toBe(uid);
    // Nothing root-owned is left behind in the user's cache.
    expect(fs.readdirSync(path.dirname(tarball))).toEqual(['test.tar']);
    const listing = (await execa('tar', ['-tvf', tarball, '--numeric-owner'])).stdout.split('\n');
    expect(listing.find((line) => line.includes(`.${BASE_JAVA_HOME} -> `))).toMatch(
      new RegExp(`^lrwxrwxrwx 0/0 .* \\.${BASE_JAVA_HOME} -> java-17-openjdk-[a-z0-9]+$`),
    );
    expect(listing.filter((line) => /var\/cache\/apt\/archives\/[^/]+\.deb$/.test(line))).toEqual([]);
    expect(listing.find((line) => line.endsWith('./etc/shadow'))).toMatch(/^-rw-r----- 0\/42 /);

    await execa('docker', ['import', '--change', `ENV JAVA_HOME=${BASE_JAVA_HOME}`, '--change', `ENV PATH=${BASE_JAVA_HOME}/bin:/usr/bin:/bin`, tarball, imageTag]);
    const java = await execa('docker', ['run', '--rm', imageTag, 'java', '-version'], { all: true });
    expect(java.all).toMatch(/version "17\./);
  }, 900_000);
});
