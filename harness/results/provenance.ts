// Provenance the harness can read by itself: host, toolchain, git state, harness version.
// Runtime, distributions and engine settings are added by the parts that know them.
// Anything unreadable becomes `missing` with the reason — never a guess or an empty string.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../paths.ts';
import { missing, type GitProvenance, type HostProvenance, type Provenance } from './schema.ts';

const execFileAsync = promisify(execFile);
const COMMAND_TIMEOUT_MS = 15_000;

export async function harnessVersion(repoRoot: string = REPO_ROOT): Promise<string> {
  const file = path.join(repoRoot, 'package.json');
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string' || parsed.version === '') {
    throw new Error(`${file} has no "version" string; the harness version is recorded in every result`);
  }
  return parsed.version;
}

/** Commit and dirty flag (uncommitted or untracked files) of the work tree at `repoRoot`. */
export async function gitProvenance(repoRoot: string = REPO_ROOT): Promise<GitProvenance> {
  try {
    const git = (...args: string[]) => execFileAsync('git', ['-C', repoRoot, ...args], { timeout: COMMAND_TIMEOUT_MS });
    const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
    const status = (await git('status', '--porcelain')).stdout;
    return { commit, dirty: status.trim() !== '' };
  } catch (error) {
    return missing(`git could not describe ${repoRoot}: ${commandFailure(error)}`);
  }
}

export interface HostAndToolchain {
  host: HostProvenance;
  node: Provenance['node'];
  java: Provenance['java'];
}

export async function captureHostProvenance(): Promise<HostAndToolchain> {
  const [osName, cpuModel, java] = await Promise.all([osPrettyName(), cpuModelName(), javaVersion()]);
  return {
    host: {
      os: osName,
      arch: os.arch(),
      kernel: os.release(),
      cpuModel,
      cores: os.cpus().length,
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
    },
    node: { version: process.version },
    java,
  };
}

/** The part of the provenance the harness knows before any runtime or engine is involved. */
export async function captureBaseProvenance(
  repoRoot: string = REPO_ROOT,
): Promise<Pick<Provenance, 'harness' | 'git' | 'host' | 'node' | 'java'>> {
  const [version, git, hostAndToolchain] = await Promise.all([
    harnessVersion(repoRoot),
    gitProvenance(repoRoot),
    captureHostProvenance(),
  ]);
  return { harness: { version }, git, ...hostAndToolchain };
}

async function osPrettyName(): Promise<string> {
  try {
    const match = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(await readFile('/etc/os-release', 'utf8'));
    if (match) return match[1];
  } catch {
    // Not Linux, or no os-release: fall through to what Node knows.
  }
  return `${os.type()} ${os.version()}`;
}

async function cpuModelName(): Promise<HostProvenance['cpuModel']> {
  let cpuinfo: string;
  try {
    cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
  } catch (error) {
    return missing(`/proc/cpuinfo unreadable: ${(error as Error).message}`);
  }
  const match = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return match ? match[1].trim() : missing('/proc/cpuinfo has no "model name" line');
}

/** `java -version` of the Java the local runtime would use (JAVA_HOME first, then PATH). */
export async function javaVersion(): Promise<Provenance['java']> {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  try {
    // java prints its version on stderr.
    const { stderr, stdout } = await execFileAsync(java, ['-version'], { timeout: COMMAND_TIMEOUT_MS });
    const text = `${stderr}${stdout}`.trim();
    const version = /version "([^"]+)"/.exec(text)?.[1];
    if (!version) return missing(`\`${java} -version\` printed no version: ${JSON.stringify(text.slice(0, 200))}`);
    return { version, description: text.split('\n').map((line) => line.trim()).join('; ') };
  } catch (error) {
    return missing(`\`${java} -version\` failed: ${commandFailure(error)}`);
  }
}

function commandFailure(error: unknown): string {
  const failure = error as { code?: unknown; stderr?: unknown; message?: string };
  if (failure.code === 'ENOENT') return 'command not found';
  const stderr = typeof failure.stderr === 'string' ? failure.stderr.trim() : '';
  return stderr || failure.message || String(error);
}
