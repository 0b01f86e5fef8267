import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canMountTmpfs, mountSmallDisk } from './small-disk.ts';
import { asFileSystemError, fileSystemCodeOf, fileSystemMessage, FileSystemError, unwrappedFileSystemError } from './file-system-error.ts';

const errno = (code: string, syscall: string, path?: string) => Object.assign(new Error(`${code}: something, ${syscall}`), { code, syscall, ...(path ? { path } : {}) });

describe('fileSystemMessage', () => {
  it('is one line: path, operation, what happened, what survived, what was lost, what to do', () => {
    expect(
      fileSystemMessage(
        { code: 'ENOSPC', operation: 'write', path: '/r/reports/x/index.html', lost: 'the report was not written', hint: 'then run `npx bench report x`' },
        ['results/x/results.json is complete with 2 measurements'],
      ),
    ).toBe(
      'could not write /r/reports/x/index.html: no space left on device (ENOSPC); results/x/results.json is complete with 2 measurements; the report was not written (free space there, then run `npx bench report x`)',
    );
    expect(fileSystemMessage({ code: 'EROFS', operation: 'create directory', path: '/ro/data' })).toBe('could not create directory /ro/data: read-only file system (EROFS) (use a writable file system)');
    expect(fileSystemMessage({ code: 'EACCES', operation: 'open', path: '/x' }, ['a', 'b'])).toBe('could not open /x: permission denied (EACCES); a; b (make it writable for this user)');
  });
});

describe('recognising file-system errors', () => {
  it('by errno code, by a library message (DuckDB), and through causes', () => {
    expect(fileSystemCodeOf(errno('ENOSPC', 'write'))).toBe('ENOSPC');
    expect(fileSystemCodeOf(new Error('IO Error: Could not write file "/d/x.parquet": No space left on device'))).toBe('ENOSPC');
    expect(fileSystemCodeOf(new Error('outer', { cause: errno('EROFS', 'open', '/x') }))).toBe('EROFS');
    expect(fileSystemCodeOf(errno('ECONNREFUSED', 'connect'))).toBeUndefined();
    expect(fileSystemCodeOf(new Error('boom'))).toBeUndefined();
  });

  it('takes path and operation from the context first, then from the error', () => {
    const wrapped = asFileSystemError(errno('ENOSPC', 'write'), { path: '/r/results.json', lost: 'x was not recorded' });
    expect(wrapped).toBeInstanceOf(FileSystemError);
    expect(wrapped!.kind).toBe('environment');
    expect(wrapped!.message).toBe('could not write /r/results.json: no space left on device (ENOSPC); x was not recorded (free space there)');
    expect(asFileSystemError(errno('EACCES', 'mkdir', '/ro/dir'))!.message).toBe('could not create directory /ro/dir: permission denied (EACCES) (make it writable for this user)');
    expect(asFileSystemError(new Error('boom'))).toBeUndefined();
  });

  it('an unwrapped error counts only when it comes from a file call (not a refused Docker socket)', () => {
    expect(unwrappedFileSystemError(errno('EACCES', 'connect', '/var/run/docker.sock'))).toBeUndefined();
    expect(unwrappedFileSystemError(new Error('permission denied somewhere'))).toBeUndefined();
    expect(unwrappedFileSystemError(new Error('failed', { cause: errno('ENOSPC', 'open', '/r/x') }))!.message).toBe('could not open /r/x: no space left on device (ENOSPC) (free space there)');
  });
});

describe.skipIf(!canMountTmpfs)('on a read-only file system', () => {
  it('a recursive mkdir says ENOENT; the message gives the real reason (EROFS) and the directory it could not create', () => {
    const disk = mountSmallDisk(64);
    try {
      execFileSync('mount', ['-o', 'remount,ro', disk.dir]);
      let thrown: unknown;
      try {
        fs.mkdirSync(path.join(disk.dir, 'results', 'run-1'), { recursive: true });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(unwrappedFileSystemError(thrown)!.message).toBe(`could not create directory ${path.join(disk.dir, 'results')}: read-only file system (EROFS) (use a writable file system)`);
    } finally {
      disk.unmount();
    }
  });
});
