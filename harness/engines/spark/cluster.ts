// Spark standalone cluster: builder → StartedSparkCluster. Submissions go through
// spark-submit (client mode) in the master's environment, so the driver sits on the run
// network in both runtimes.
import fs from 'node:fs';
import path from 'node:path';
import type { ResourceBudget } from '../../config/budget.ts';
import type { Runtime, StartedService } from '../../runtime/runtime.ts';
import { SPARK_MASTER, sparkMasterSpec, sparkSubmitSettings, sparkWorkerSpec } from '../../services/spark.ts';
import { startInStages, stopAll } from '../start-services.ts';
import { SPARK_RUNNER_MAIN_CLASS } from './runner-jar.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:spark');

export interface SparkSubmitOptions {
  /** SQL file visible to the driver (under the run dir or a shared dir). */
  readonly sqlFile: string;
  readonly output?: { dir: string; format: 'parquet' | 'csv' };
  /** Collect up to this many rows and return them instead of writing. */
  readonly printRows?: number;
  readonly timeoutMs: number;
  /** Extra --conf settings for this submission (recorded by the caller). */
  readonly conf?: Readonly<Record<string, string>>;
}

export interface SparkSubmitResult {
  readonly exitCode: number;
  readonly wallMs: number;
  readonly output: string;
  /** Parsed BENCH_RESULT line, when the runner got that far. */
  readonly result?: { appId: string; engineMs: number | null; driverWallMs: number; rowCount?: number; rows?: unknown[][] };
  readonly timedOut: boolean;
}

export class SparkCluster {
  private sharedDirs: string[] = [];
  private startTimeoutMs = 120_000;

  constructor(
    private readonly runtime: Runtime,
    private readonly budget: ResourceBudget,
    private readonly runnerJar: string,
  ) {}

  withSharedDirs(dirs: readonly string[]): this {
    this.sharedDirs = [...dirs];
    return this;
  }

  withStartTimeout(ms: number): this {
    this.startTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedSparkCluster> {
    const ctx = this.runtime.context;
    const options = { budget: this.budget, startTimeoutMs: this.startTimeoutMs, sharedDirs: this.sharedDirs };
    // The runner jar must be readable by the driver: the run dir is visible at the same path everywhere.
    const jar = path.join(ctx.runDir, 'spark-runner.jar');
    fs.mkdirSync(ctx.runDir, { recursive: true });
    fs.copyFileSync(this.runnerJar, jar);
    const started = Date.now();
    const services = await startInStages(this.runtime, [
      [sparkMasterSpec(ctx, options)],
      Array.from({ length: this.budget.workers }, (_, i) => sparkWorkerSpec(ctx, i, options)),
    ]);
    log.info(`Spark cluster up in ${Date.now() - started} ms (${this.budget.workers} worker(s), ${this.budget.cores} cores)`);
    return new StartedSparkCluster(services, sparkSubmitSettings(ctx, this.budget), jar);
  }
}

export class StartedSparkCluster implements AsyncDisposable {
  readonly master: StartedService;
  readonly workers: StartedService[];

  constructor(
    readonly services: StartedService[],
    /** The budget settings every submission carries (all differ from Spark's defaults). */
    readonly submitSettings: Readonly<Record<string, string>>,
    readonly runnerJar: string,
  ) {
    this.master = services.find((s) => s.name === SPARK_MASTER)!;
    this.workers = services.filter((s) => s !== this.master);
  }

  urls(): Record<string, string> {
    return { 'Spark master UI': this.master.url('ui', '/'), 'Spark driver UI (while a job runs)': this.master.url('driver-ui', '/') };
  }

  async submitSql(options: SparkSubmitOptions): Promise<SparkSubmitResult> {
    const home = this.master.spec.env.SPARK_HOME;
    const conf = { ...this.submitSettings, ...options.conf };
    const args = [
      path.join(home, 'bin/spark-submit'),
      '--class', SPARK_RUNNER_MAIN_CLASS,
      ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
      this.runnerJar,
      '--sql', options.sqlFile,
      ...(options.output ? ['--output', options.output.dir, '--format', options.output.format] : []),
      ...(options.printRows !== undefined ? ['--print', String(options.printRows)] : []),
    ];
    log.debug(`spark-submit ${options.sqlFile}`);
    const started = Date.now();
    const result = await this.master.exec(args, { timeoutMs: options.timeoutMs });
    const wallMs = Date.now() - started;
    const output = `${result.stdout}\n${result.stderr}`;
    const line = result.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
    const timedOut = wallMs >= options.timeoutMs && result.exitCode !== 0;
    log.debug(`spark-submit exited ${result.exitCode} after ${wallMs} ms`);
    return { exitCode: result.exitCode, wallMs, output, result: line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : undefined, timedOut };
  }

  async stop(): Promise<void> {
    await stopAll(this.services);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** The last lines of a long engine output that explain a failure (exceptions, errors). */
export function failureExcerpt(output: string, maxLines = 25): string {
  const lines = output.split('\n').filter((l) => l.trim());
  const firstError = lines.findIndex((l) => /Exception|Error|error:/.test(l));
  const from = firstError >= 0 ? firstError : Math.max(0, lines.length - maxLines);
  return lines.slice(from, from + maxLines).join('\n');
}
