// `bench` — the command line. Each command lives in harness/cli/commands/<name>.ts and
// registers itself on the program; user errors are BenchErrors (message, no stack), whose kind
// becomes the exit code here and nowhere else.
import { Command, CommanderError } from 'commander';
import { BenchError, type ErrorKind } from '../errors.ts';

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
  return program;
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
    if (error instanceof BenchError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT_CODES[error.kind];
    }
    process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && /bench(\.js)?$|main\.ts$/.test(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
}
