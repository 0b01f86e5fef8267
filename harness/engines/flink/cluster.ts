// Flink session cluster: builder → StartedFlinkCluster (JobManager, TaskManagers and the SQL
// Gateway, which is Flink's own SQL submission path).
import type { ResourceBudget } from '../../config/budget.ts';
import type { Runtime, StartedService } from '../../runtime/runtime.ts';
import { FLINK_JOBMANAGER, FLINK_SQL_GATEWAY, flinkJobManagerSpec, flinkSqlGatewaySpec, flinkTaskManagerSpec } from '../../services/flink.ts';
import { startInStages, stopAll } from '../start-services.ts';
import { FlinkRestClient } from './rest-client.ts';
import { FlinkSqlGatewayClient } from './sql-gateway-client.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:flink');

export class FlinkCluster {
  private sharedDirs: string[] = [];
  private settings: Record<string, string> = {};
  private startTimeoutMs = 120_000;

  constructor(
    private readonly runtime: Runtime,
    private readonly budget: ResourceBudget,
  ) {}

  withSharedDirs(dirs: readonly string[]): this {
    this.sharedDirs = [...dirs];
    return this;
  }

  /** config.yaml entries beyond the budget (state backend, checkpointing…): the caller records them. */
  withSettings(settings: Readonly<Record<string, string>>): this {
    this.settings = { ...this.settings, ...settings };
    return this;
  }

  withStartTimeout(ms: number): this {
    this.startTimeoutMs = ms;
    return this;
  }

  async start(): Promise<StartedFlinkCluster> {
    const ctx = this.runtime.context;
    const options = { budget: this.budget, startTimeoutMs: this.startTimeoutMs, sharedDirs: this.sharedDirs, settings: this.settings };
    const started = Date.now();
    const services = await startInStages(this.runtime, [
      [flinkJobManagerSpec(ctx, options)],
      [...Array.from({ length: this.budget.workers }, (_, i) => flinkTaskManagerSpec(ctx, i, options)), flinkSqlGatewaySpec(ctx, options)],
    ]);
    log.info(`Flink cluster up in ${Date.now() - started} ms (${this.budget.workers} TaskManager(s), ${this.budget.cores} slots)`);
    return new StartedFlinkCluster(services);
  }
}

export class StartedFlinkCluster implements AsyncDisposable {
  readonly jobManager: StartedService;
  readonly sqlGateway: StartedService;
  readonly taskManagers: StartedService[];
  readonly rest: FlinkRestClient;
  readonly gateway: FlinkSqlGatewayClient;

  constructor(readonly services: StartedService[]) {
    this.jobManager = services.find((s) => s.name === FLINK_JOBMANAGER)!;
    this.sqlGateway = services.find((s) => s.name === FLINK_SQL_GATEWAY)!;
    this.taskManagers = services.filter((s) => s !== this.jobManager && s !== this.sqlGateway);
    this.rest = new FlinkRestClient(this.jobManager.url('rest'));
    this.gateway = new FlinkSqlGatewayClient(this.sqlGateway.url('rest'));
  }

  urls(): Record<string, string> {
    return { 'Flink web UI / REST': this.jobManager.url('rest', '/'), 'Flink SQL Gateway': this.sqlGateway.url('rest', '/v1/info') };
  }

  async stop(): Promise<void> {
    await stopAll(this.services);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
