import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inSubdirectories, receivedBytes, watchDownload } from './download-watch.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('download watch', () => {
  it('counts per file the largest candidate, capped at the locked size', () => {
    const sizes: Record<string, number> = { '/tmp/a.part': 300, '/out/a': 120, '/tmp/b': 999 };
    const files = [
      { size: 500, candidates: () => ['/tmp/a.part', '/out/a', '/nowhere'] },
      { size: 400, candidates: () => ['/tmp/b'] },
      { size: 50, candidates: () => [] },
    ];
    expect(receivedBytes(files, (file) => sizes[file])).toBe(300 + 400 + 0);
  });

  it('finds pip-style downloads one directory down', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-watch-'));
    fs.mkdirSync(path.join(dir, 'pip-unpack-x1'));
    fs.mkdirSync(path.join(dir, 'pip-unpack-x2'));
    fs.writeFileSync(path.join(dir, 'stray-file'), '');
    expect(inSubdirectories(dir, 'p.whl').sort()).toEqual([path.join(dir, 'pip-unpack-x1', 'p.whl'), path.join(dir, 'pip-unpack-x2', 'p.whl')]);
    expect(inSubdirectories(path.join(dir, 'absent'), 'p.whl')).toEqual([]);
  });

  it('reports a growing file, and the total once when stopped after success', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-watch-'));
    const file = path.join(dir, 'big.jar');
    const reports: [string, number, number][] = [];
    const watch = watchDownload('maven: 1 artifact(s)', [{ size: 3000, candidates: () => [`${file}.part`, file] }], (...args) => reports.push(args), 20);
    expect(reports).toEqual([['maven: 1 artifact(s)', 0, 3000]]);
    fs.writeFileSync(`${file}.part`, Buffer.alloc(1000));
    await waitFor(() => reports.length === 2);
    fs.renameSync(`${file}.part`, file);
    fs.appendFileSync(file, Buffer.alloc(1000));
    await waitFor(() => reports.length === 3);
    watch.stop(true);
    expect(reports).toEqual([
      ['maven: 1 artifact(s)', 0, 3000],
      ['maven: 1 artifact(s)', 1000, 3000],
      ['maven: 1 artifact(s)', 2000, 3000],
      ['maven: 1 artifact(s)', 3000, 3000],
    ]);
  });

  it('says nothing more when stopped after a failure', () => {
    const reports: number[] = [];
    watchDownload('pip: x', [{ size: 10, candidates: () => [] }], (_label, received) => reports.push(received), 20).stop(false);
    expect(reports).toEqual([0]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not reached within 5 s');
}
