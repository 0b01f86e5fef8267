// Every run watches the services it started: when one exits without the harness stopping it
// (a crash, an OOM kill, a fault), the measurement in flight ends at once as `failed` naming the
// service, how it ended and when, with its last log lines — instead of waiting out a timeout
// for an answer a dead worker will never give (METHOD: a failure is recorded as what it is).
import type { Runtime, StartedService, UnexpectedExit } from './runtime.ts';

/** Lines of the dead service's log quoted with the failure. */
export const EXIT_LOG_LINES = 20;

export interface WatchedExit extends UnexpectedExit {
  /** The service's last log lines, read when it exited. */
  readonly logTail: string;
  /** The `--fault` that caused it, when it was injected. */
  readonly injectedBy?: string;
}

export class ServiceWatch {
  private readonly exits: WatchedExit[] = [];
  private readonly waiters = new Set<(exit: WatchedExit) => void>();
  private readonly attached = new WeakSet<Runtime>();
  /** Services a fault is being injected into: their exits are the experiment, not a failure. */
  private readonly expected = new Map<StartedService, string>();

  /** Watches every service `runtime` starts from now on (once per runtime). */
  attach(runtime: Runtime): void {
    if (this.attached.has(runtime)) return;
    this.attached.add(runtime);
    runtime.onUnexpectedExit((exit) => {
      void exit.service
        .logs(EXIT_LOG_LINES)
        .catch((error: Error) => `(log unreadable: ${error.message})`)
        .then((logTail) => this.record({ ...exit, logTail }));
    });
  }

  /** For tests and for runtimes not opened through attach(). */
  record(exit: WatchedExit): void {
    const injectedBy = this.expected.get(exit.service);
    this.exits.push(injectedBy ? { ...exit, injectedBy } : exit);
    if (injectedBy) return;
    for (const waiter of this.waiters) waiter(exit);
  }

  /**
   * A fault is about to be injected into `service`: its exits end no measurement until
   * `release()`. Released, a service that runs again (restarted, resumed) leaves no outstanding
   * exit; one that stays down (kill, stop) is outstanding like any dead service, so the next
   * unit that needs it fails at once instead of waiting on it.
   */
  expect(service: StartedService, fault: string): { release(): Promise<void> } {
    this.expected.set(service, fault);
    return {
      release: async () => {
        this.expected.delete(service);
        if (await service.isRunning().catch(() => false)) {
          for (let i = this.exits.length - 1; i >= 0; i--) if (this.exits[i]!.service === service) this.exits.splice(i, 1);
        }
      },
    };
  }

  /**
   * Exits of services the harness has not stopped since: whatever runs now still depends on
   * them (a worker of the current cluster, the Kafka every streaming group shares).
   */
  outstanding(): WatchedExit[] {
    return this.exits.filter((exit) => !exit.service.stopRequested && !this.expected.has(exit.service));
  }

  /** The next unexpected exit from now on; `cancel` when the work it guards is done. */
  next(): { readonly exited: Promise<WatchedExit>; cancel(): void } {
    let waiter: ((exit: WatchedExit) => void) | undefined;
    const exited = new Promise<WatchedExit>((resolve) => {
      waiter = resolve;
      this.waiters.add(resolve);
    });
    return { exited, cancel: () => void this.waiters.delete(waiter!) };
  }
}

/** "spark-worker-1 exited (killed by SIGKILL) at t=12.3 s of multijoin on spark (spark-submit)". */
export function describeExit(exit: Pick<WatchedExit, 'description' | 'atMs' | 'injectedBy'> & { service: { name: string } }, since: { atMs: number; what: string }): string {
  const offsetMs = exit.atMs - since.atMs;
  const when = offsetMs >= 0 ? `at t=${(offsetMs / 1000).toFixed(1)} s of ${since.what}` : `${(-offsetMs / 1000).toFixed(1)} s before ${since.what} started`;
  return `${exit.service.name} exited (${exit.description}${exit.injectedBy ? `; injected by --fault ${exit.injectedBy}` : ''}) ${when}`;
}
