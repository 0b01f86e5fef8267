// Start a cluster's services in stages (e.g. master, then workers in parallel), and if any
// stage fails stop what already started, so a half-started cluster never leaks.
import type { Runtime, ServiceSpec, StartedService } from '../runtime/runtime.ts';
import { createLogger } from '../log.ts';

const log = createLogger('bench:cluster');

export async function startInStages(runtime: Runtime, stages: readonly (readonly ServiceSpec[])[]): Promise<StartedService[]> {
  const started: StartedService[] = [];
  try {
    for (const stage of stages) {
      const results = await Promise.allSettled(stage.map((spec) => runtime.start(spec)));
      for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
    return started;
  } catch (error) {
    log.warn(`start failed; stopping ${started.length} service(s) that did start`);
    await stopAll(started);
    throw error;
  }
}

/** Stop in reverse start order; errors are logged, never thrown (teardown must finish). */
export async function stopAll(services: readonly StartedService[]): Promise<void> {
  for (const service of [...services].reverse()) {
    await service.stop().catch((error: unknown) => log.warn(`stopping ${service.name}: ${(error as Error).message}`));
  }
}
