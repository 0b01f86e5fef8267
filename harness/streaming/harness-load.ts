// Whether the harness, not the engine, limited a streaming step (issue: harness limits named).
// The generator runs in its own process and the run process holds the output consumer, the lag
// sampler and the scrapers; each one's load over the input window is recorded, and a process
// near a full core means the rate asked for may not have been driven or read in time. Pure.
import type { ProcessLoad } from '../generators/stream/generator-process.ts';

/** At or above this share of an event loop's time (the generator's, or the run process's), the harness is the bottleneck. */
export const HARNESS_BUSY_BOUND = 0.9;

export interface HarnessLoad {
  readonly generator: ProcessLoad;
  /** The run process over the same span: output consumer, lag sampler, metrics scrapers. */
  readonly runProcess: ProcessLoad;
}

const percent = (x: number) => `${Math.round(x * 100)} %`;

/** Why the harness limited the step, or undefined. The generator falling behind its schedule comes first (it is what the engine saw). */
export function harnessLimitOf(step: { readonly fellBehind: boolean; readonly maxBehindMs: number; readonly behindBoundMs: number }, load: HarnessLoad | undefined): string | undefined {
  if (step.fellBehind) return `the generator fell ${Math.round(step.maxBehindMs)} ms behind its schedule (bound ${step.behindBoundMs} ms)`;
  if (!load) return undefined;
  // The event loop, not the process's CPU: librdkafka's own threads add CPU without slowing the schedule loop.
  if (load.generator.eventLoopBusy >= HARNESS_BUSY_BOUND) return `the generator's event loop was busy ${percent(load.generator.eventLoopBusy)} of the input window (bound ${percent(HARNESS_BUSY_BOUND)}; its process used ${load.generator.cpuCores.toFixed(2)} cores)`;
  if (load.runProcess.eventLoopBusy >= HARNESS_BUSY_BOUND) return `the run process's event loop (output consumer, lag sampler, scrapers) was busy ${percent(load.runProcess.eventLoopBusy)} of the input window (bound ${percent(HARNESS_BUSY_BOUND)})`;
  return undefined;
}
