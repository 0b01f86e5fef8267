// The ServiceContext shared by both runtimes: they differ only in bind address, how a
// service is addressed by its peers, where distributions live, and which port a process
// listens on. Ports are decided up front (before any service starts) so specs can embed
// them, e.g. Kafka advertising its host-side listener.
import fs from 'node:fs';
import path from 'node:path';
import type { DistributionName, PortAssignment, RuntimeKind, ServiceContext } from './runtime.ts';
import { assertPortFree, freePort } from './ports.ts';

export interface ServiceContextOptions {
  kind: RuntimeKind;
  runId: string;
  runDir: string;
  /** Distribution homes as services see them. */
  homes: Partial<Record<DistributionName, string>>;
  /** Keep default host ports for user-facing ports (`bench up`); otherwise every port is a free one. */
  fixedHostPorts?: boolean;
}

/**
 * Ports must be known synchronously by spec builders, so the context pre-reserves a pool of
 * free ports; `reservePorts` tops it up before building specs.
 */
export class RuntimeServiceContext implements ServiceContext {
  readonly kind: RuntimeKind;
  readonly runId: string;
  readonly runDir: string;
  readonly bindAddress: string;
  private readonly homes: Partial<Record<DistributionName, string>>;
  private readonly fixedHostPorts: boolean;
  private readonly assigned = new Map<string, PortAssignment>();
  private readonly pool: number[] = [];
  private readonly fixedToCheck: { port: number; what: string }[] = [];

  constructor(options: ServiceContextOptions) {
    this.kind = options.kind;
    this.runId = options.runId;
    this.runDir = options.runDir;
    this.homes = options.homes;
    this.fixedHostPorts = options.fixedHostPorts ?? false;
    this.bindAddress = options.kind === 'docker' ? '0.0.0.0' : '127.0.0.1';
  }

  /** Make sure at least `count` free ports are in the pool (call before building specs). */
  async reservePorts(count = 32): Promise<void> {
    while (this.pool.length < count) {
      const port = await freePort();
      if (!this.pool.includes(port) && ![...this.assigned.values()].some((a) => a.host === port || a.listen === port)) this.pool.push(port);
    }
  }

  /** Fixed user-facing ports requested so far must be free: checked by the runtime before starting. */
  async checkFixedPorts(): Promise<void> {
    for (const { port, what } of this.fixedToCheck.splice(0)) await assertPortFree(port, what);
  }

  home(distribution: DistributionName): string {
    const home = this.homes[distribution];
    if (!home) throw new Error(`distribution '${distribution}' was not prepared for this runtime`);
    return home;
  }

  hostOf(service: string): string {
    return this.kind === 'docker' ? this.containerHostname(service) : '127.0.0.1';
  }

  /** Container names carry the run id so concurrent runs never clash; peers use this name. */
  containerHostname(service: string): string {
    return `bench-${this.runId}-${service}`;
  }

  port(service: string, portName: string, defaultPort: number, options: { userFacing?: boolean } = {}): PortAssignment {
    const key = `${service}/${portName}`;
    const existing = this.assigned.get(key);
    if (existing) return existing;
    const fixed = this.fixedHostPorts && options.userFacing === true;
    let host: number;
    if (fixed) {
      host = defaultPort;
      this.fixedToCheck.push({ port: host, what: `${service} ${portName}` });
    } else {
      const next = this.pool.shift();
      if (next === undefined) throw new Error('port pool exhausted: call reservePorts() before building service specs');
      host = next;
    }
    const assignment: PortAssignment = { name: portName, listen: this.kind === 'docker' ? defaultPort : host, host };
    this.assigned.set(key, assignment);
    return assignment;
  }

  workDir(service: string): string {
    const dir = path.join(this.runDir, 'services', service);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }
}
