// A full disk, a read-only mount or a directory we may not write, said in one line: the path,
// the operation, what happened, what survived (filled in by cli/main.ts from the results
// stores), what was lost and what to do. Kind 'environment' (exit 1); no stack unless --debug.
import fs from 'node:fs';
import nodePath from 'node:path';
import { BenchError } from './errors.ts';

export const FILE_SYSTEM_CODES = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
} as const;
export type FileSystemCode = keyof typeof FILE_SYSTEM_CODES;

export interface FileSystemFailure {
  readonly code: FileSystemCode;
  /** 'write', 'create directory', 'rename' … */
  readonly operation: string;
  readonly path: string;
  /** What this failure means was not done: "the report was not written". */
  readonly lost?: string;
  /** What to do besides the code's own remedy: "then run `npx bench report <id>`". */
  readonly hint?: string;
}

const REMEDIES: Record<FileSystemCode, string> = {
  ENOSPC: 'free space there',
  EDQUOT: 'free space there (or raise the quota)',
  EACCES: 'make it writable for this user',
  EPERM: 'make it writable for this user',
  EROFS: 'use a writable file system',
};

/**
 * Pure: the one line, e.g. "could not write /r/index.html: no space left on device (ENOSPC);
 * results/x/results.json is complete with 2 measurements; the report was not written (free
 * space there, then run `npx bench report x`)".
 */
export function fileSystemMessage(failure: FileSystemFailure, survived: readonly string[] = []): string {
  const parts = [`could not ${failure.operation} ${failure.path}: ${FILE_SYSTEM_CODES[failure.code]} (${failure.code})`, ...survived, ...(failure.lost ? [failure.lost] : [])];
  return `${parts.join('; ')} (${REMEDIES[failure.code]}${failure.hint ? `, ${failure.hint}` : ''})`;
}

export class FileSystemError extends BenchError {
  constructor(
    readonly failure: FileSystemFailure,
    options?: { cause?: unknown },
  ) {
    super(fileSystemMessage(failure), 'environment', options);
    this.name = 'FileSystemError';
  }

  /** The full line with what survived added (cli/main.ts asks the results stores). */
  describe(survived: readonly string[]): string {
    return fileSystemMessage(this.failure, survived);
  }
}

// Messages of libraries that do not set errno codes (DuckDB: "IO Error: Could not write file …: No space left on device").
const MESSAGE_CODES: readonly [RegExp, FileSystemCode][] = [
  [/no space left on device/i, 'ENOSPC'],
  [/disk quota exceeded/i, 'EDQUOT'],
  [/read-only file system/i, 'EROFS'],
  [/permission denied/i, 'EACCES'],
];

/**
 * A recursive mkdir reports ENOENT when a missing parent cannot be created (e.g. on a read-only
 * file system): create the first missing component alone to learn the real reason.
 */
function mkdirFailure(error: NodeJS.ErrnoException): NodeJS.ErrnoException | undefined {
  if (error.code !== 'ENOENT' || error.syscall !== 'mkdir' || typeof error.path !== 'string') return undefined;
  let missing = nodePath.resolve(error.path);
  while (!fs.existsSync(nodePath.dirname(missing)) && nodePath.dirname(missing) !== missing) missing = nodePath.dirname(missing);
  try {
    fs.mkdirSync(missing);
    return undefined;
  } catch (real) {
    const errno = real as NodeJS.ErrnoException;
    return errno.code && errno.code in FILE_SYSTEM_CODES ? errno : undefined;
  }
}

/** The file-system code of an error: Node's errno code or a library's message, looked for through its causes. */
export function fileSystemCodeOf(error: unknown): FileSystemCode | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const real = mkdirFailure(current as NodeJS.ErrnoException);
    if (real) return real.code as FileSystemCode;
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in FILE_SYSTEM_CODES) return code as FileSystemCode;
    const message = (current as Error).message;
    if (typeof message === 'string') for (const [pattern, found] of MESSAGE_CODES) if (pattern.test(message)) return found;
  }
  return undefined;
}

const OPERATIONS: Readonly<Record<string, string>> = {
  open: 'open',
  write: 'write',
  mkdir: 'create directory',
  rename: 'rename',
  copyfile: 'copy',
  unlink: 'remove',
  rmdir: 'remove',
  symlink: 'link',
  close: 'write',
  fsync: 'write',
};

/**
 * A FileSystemError for `error` when it is one (see fileSystemCodeOf), else undefined. The
 * context wins over what the error says (a write through a descriptor names no path).
 */
export function asFileSystemError(error: unknown, context: Partial<Omit<FileSystemFailure, 'code'>> = {}): FileSystemError | undefined {
  if (error instanceof FileSystemError) return error;
  const code = fileSystemCodeOf(error);
  if (!code) return undefined;
  const errno = error as NodeJS.ErrnoException;
  const operation = context.operation ?? (errno.syscall ? (OPERATIONS[errno.syscall] ?? errno.syscall) : 'write');
  const path = context.path ?? errno.path ?? '(a file the error does not name)';
  return new FileSystemError({ code, operation, path, ...(context.lost ? { lost: context.lost } : {}), ...(context.hint ? { hint: context.hint } : {}) }, { cause: error });
}

/**
 * For errors nobody wrapped (cli/main.ts): a FileSystemError only for Node's own file-system
 * calls (errno code + a file syscall), so e.g. a refused Docker socket is not called a disk problem.
 */
export function unwrappedFileSystemError(error: unknown): FileSystemError | undefined {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const errno = mkdirFailure(current as NodeJS.ErrnoException) ?? (current as NodeJS.ErrnoException);
    if (typeof errno.code === 'string' && errno.code in FILE_SYSTEM_CODES && typeof errno.syscall === 'string' && errno.syscall in OPERATIONS) {
      return asFileSystemError(errno);
    }
  }
  return undefined;
}
