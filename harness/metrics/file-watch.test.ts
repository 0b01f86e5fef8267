import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWatch, listFiles } from './file-watch.ts';

describe('file watch', () => {
  it('counts only files created after the baseline, keeps the largest size seen, and remembers vanished ones', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-watch-'));
    const dir = path.join(root, 'local');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'before.bin'), 'x'.repeat(50));
    const missingDir = path.join(root, 'never');
    const watch = new FileWatch([{ label: 'w1', dir }, { label: 'w2', dir: missingDir }]);
    expect(watch.poll()).toEqual({ w1: { files: 0, bytes: 0 }, w2: { files: 0, bytes: 0 } });

    fs.mkdirSync(path.join(dir, 'blockmgr-1', '0c'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blockmgr-1', '0c', 'shuffle_0_1_0.data'), 'x'.repeat(100));
    fs.writeFileSync(path.join(dir, 'spill.tmp'), 'x'.repeat(30));
    expect(watch.poll()).toEqual({ w1: { files: 2, bytes: 130 }, w2: { files: 0, bytes: 0 } });

    fs.writeFileSync(path.join(dir, 'spill.tmp'), 'x'.repeat(10));
    fs.rmSync(path.join(dir, 'blockmgr-1'), { recursive: true });
    expect(watch.poll()).toEqual({ w1: { files: 1, bytes: 10 }, w2: { files: 0, bytes: 0 } });

    const summary = watch.summary();
    expect(summary).toMatchObject({ dirs: [dir, missingDir], dirsNeverPresent: [missingDir], polls: 3, filesCreated: 2, bytesCreated: 130, maxFilesAtOnce: 2, maxBytesAtOnce: 130, largestFileBytes: 100 });
    fs.rmSync(root, { recursive: true });
  });

  it('lists nothing for a missing directory', () => {
    expect(listFiles('/nonexistent/bench/dir').size).toBe(0);
  });
});
