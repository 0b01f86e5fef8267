// Commander wiring for the declared options (harness/config/options.ts): one place that
// turns a declaration into a flag with its parser, default and help text.
import { Option, type Command } from 'commander';
import { resourceBudget } from '../config/budget.ts';
import { OPTIONS, parseDuration, parseEnum, parseInteger, type OptionDeclaration } from '../config/options.ts';

export function toCommanderOption(decl: OptionDeclaration): Option {
  if (camelCase(decl.flag) !== decl.key) throw new Error(`option '${decl.key}': key must be camelCase of --${decl.flag}`);
  const placeholder = decl.placeholder ?? (decl.type === 'duration' ? 'DURATION' : decl.type === 'int' ? 'N' : 'VALUE');
  const flags = decl.type === 'boolean' ? `--${decl.flag}` : `--${decl.flag} <${decl.choices ? decl.choices.join('|') : placeholder}>`;
  const option = new Option(flags, decl.description);
  if (decl.type === 'int') option.argParser((v: string) => parseInteger(v, decl.flag));
  if (decl.type === 'duration') option.argParser((v: string) => parseDuration(v, decl.flag));
  if (decl.type === 'enum' && decl.choices) option.argParser((v: string) => parseEnum(v, decl.flag, decl.choices!));
  if (decl.parse) option.argParser(decl.parse);
  if (decl.default !== undefined) {
    const value = decl.type === 'duration' ? parseDuration(String(decl.default), decl.flag) : decl.default;
    option.default(value, String(decl.default));
  }
  return option;
}

export function addOptions(command: Command, ...keys: (keyof typeof OPTIONS)[]): Command {
  for (const key of keys) command.addOption(toCommanderOption(OPTIONS[key]));
  return command;
}

/** The options every cluster-starting command takes. */
export function addClusterOptions(command: Command): Command {
  return addOptions(command, 'runtime', 'baseImage', 'sparkVersion', 'flinkVersion', 'workers', 'cores', 'memory', 'parallelism', 'startTimeout');
}

export interface ClusterOptions {
  runtime: 'auto' | 'docker' | 'local';
  baseImage?: string;
  /** A locked Spark / Flink version (checked when parsed); absent: BENCH_<ENGINE>_VERSION, else the lock's default. */
  sparkVersion?: string;
  flinkVersion?: string;
  workers: number;
  cores: number;
  /** MiB */
  memory: number;
  parallelism?: number;
  /** ms */
  startTimeout: number;
}

/** The engine versions asked for on the command line, for openRuntime / prepare. */
export function versionsFrom(options: Pick<ClusterOptions, 'sparkVersion' | 'flinkVersion'>): { spark?: string; flink?: string } {
  return { ...(options.sparkVersion ? { spark: options.sparkVersion } : {}), ...(options.flinkVersion ? { flink: options.flinkVersion } : {}) };
}

export function budgetFrom(options: ClusterOptions) {
  return resourceBudget({ workers: options.workers, cores: options.cores, memoryMiB: options.memory, parallelism: options.parallelism });
}

const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
