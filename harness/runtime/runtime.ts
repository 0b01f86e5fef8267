// The Runtime interface: one way to start the same service specs as Docker containers
// (docker-runtime.ts) or as local process groups (local-runtime.ts). Everything above this
// layer (clusters, engines, CLI) is runtime-agnostic.
import type { WaitStrategy } from './wait.ts';

export type RuntimeKind = 'docker' | 'local';
export type RuntimeChoice = RuntimeKind | 'auto';

/** A distribution a service runs from: selects the image (docker) or the unpacked cache dir (local). */
export type DistributionName = 'spark' | 'flink' | 'kafka' | 'base';

/** A port as the service listens on it and as the harness on the host reaches it (127.0.0.1). */
export interface PortAssignment {
  readonly name: string;
  /** Port the process listens on: inside the container (docker) or on 127.0.0.1 (local). */
  readonly listen: number;
  /** Port the harness reaches on 127.0.0.1: published port (docker) or the same port (local). */
  readonly host: number;
}

export interface ServiceFile {
  /** Absolute path; must lie under `context.workDir(service)`. */
  readonly path: string;
  readonly content: string;
}

export interface ResourceLimits {
  readonly cpus: number;
  readonly memoryMiB: number;
}

/** What a service is, independent of how it runs. Built by harness/services/* from a ServiceContext. */
export interface ServiceSpec {
  /** Unique within a run ('spark-master', 'flink-taskmanager-1'); the container name suffix and DNS name. */
  readonly name: string;
  readonly distribution: DistributionName;
  /** argv; paths in it come from `context.home(...)` / `context.workDir(...)`. */
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly ports: readonly PortAssignment[];
  /** Written before start. */
  readonly files: readonly ServiceFile[];
  /** Host directories that must be visible at the same path inside the service (bind mounts). */
  readonly sharedDirs: readonly string[];
  readonly resources: ResourceLimits;
  readonly waitFor: WaitStrategy;
}

/** A one-shot command (spark-submit, a Kafka CLI tool) run to completion in a distribution's environment. */
export interface JobSpec {
  readonly name: string;
  readonly distribution: DistributionName;
  readonly command: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly files: readonly ServiceFile[];
  readonly sharedDirs: readonly string[];
  readonly resources: ResourceLimits;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface JobResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Host path of the kept log (stdout + stderr). */
  readonly logFile: string;
  readonly timedOut: boolean;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How OS-level metrics find a service: a container, or a local process group. */
export type ServiceHandle =
  | { readonly kind: 'docker'; readonly containerId: string }
  | { readonly kind: 'local'; readonly pid: number };

/**
 * What a fault (`--fault`) does to a running service: `kill` SIGKILL to the process group /
 * docker kill; `terminate` SIGTERM, SIGKILL after the grace period (docker stop, the container
 * kept); `pause` / `resume` SIGSTOP / SIGCONT to the group (docker pause / unpause); `restart`
 * kill, then the same spec started again under the same name, ports and handle object, waited
 * until ready (a crash under a supervisor). The exits these cause reach onUnexpectedExit like any
 * other: whoever injects the fault tells the ServiceWatch to expect them.
 */
export type ServiceFault = 'kill' | 'terminate' | 'pause' | 'resume' | 'restart';

export interface StartedService extends AsyncDisposable {
  readonly name: string;
  readonly spec: ServiceSpec;
  readonly handle: ServiceHandle;
  /** Host path where this service's stdout/stderr are kept (survives the service). */
  readonly logFile: string;
  /** Address on the host for a named port: always 127.0.0.1. */
  endpoint(portName: string): { host: string; port: number };
  /** `http://127.0.0.1:<host port><path>` */
  url(portName: string, path?: string): string;
  /** Last `tailLines` lines of the service's output (all when omitted). */
  logs(tailLines?: number): Promise<string>;
  isRunning(): Promise<boolean>;
  /** Run a command in the service's environment (docker exec, or a child process with its env). */
  exec(command: readonly string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Stop (SIGTERM, then SIGKILL after a grace period) and remove. Idempotent. Commands exec'd in it end with it. */
  stop(): Promise<void>;
  /** True once stop() was called: an exit after that is the harness's doing, not a failure. */
  readonly stopRequested: boolean;
  /** Injects a fault (see ServiceFault); resolves once it took effect (restart: once ready again). */
  fault(action: ServiceFault): Promise<void>;
}

/** A service that ended after it was ready, without the harness stopping it (a crash, an OOM kill, a fault). */
export interface UnexpectedExit {
  readonly service: StartedService;
  /** 'exit code 1', 'killed by SIGKILL', 'exit code 137 (OOM-killed)'. */
  readonly description: string;
  /** When the harness saw it (epoch ms). */
  readonly atMs: number;
}

/**
 * What a service spec builder may ask of the runtime: paths and addresses differ between
 * containers (fixed ports, container names, /opt/<dist>) and local processes (free ports,
 * 127.0.0.1, the cache dir), the spec shape does not.
 */
export interface ServiceContext {
  readonly kind: RuntimeKind;
  readonly runId: string;
  /** Address services bind to: 0.0.0.0 in containers, 127.0.0.1 locally. */
  readonly bindAddress: string;
  /** Distribution home as the service sees it: /opt/<dist> in containers, the unpacked cache dir locally. */
  home(distribution: DistributionName): string;
  /** How other services reach `service`: its container name on the run's network, or 127.0.0.1. */
  hostOf(service: string): string;
  /**
   * The port `service` uses for `portName`. Stable per (service, portName) within a run.
   * `userFacing` ports (UIs, REST, bootstrap) keep their default host port when the runtime was
   * created with `fixedHostPorts` (for `bench up`); a taken port is then an error naming it.
   */
  port(service: string, portName: string, defaultPort: number, options?: { userFacing?: boolean }): PortAssignment;
  /** Writable per-service directory (configs, logs, scratch) at the same path for host and service. */
  workDir(service: string): string;
  /** The run's directory (results/<run-id>/), same path for host and services. */
  readonly runDir: string;
}

export interface RuntimeDescription {
  readonly kind: RuntimeKind;
  /** e.g. docker server version, or the local java version. */
  readonly details: Readonly<Record<string, string>>;
  /** Image tag/id per distribution (docker only). */
  readonly images: Readonly<Record<string, string>>;
}

export interface Runtime extends AsyncDisposable {
  readonly kind: RuntimeKind;
  readonly runId: string;
  readonly context: ServiceContext;
  /**
   * Start a service and wait until its readiness strategy holds. On failure the service is
   * stopped and removed and the error carries its last log lines.
   */
  start(spec: ServiceSpec): Promise<StartedService>;
  runJob(spec: JobSpec): Promise<JobResult>;
  /** The services this runtime started and has not stopped, by name (what a fault can target). */
  services(): readonly StartedService[];
  describe(): Promise<RuntimeDescription>;
  /**
   * Calls `listener` when a service this runtime started exits after it was ready without being
   * stopped (exits during start are the start's error). Returns the unsubscribe.
   */
  onUnexpectedExit(listener: (exit: UnexpectedExit) => void): () => void;
  /** Stop and remove everything this runtime started (services, jobs, network). Idempotent. */
  close(): Promise<void>;
}

/** Labels put on every container/network (docker) and recorded with every pid (local). */
export const LABEL_TOOL = 'bench.tool';
export const LABEL_TOOL_VALUE = 'spark-flink-bench';
export const LABEL_RUN_ID = 'bench.run-id';
export const LABEL_SERVICE = 'bench.service';
/** Environment variable carrying the run id into every local process (the local runtime's label). */
export const ENV_RUN_ID = 'BENCH_RUN_ID';
