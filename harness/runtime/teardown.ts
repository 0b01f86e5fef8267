// Process-wide teardown so Ctrl-C (or a SIGTERM from CI) stops whatever is running — clusters,
// jobs, generators — instead of leaving detached process groups and containers behind.
// The first signal runs every registered teardown (newest first, each bounded by a timeout);
// a second signal exits at once.
import { createLogger } from '../log.ts';

const log = createLogger('bench:teardown');

type Teardown = { readonly fn: () => Promise<void>; readonly description: string };

const registered: Teardown[] = [];
let handlersInstalled = false;
let signalled = false;

const EXIT_CODES: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };
const interrupt = new AbortController();

/**
 * Aborted at the first SIGINT/SIGTERM, before any teardown runs: whoever is measuring records
 * the interrupt (synchronously, in its abort listener) while the teardowns stop the services.
 */
export function interruptSignal(): AbortSignal {
  installHandlers();
  return interrupt.signal;
}

/** Run `fn` on SIGINT/SIGTERM (and from `runTeardowns`). Returns a function that unregisters it. */
export function onTeardown(fn: () => Promise<void>, description = fn.name || 'teardown'): () => void {
  const entry: Teardown = { fn, description };
  registered.push(entry);
  installHandlers();
  return () => {
    const index = registered.indexOf(entry);
    if (index >= 0) registered.splice(index, 1);
  };
}

/** Run and unregister every teardown, newest first. Errors and timeouts are logged, never thrown. */
export async function runTeardowns(options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  for (const entry of registered.splice(0).reverse()) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([entry.fn(), timeout]);
    } catch (error) {
      log.error(`teardown '${entry.description}' failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalled) {
        log.warn(`${signal} again: exiting without finishing teardown (the run's reaper stops what is left; \`npx bench clean\` if it could not)`);
        process.exit(EXIT_CODES[signal]);
      }
      signalled = true;
      interrupt.abort(new Error(`${signal} received`));
      if (registered.length === 0) process.exit(EXIT_CODES[signal]);
      log.warn(`${signal} received: tearing down ${registered.length} thing(s); press Ctrl-C again to exit at once`);
      void runTeardowns().finally(() => process.exit(EXIT_CODES[signal]));
    });
  }
}
