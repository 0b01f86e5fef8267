import { describe, expect, it } from 'vitest';
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
