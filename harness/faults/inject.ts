// Injecting the faults of `--fault` into one measurement: each at its time on the measurement's
// axis, into the service of that name, the watch told beforehand (the exit is the experiment,
// not a failure), what happened recorded with the epoch times the figures are computed from.
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../log.ts';
import type { ServiceFault, StartedService } from '../runtime/runtime.ts';
import type { ServiceWatch } from '../runtime/service-watch.ts';
import { engineOfService, type FaultAction, type FaultSpec } from './fault-spec.ts';

const log = createLogger('bench:faults');

/** What a run gives its measurements to inject faults with. */
export interface FaultPlan {
  readonly faults: readonly FaultSpec[];
  /** The services running now (the runtime's), by name. */
  readonly services: () => Promise<readonly StartedService[]>;
  readonly watch?: ServiceWatch;
}

/** The faults that concern one engine: its own services', and Kafka's when it streams; undefined when none do. */
export function faultsForEngine(plan: FaultPlan | undefined, engineId: string, options: { withKafka: boolean } = { withKafka: true }): FaultPlan | undefined {
  if (!plan) return undefined;
  const faults = plan.faults.filter((f) => {
    const owner = engineOfService(f.service);
    return owner === undefined ? options.withKafka : owner === engineId;
  });
  return faults.length > 0 ? { ...plan, faults } : undefined;
}

export interface InjectedFault {
  readonly text: string;
  readonly action: FaultAction;
  readonly service: string;
  /** Planned, ms on the measurement's axis. */
  readonly atMs: number;
  /** Epoch ms the action was started; absent when it never was (the measurement ended first, no such service). */
  readonly injectedAtMs?: number;
  /** Epoch ms it had taken effect: killed, stopped, resumed after the pause, ready after the restart. */
  readonly doneAtMs?: number;
  /** Why it was not injected or did not complete. */
  readonly error?: string;
}

/** The runtime's steps for each action of `--fault` (FAULT_ACTION_MEANING says them in words). */
async function perform(service: StartedService, fault: FaultSpec, signal: AbortSignal): Promise<void> {
  const step = (action: ServiceFault) => service.fault(action);
  switch (fault.action) {
    case 'kill':
      return step('kill');
    case 'stop':
      return step('terminate');
    case 'pause':
      await step('pause');
      // Resumed even when the measurement ends first: a frozen service would hang the teardown.
      await sleep(fault.durationMs ?? 0, undefined, { signal }).catch(() => undefined);
      return step('resume');
    case 'restart':
      if (fault.durationMs) {
        await step('kill');
        await sleep(fault.durationMs, undefined, { signal }).catch(() => undefined);
      }
      return step('restart');
  }
}

/**
 * Starts the schedule now, `axisStartMs` being t=0 of the measurement (epoch ms). `finish()`
 * cancels what has not fired, waits for what is under way and releases the watch.
 */
export function startFaults(plan: FaultPlan, axisStartMs: number): { finish(): Promise<InjectedFault[]> } {
  const controller = new AbortController();
  const releases: (() => Promise<void>)[] = [];
  const outcomes = plan.faults.map(async (fault): Promise<InjectedFault> => {
    const base = { text: fault.text, action: fault.action, service: fault.service, atMs: fault.atMs };
    const waited = await sleep(Math.max(0, axisStartMs + fault.atMs - Date.now()), true, { signal: controller.signal }).catch(() => false);
    if (!waited) return { ...base, error: 'not injected: the measurement ended before its time' };
    const service = (await plan.services()).find((s) => s.name === fault.service);
    if (!service) return { ...base, error: `not injected: no running service named ${fault.service} (this run has ${(await plan.services()).map((s) => s.name).join(', ') || 'none'})` };
    const expected = plan.watch?.expect(service, fault.text);
    const injectedAtMs = Date.now();
    log.info(`fault ${fault.text}: ${fault.action} ${service.name} at t=${((injectedAtMs - axisStartMs) / 1000).toFixed(1)} s`);
    try {
      await perform(service, fault, controller.signal);
      return { ...base, injectedAtMs, doneAtMs: Date.now() };
    } catch (error) {
      return { ...base, injectedAtMs, error: `${fault.action} ${service.name}: ${(error as Error).message.split('\n')[0]}` };
    } finally {
      // Held until the measurement ends: a restarted service may exit again while it recovers.
      if (expected) releases.push(expected.release);
    }
  });
  return {
    async finish() {
      controller.abort();
      const injected = await Promise.all(outcomes);
      await Promise.all(releases.map((release) => release()));
      return injected;
    },
  };
}
