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
  /** The statements, run in order; the last one is the query whose result is kept. */
  readonly statements: readonly string[];
  /** Where the hand-off files go (statements.json, result.json): visible to the driver (under the run dir or a shared dir). */
  readonly workDir: string;
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
  /** The runner's result.json, when it got that far. */
  readonly result?: SparkRunnerResult;
  readonly timedOut: boolean;
}

/** What SparkSqlRunner writes to its --result file. */
export interface SparkRunnerResult {
  readonly appId: string;
  readonly engineMs: number | null;
  readonly driverWallMs: number;
  readonly rowCount?: number;
  readonly rows?: unknown[][];
}

export class SparkCluster {
  private sharedDirs: string[] = [];
  private settings: Record<string, string> = {};
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

  /** --conf settings every submission carries beyond the budget's (e.g. the event log for metrics): the caller records them. */
  withSettings(settings: Readonly<Record<string, string>>): this {
    this.settings = { ...this.settings, ...settings };
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
    return new StartedSparkCluster(services, { ...sparkSubmitSettings(ctx, this.budget), ...this.settings }, jar);
  }
}

export class StartedSparkCluster implements AsyncDisposable {
  readonly master: StartedService;
  readonly workers: StartedService[];

  constructor(
    readonly services: StartedService[],
    /** The settings every submission carries: the budget's and withSettings() (all differ from Spark's defaults). */
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
    const conf = { ...this.submitSettings, ...options.conf };
    fs.mkdirSync(options.workDir, { recursive: true });
    const statementsFile = path.join(options.workDir, 'statements.json');
    const resultFile = path.join(options.workDir, 'result.json');
    fs.writeFileSync(statementsFile, `${JSON.stringify(options.statements, null, 2)}\n`);
    fs.rmSync(resultFile, { force: true });
    const args = [
      ...this.submitCommand(SPARK_RUNNER_MAIN_CLASS, conf),
      '--statements', statementsFile,
      '--result', resultFile,
      ...(options.output ? ['--output', options.output.dir, '--format', options.output.format] : []),
      ...(options.printRows !== undefined ? ['--print', String(options.printRows)] : []),
    ];
    log.debug(`spark-submit ${statementsFile}`);
    const started = Date.now();
    const result = await this.master.exec(args, { timeoutMs: options.timeoutMs });
    const wallMs = Date.now() - started;
    const output = `${result.stdout}\n${result.stderr}`;
    const timedOut = wallMs >= options.timeoutMs && result.exitCode !== 0;
    log.debug(`spark-submit exited ${result.exitCode} after ${wallMs} ms`);
    const runnerResult = result.exitCode === 0 && fs.existsSync(resultFile) ? (JSON.parse(fs.readFileSync(resultFile, 'utf8')) as SparkRunnerResult) : undefined;
    return { exitCode: result.exitCode, wallMs, output, ...(runnerResult ? { result: runnerResult } : {}), timedOut };
  }

  /** spark-submit (client mode, in the master's environment) of one of the runner jar's classes, with these --conf settings. */
  submitCommand(mainClass: string, conf: Readonly<Record<string, string>> = this.submitSettings): string[] {
    const home = this.master.spec.env.SPARK_HOME;
    return [path.join(home, 'bin/spark-submit'), '--class', mainClass, ...Object.entries(conf).flatMap(([k, v]) => ['--conf', `${k}=${v}`]), this.runnerJar];
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
