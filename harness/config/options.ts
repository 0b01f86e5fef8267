// Every option of the harness, declared once: key, flag, type, default, description.
// Commands pick the options they take from here; profiles are named groups of values.
import { BenchError, UsageError } from '../errors.ts';
import { parseLockedVersion } from '../distributions/lock.ts';

export type OptionType = 'string' | 'int' | 'boolean' | 'list' | 'duration' | 'enum';

export interface OptionDeclaration {
  /** camelCase key in the parsed options object: Commander derives it from the flag, so it must equal camelCase(flag) */
  readonly key: string;
  /** long flag without dashes */
  readonly flag: string;
  readonly type: OptionType;
  readonly description: string;
  /** Default when neither flag nor profile sets it (undefined = no default). */
  readonly default?: string | number | boolean | readonly string[];
  readonly choices?: readonly string[];
  /** Value placeholder in --help */
  readonly placeholder?: string;
  /** Checks and converts the value when the flag is parsed (a usage error names the choices). */
  readonly parse?: (value: string) => unknown;
}

const declare = <T extends OptionDeclaration>(d: T) => d;

export const OPTIONS = {
  runtime: declare({ key: 'runtime', flag: 'runtime', type: 'enum', choices: ['auto', 'docker', 'local'], default: 'auto', description: 'where engines run: docker containers, local processes, or auto (docker when a Docker engine answers)' }),
  baseImage: declare({ key: 'baseImage', flag: 'base-image', type: 'string', placeholder: 'IMAGE', description: 'docker runtime: use this local image (with Java 17) as the base instead of building one from a Debian rootfs' }),
  workers: declare({ key: 'workers', flag: 'workers', type: 'int', default: 1, description: 'Spark workers / Flink TaskManagers per cluster' }),
  cores: declare({ key: 'cores', flag: 'cores', type: 'int', default: 2, description: 'total task cores per engine (Spark executor cores = Flink task slots), split over the workers' }),
  memory: declare({ key: 'memory', flag: 'memory', type: 'int', default: 4096, placeholder: 'MiB', description: 'total worker memory per engine in MiB (Spark worker memory = Flink TaskManager process size), split over the workers' }),
  parallelism: declare({ key: 'parallelism', flag: 'parallelism', type: 'int', description: 'default parallelism for both engines (default: = cores)' }),
  randomPorts: declare({ key: 'randomPorts', flag: 'random-ports', type: 'boolean', default: false, description: 'bench up: publish UIs/REST on free ports instead of the engines\' defaults (8080, 8081, 8083, 9092)' }),
  timeout: declare({ key: 'timeout', flag: 'timeout', type: 'duration', default: '10m', description: 'per-measurement timeout (e.g. 90s, 10m); a measurement over it is recorded as timed-out' }),
  sparkVersion: declare({ key: 'sparkVersion', flag: 'spark-version', type: 'string', placeholder: 'VERSION', parse: (v: string) => parseLockedVersion(v, 'spark'), description: 'Spark version: one of those in the distributions lock (`npx bench list`); default: the lock\'s default, or BENCH_SPARK_VERSION' }),
  flinkVersion: declare({ key: 'flinkVersion', flag: 'flink-version', type: 'string', placeholder: 'VERSION', parse: (v: string) => parseLockedVersion(v, 'flink'), description: 'Flink version: one of those in the distributions lock (`npx bench list`); default: the lock\'s default, or BENCH_FLINK_VERSION' }),
  startTimeout: declare({ key: 'startTimeout', flag: 'start-timeout', type: 'duration', default: '120s', description: 'how long each service may take to become ready' }),
} as const satisfies Record<string, OptionDeclaration>;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;

/** '500ms' | '60s' | '10m' | '1h' | '1500' (ms) → milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = DURATION.exec(value.trim());
  if (!match) throw new UsageError(`--${flag}: '${value}' is not a duration; use e.g. 500ms, 60s, 10m`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

export function parseInteger(value: string, flag: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${flag}: '${value}' is not an integer ≥ ${min}`);
  return n;
}

export function parseEnum<T extends string>(value: string, flag: string, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new UsageError(`--${flag}: '${value}' is not one of ${choices.join(', ')}`);
  return value as T;
}

/** 'a,b , c' → ['a','b','c']; each checked against `choices` when given. */
export function parseList(value: string, flag: string, choices?: readonly string[]): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${flag}: empty list`);
  if (choices) for (const item of items) parseEnum(item, flag, choices);
  return items;
}

/**
 * `--engine-setting ENGINE:KEY=VALUE` (repeatable) → { ENGINE: { KEY: VALUE } }. Which engines
 * exist is checked by the caller (the registry); here only the form.
 */
export function parseEngineSetting(value: string, previous: Readonly<Record<string, Readonly<Record<string, string>>>> = {}): Record<string, Record<string, string>> {
  const match = /^([a-z][a-z0-9-]*):([^=\s]+)=(.*)$/.exec(value.trim());
  if (!match) throw new UsageError(`--engine-setting: '${value}' is not ENGINE:KEY=VALUE (e.g. spark:spark.sql.adaptive.enabled=false)`);
  const [, engine = '', key = '', setting = ''] = match;
  return { ...previous, [engine]: { ...previous[engine], [key]: setting } };
}
