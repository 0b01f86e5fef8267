// Generic pieces of a measurement's metrics (the per-engine choice of scrapers is in
// harness/engines/<engine>/metrics.ts): the OS scraper for services by how they run, and a
// sampler around one execution.
import type { StartedService } from '../runtime/runtime.ts';
import { dockerStatsScraper } from './docker-stats.ts';
import type { MetricsSection } from '../results/metrics-section.ts';
import { localProcessScraper } from './procfs.ts';
import { startSampler, type Scraper } from './sampler.ts';

/** OS resources of services: docker stats for containers, procfs for local process groups. */
export function osScraper(services: readonly StartedService[], name = 'os'): Scraper {
  const kinds = new Set(services.map((s) => s.handle.kind));
  if (kinds.size !== 1) throw new Error(`services ${services.map((s) => s.name).join(', ')} mix runtimes (${[...kinds].join(', ')}); sample them with separate scrapers`);
  return kinds.has('docker') ? dockerStatsScraper(services, name) : localProcessScraper(services, name);
}

/** Run `execute` with a sampler beside it. The sampler is stopped either way; on a throw its section is dropped and the error rethrown (batch engines return failures as values, which keep their metrics). */
export async function withMetrics<T>(scrapers: readonly Scraper[], intervalMs: number, execute: () => Promise<T>): Promise<{ result: T; metrics: MetricsSection }> {
  const sampler = startSampler({ intervalMs, scrapers });
  let result: T;
  try {
    result = await execute();
  } catch (error) {
    await sampler.stop().catch(() => undefined);
    throw error;
  }
  return { result, metrics: await sampler.stop() };
}
