// Namespaced loggers (`bench:runtime`, `bench:engine:flink`) writing to stderr, so stdout
// stays for the command's own output (tables, URLs). BENCH_LOG=debug shows debug lines.
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

function threshold(): number {
  const wanted = (process.env.BENCH_LOG ?? 'info') as LogLevel;
  return LEVELS[wanted] ?? LEVELS.info;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  child(suffix: string): Logger;
}

export function createLogger(namespace: string): Logger {
  const write = (level: LogLevel, message: string) => {
    if (LEVELS[level] < threshold()) return;
    const time = new Date().toISOString().slice(11, 23);
    process.stderr.write(`${time} ${level.padEnd(5)} ${namespace}: ${message}\n`);
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
    child: (suffix) => createLogger(`${namespace}:${suffix}`),
  };
}
