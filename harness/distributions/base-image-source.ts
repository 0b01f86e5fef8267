// How the Docker base image comes to be when it is not already there. debootstrap needs root
// (it creates device nodes, chowns to root and chroots); hosted CI runners run as an
// unprivileged user with passwordless sudo. So: a user-named --base-image wins; otherwise
// root builds directly, a non-root user builds through `sudo -n` when sudo allows it without
// a password, and anything else is an error naming both ways out. The decision is a pure
// function of what was probed (probeBaseImageSituation), so every branch is unit-tested.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { BenchError } from '../errors.ts';

/** `sudo -n true`: whether sudo runs a command as root without asking for a password. */
export type SudoProbe = { readonly usable: true } | { readonly usable: false; readonly reason: string };

export interface BaseImageSituation {
  /** --base-image, when the user named one. */
  readonly baseImage?: string;
  readonly uid: number;
  readonly user: string;
  /** Absolute path of debootstrap (PATH, then /usr/sbin and /sbin), undefined when not installed. */
  readonly debootstrap?: string;
  /** Probed only when it matters: not root and no --base-image. */
  readonly sudo?: SudoProbe;
}

export type BaseImageSource =
  | { readonly kind: 'named'; readonly image: string; readonly description: string }
  | {
      readonly kind: 'debootstrap';
      readonly privilege: 'root' | 'sudo';
      /** Absolute path, run as root (directly or through sudo). */
      readonly debootstrap: string;
      /** What provenance records about how the base image was made. */
      readonly description: string;
    };

const NAMED_WAY_OUT = 'pass --base-image IMAGE naming a local image with Java 17 (load it first with `docker load -i FILE`)';

export function chooseBaseImageSource(situation: BaseImageSituation): BaseImageSource {
  if (situation.baseImage) {
    return { kind: 'named', image: situation.baseImage, description: `--base-image ${situation.baseImage} (named by the user, not built)` };
  }
  const who = `${situation.user} (uid ${situation.uid})`;
  let privilege: 'root' | 'sudo';
  if (situation.uid === 0) {
    privilege = 'root';
  } else if (situation.sudo?.usable) {
    privilege = 'sudo';
  } else {
    const refusal = situation.sudo ? situation.sudo.reason : 'sudo was not probed';
    throw new BenchError(
      `cannot build the Docker base image: debootstrap needs root, this process runs as ${who}, and \`sudo -n\` cannot be used (${refusal}). ` +
        `Either allow ${situation.user} passwordless sudo (a sudoers line such as \`${situation.user} ALL=(root) NOPASSWD: ALL\`, as hosted CI runners have), ` +
        `or ${NAMED_WAY_OUT}; --runtime local needs no image at all`,
    );
  }
  if (!situation.debootstrap) {
    throw new BenchError(
      `cannot build the Docker base image: debootstrap is not installed (not on PATH, /usr/sbin or /sbin). ` +
        `Install it (\`${privilege === 'sudo' ? 'sudo ' : ''}apt-get install debootstrap\`), or ${NAMED_WAY_OUT}`,
    );
  }
  return privilege === 'root'
    ? { kind: 'debootstrap', privilege, debootstrap: situation.debootstrap, description: `built by debootstrap running as ${who}` }
    : {
        kind: 'debootstrap',
        privilege,
        debootstrap: situation.debootstrap,
        description: `built by \`sudo -n debootstrap\`: this process runs as ${who}, sudo allowed it without a password`,
      };
}

/** The command line that runs `file args` as root with the chosen privilege. */
export function asRoot(privilege: 'root' | 'sudo', file: string, args: readonly string[]): { file: string; args: string[] } {
  return privilege === 'root' ? { file, args: [...args] } : { file: 'sudo', args: ['-n', '--', file, ...args] };
}

/** debootstrap is in /usr/sbin, which a non-root user's PATH often lacks. */
export function findDebootstrap(envPath = process.env.PATH ?? ''): string | undefined {
  const dirs = [...envPath.split(path.delimiter).filter((dir) => dir !== ''), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'debootstrap');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function probeSudo(): Promise<SudoProbe> {
  // -n: fail instead of prompting; the probe must never hang waiting for a password.
  const result = await execa('sudo', ['-n', 'true'], { reject: false, timeout: 15_000, stdin: 'ignore', all: true });
  if (result.exitCode === 0) return { usable: true };
  if ((result as { code?: string }).code === 'ENOENT') return { usable: false, reason: 'sudo is not installed' };
  const said = (result.all ?? '').trim();
  return { usable: false, reason: said ? `sudo said: ${said}` : `sudo -n true exited with ${result.exitCode ?? result.signal ?? 'an error'}` };
}

export async function probeBaseImageSituation(baseImage?: string): Promise<BaseImageSituation> {
  const uid = process.getuid?.() ?? -1;
  const user = os.userInfo().username;
  const needsSudo = !baseImage && uid !== 0;
  return {
    ...(baseImage ? { baseImage } : {}),
    uid,
    user,
    debootstrap: findDebootstrap(),
    ...(needsSudo ? { sudo: await probeSudo() } : {}),
  };
}
