// The sampler's own CPU cost. Node gives only process-wide CPU (process.cpuUsage), and scrapes
// are asynchronous: while one waits for an HTTP answer, the rest of the harness (a streaming
// generator that yields every millisecond, the output consumer) runs too. "CPU while a scrape
// was in flight" therefore charged the generator to the sampler: 5–10 % of a core during a
// Flink streaming run on docker, while the same scrapers run alone in a process of their own
// against the same job cost ~1 %.
//
// So the sampler runs its scrapes in an async scope of its own and counts the CPU of exactly
// the callbacks that descend from it (async_hooks: every promise continuation, timer, socket
// read and stream event created inside the scope is marked at init, as AsyncLocalStorage
// does, and timed between before and after). That covers the scrapers' JS, JSON parsing, the
// HTTP client's socket handling and the Docker stats stream. Not covered: native threads
// working for a scraper outside those callbacks (librdkafka's broker threads for the Kafka
// lag consumer) and work the Docker daemon or the engines do. process.cpuUsage is process-wide,
// so other threads' CPU during those (short) callbacks is included; and a keep-alive socket first
// opened by a scrape stays marked, so other harness requests reusing it are counted (and a
// scrape on a socket someone else opened is not).
//
// The in-flight figure is kept beside it for comparison.
import { AsyncResource, createHook, executionAsyncResource, type AsyncHook } from 'node:async_hooks';

/** CPU of the callbacks that descend from `run()`, in total and per key (scraper name); one per sampler. */
export class OwnCpuMeter {
  // The key of every async resource that descends from run(), per meter (two samplers at once each count only their own callbacks).
  private readonly keys = new WeakMap<object, string>();
  private readonly roots = new Map<string, AsyncResource>();
  private readonly hook: AsyncHook;
  private depth = 0;
  private key: string | undefined;
  private startedAt: NodeJS.CpuUsage | undefined;
  private micros = 0;
  private readonly perKeyMicros = new Map<string, number>();
  callbacks = 0;

  constructor() {
    const keyOf = (resource: unknown) => (typeof resource === 'object' && resource !== null ? this.keys.get(resource) : undefined);
    this.hook = createHook({
      init: (_asyncId, _type, _triggerAsyncId, resource) => {
        const key = keyOf(executionAsyncResource());
        if (key !== undefined && typeof resource === 'object' && resource !== null) this.keys.set(resource, key);
      },
      before: () => {
        const key = keyOf(executionAsyncResource());
        if (key === undefined) return;
        this.callbacks += 1;
        if (this.depth++ === 0) {
          this.key = key;
          this.startedAt = process.cpuUsage();
        }
      },
      after: () => {
        if (keyOf(executionAsyncResource()) !== undefined) this.close();
      },
    });
  }

  private close(): void {
    if (this.depth === 0) return;
    if (--this.depth === 0 && this.startedAt) {
      const delta = process.cpuUsage(this.startedAt);
      const micros = delta.user + delta.system;
      this.micros += micros;
      this.perKeyMicros.set(this.key!, (this.perKeyMicros.get(this.key!) ?? 0) + micros);
      this.startedAt = undefined;
    }
  }

  start(): this {
    this.hook.enable();
    return this;
  }

  /** Run `fn` in the scope of `key`: its synchronous part and every callback it leads to are counted. */
  run<T>(fn: () => T, key = 'sampler'): T {
    let root = this.roots.get(key);
    if (!root) {
      root = new AsyncResource('BenchSampler');
      this.keys.set(root, key);
      this.roots.set(key, root);
    }
    return root.runInAsyncScope(fn);
  }

  /** Stop counting; returns the CPU ms counted. */
  stop(): number {
    this.hook.disable();
    this.depth = 0;
    this.startedAt = undefined;
    return this.cpuMs;
  }

  get cpuMs(): number {
    return this.micros / 1000;
  }

  cpuMsOf(key: string): number {
    return (this.perKeyMicros.get(key) ?? 0) / 1000;
  }
}

/** CPU the process spent while at least one scrape was in flight (overlaps counted once): includes other harness work meanwhile. */
export class InFlightCpuMeter {
  private active = 0;
  private startedAt: NodeJS.CpuUsage | undefined;
  private enteredAt = 0;
  cpuMs = 0;
  wallMs = 0;

  enter(): void {
    if (this.active++ === 0) {
      this.startedAt = process.cpuUsage();
      this.enteredAt = performance.now();
    }
  }

  leave(): void {
    if (--this.active === 0 && this.startedAt) {
      const delta = process.cpuUsage(this.startedAt);
      this.cpuMs += (delta.user + delta.system) / 1000;
      this.wallMs += performance.now() - this.enteredAt;
      this.startedAt = undefined;
    }
  }
}
