// Domain errors: what went wrong, in words meant for the user (printed as is, no stack). This
// module depends on nothing; only harness/cli/main.ts turns a kind into an exit code, so no
// other module knows about process exit codes.
export type ErrorKind =
  /** Malformed input: flags, workload/experiment files, SQL given by the user (exit 2). */
  | 'usage'
  /** The environment or a service failed the harness (a missing tool, a dead endpoint, a full disk) (exit 1). */
  | 'environment'
  /** The run finished but some measurement was not completed (exit 3). */
  | 'invalid-run'
  /** `compare`: a significant regression beyond the threshold (exit 4). */
  | 'regression'
  /** `compare`: the runs were set up differently, comparing them would mislead (exit 5). */
  | 'not-comparable';

export class BenchError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind = 'environment',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BenchError';
  }
}

/** Bad input from the user: names the file/flag/field and the value, says what to do. */
export class UsageError extends BenchError {
  constructor(message: string) {
    super(message, 'usage');
    this.name = 'UsageError';
  }
}

export function isBenchError(error: unknown): error is BenchError {
  return error instanceof BenchError;
}
