// For tests: a real small file system (a size-limited tmpfs) on which writes fail with ENOSPC,
// as on a full disk. Needs root (mount); tests skip without it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export interface SmallDisk {
  readonly dir: string;
  unmount(): void;
}

export const canMountTmpfs = process.getuid?.() === 0 && process.platform === 'linux';

export function mountSmallDisk(sizeKiB: number): SmallDisk {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir]);
  return {
    dir,
    unmount() {
      execFileSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
