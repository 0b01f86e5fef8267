// `bench` — the command line. Each command lives in harness/cli/commands/<name>.ts and
// registers itself on the program; user errors are BenchErrors (message, no stack), whose kind
// becomes the exit code here and nowhere else. A file-system error (full disk, read-only,
// not writable) is one line naming the path and what the results files kept; `--debug` adds
// the stack and causes of any error.
import { Command, CommanderError } from 'commander';
import { BenchError, type ErrorKind } from '../errors.ts';
import { FileSystemError, unwrappedFileSystemError } from '../file-system-error.ts';
import { describeSavedResults } from '../results/store.ts';

/** Exit codes: 0 ok, 1 error, 2 bad input, 3 some measurement not completed; compare adds 4 and 5. */
export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  environment: 1,
  usage: 2,
  'invalid-run': 3,
  regression: 4,
  'not-comparable': 5,
};
export const EXIT_USAGE = EXIT_CODES.usage;
import { registerPrepare } from './commands/prepare.ts';
import { registerUp } from './commands/up.ts';
import { registerDown } from './commands/down.ts';
import { registerClean } from './commands/clean.ts';
import { registerSmoke } from './commands/smoke.ts';
import { registerRun } from './commands/run.ts';
import { registerList } from './commands/list.ts';
import { registerReport } from './commands/report.ts';
import { registerCompare } from './commands/compare.ts';
import { registerPublish } from './commands/publish.ts';
import { registerHistory } from './commands/history.ts';
import { registerExperiment } from './commands/experiment.ts';
import { lockedVersionLines } from './commands/list.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../paths.ts';

/** `bench --version`: the harness version, then each engine's locked versions (default marked) and the Node running it. */
export function versionText(): string {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  let engines: string[];
  try {
    engines = lockedVersionLines();
  } catch (error) {
    // --help and every command build the program: a broken lock must not stop them here.
    engines = [`engines: unknown (${(error as Error).message.split('\n')[0]})`];
  }
  return [`spark-flink-bench ${version}`, ...engines, `node   ${process.version}`].join('\n');
}

export function buildProgram(): Command {
  const program = new Command('bench')
    .description('Benchmark Apache Spark against Apache Flink on identical workloads, on real clusters (Docker or local processes).')
    .showHelpAfterError('(run `npx bench --help` or `npx bench <command> --help` for usage)')
    .version(versionText(), '-V, --version', 'print the harness version and the locked engine versions')
    .option('--debug', 'on an error, also print its stack trace and causes')
    .exitOverride();
  registerPrepare(program);
  registerUp(program);
  registerDown(program);
  registerClean(program);
  registerSmoke(program);
  registerRun(program);
  registerList(program);
  registerReport(program);
  registerCompare(program);
  registerPublish(program);
  registerHistory(program);
  registerExperiment(program);
  return program;
}

/** The stack of an error and of each of its causes, for --debug. */
export function debugTrace(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 10; current = (current as { cause?: unknown })?.cause, depth++) {
    parts.push(`${depth === 0 ? '' : 'caused by: '}${(current as Error)?.stack ?? String(current)}`);
  }
  return parts.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true;
    const fileSystem = error instanceof FileSystemError ? error : unwrappedFileSystemError(error);
    if (fileSystem) {
      process.stderr.write(`error: ${fileSystem.describe(describeSavedResults())}\n${debug ? `${debugTrace(error)}\n` : ''}`);
      return EXIT_CODES[fileSystem.kind];
    }
    if (error instanceof BenchError) {
      process.stderr.write(`error: ${error.message}\n${debug ? `${debugTrace(error)}\n` : ''}`);
      return EXIT_CODES[error.kind];
    }
    process.stderr.write(`error: ${debug ? debugTrace(error) : ((error as Error)?.stack ?? String(error))}\n`);
    return 1;
  }
}

if (process.argv[1] && /bench(\.js)?$|main\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
