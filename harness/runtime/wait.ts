// Readiness checks: small strategies behind one factory (`Wait.forHttp`, `Wait.forLogMessage`,
// `Wait.forListeningPort`, `Wait.forAll`). Each polls until it holds or its timeout passes, and
// fails fast when the service has already exited.
import net from 'node:net';

/** The part of a started service a wait strategy may look at. */
export interface WaitTarget {
  readonly name: string;
  endpoint(portName: string): { host: string; port: number };
  logs(tailLines?: number): Promise<string>;
  isRunning(): Promise<boolean>;
}

export interface WaitStrategy {
  readonly timeoutMs: number;
  describe(): string;
  /** Resolves when ready; rejects with a message naming the service, the check and the timeout. */
  waitUntilReady(target: WaitTarget, signal?: AbortSignal): Promise<void>;
}

export class ServiceExitedError extends Error {}

/**
 * The service as a wait strategy should see it after a restart: only the output written since
 * (`logLengthBefore` characters of the kept log are the previous run's), so a readiness line
 * the last run logged does not count for this one.
 */
export function sinceRestart(target: WaitTarget, logLengthBefore: number): WaitTarget {
  return {
    name: target.name,
    endpoint: (portName) => target.endpoint(portName),
    isRunning: () => target.isRunning(),
    logs: async (tailLines) => {
      const lines = (await target.logs()).slice(logLengthBefore).split('\n');
      return tailLines === undefined ? lines.join('\n') : lines.slice(-tailLines - 1).join('\n');
    },
  };
}

const POLL_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pollUntil(
  target: WaitTarget,
  what: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  check: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (await check().catch(() => false)) return;
    if (!(await target.isRunning())) {
      // One last look: the condition may have been met just before a short-lived exit.
      if (await check().catch(() => false)) return;
      throw new ServiceExitedError(`${target.name} exited before it was ready (waiting for ${what})`);
    }
    if (Date.now() >= deadline) throw new Error(`${target.name} was not ready after ${timeoutMs} ms (waiting for ${what})`);
    await sleep(POLL_MS);
  }
}

function forHttp(portName: string, path: string, options: { timeoutMs?: number; status?: (code: number) => boolean } = {}): WaitStrategy {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const accept = options.status ?? ((code: number) => code >= 200 && code < 300);
  const describe = () => `HTTP ${path} on port '${portName}' to answer 2xx`;
  return {
    timeoutMs,
    describe,
    waitUntilReady: (target, signal) =>
      pollUntil(target, describe(), timeoutMs, signal, async () => {
        const { host, port } = target.endpoint(portName);
        const response = await fetch(`http://${host}:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
        await response.body?.cancel();
        return accept(response.status);
      }),
  };
}

function forLogMessage(pattern: RegExp, options: { timeoutMs?: number; times?: number } = {}): WaitStrategy {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const times = options.times ?? 1;
  const describe = () => `log line matching ${pattern}${times > 1 ? ` ${times} times` : ''}`;
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  return {
    timeoutMs,
    describe,
    waitUntilReady: (target, signal) =>
      pollUntil(target, describe(), timeoutMs, signal, async () => {
        const text = await target.logs();
        return (text.match(global)?.length ?? 0) >= times;
      }),
  };
}

/**
 * Docker's port forwarder accepts connections on a published port even when nothing listens
 * inside the container, then closes them at once; so a connection only counts when the peer
 * keeps it open for a moment.
 */
const PORT_SETTLE_MS = 300;

function forListeningPort(portName: string, options: { timeoutMs?: number } = {}): WaitStrategy {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const describe = () => `TCP port '${portName}' to accept connections`;
  return {
    timeoutMs,
    describe,
    waitUntilReady: (target, signal) =>
      pollUntil(target, describe(), timeoutMs, signal, () => {
        const { host, port } = target.endpoint(portName);
        return new Promise<boolean>((resolve) => {
          const socket = net.connect({ host, port });
          let settled = false;
          const done = (ok: boolean) => {
            if (settled) return;
            settled = true;
            socket.destroy();
            resolve(ok);
          };
          socket.setTimeout(1_000, () => done(false));
          socket.once('connect', () => setTimeout(() => done(true), PORT_SETTLE_MS));
          socket.once('close', () => done(false));
          socket.once('error', () => done(false));
        });
      }),
  };
}

/** All strategies in order; the timeout is the sum of theirs. */
function forAll(...strategies: WaitStrategy[]): WaitStrategy {
  return {
    timeoutMs: strategies.reduce((sum, s) => sum + s.timeoutMs, 0),
    describe: () => strategies.map((s) => s.describe()).join(' and '),
    async waitUntilReady(target, signal) {
      for (const strategy of strategies) await strategy.waitUntilReady(target, signal);
    },
  };
}

/** For one-shot services that need no readiness check. */
function none(): WaitStrategy {
  return { timeoutMs: 0, describe: () => 'nothing', waitUntilReady: async () => {} };
}

export const Wait = { forHttp, forLogMessage, forListeningPort, forAll, none };
