// An error meant for the user: its message is printed as is (no stack) and the process
// exits with `exitCode`. Anything else that escapes a command is a bug and shows its stack.
export class ExitError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'ExitError';
  }
}

/** Exit code used when the user asked for something malformed (flags, config, workload files). */
export const EXIT_USAGE = 2;
/** Exit code used when a run finished but some measurement was invalid or failed. */
export const EXIT_INVALID = 3;
