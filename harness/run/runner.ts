// The one plan runner: batch repetitions, streaming steps and whatever comes next are units
// run in groups, one group per started engine (cluster up → its units in order → cluster down,
// always). The runner owns what every kind of unit shares: cluster lifecycle, recording each
// measurement the moment it exists, progress, and interrupts (Ctrl-C records the unit in
// flight as `interrupted` and starts nothing new). A unit only knows how to measure.
import { createLogger } from '../log.ts';
import type { Measurement } from '../results/schema.ts';
import type { ResultsStore } from '../results/store.ts';
import { describeExit, EXIT_LOG_LINES, type ServiceWatch, type WatchedExit } from '../runtime/service-watch.ts';
import { failedMeasurement, interruptedMeasurement, type MeasurementIdentity } from './measurement.ts';
import type { RunProgress, UnitProgress } from './progress.ts';

const log = createLogger('bench:runner');

/** A started engine (or anything a group's units run on). */
export interface StartedGroup {
  /** Engine settings that differ from defaults, recorded in provenance under the group's engine. */
  readonly settings: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface UnitContext {
  readonly progress: UnitProgress;
  /** Aborted on Ctrl-C / SIGTERM, or when a service exited under the unit: stop early; whatever is returned afterwards is discarded. */
  readonly signal: AbortSignal;
}

export interface RunUnit<S> {
  readonly label: string;
  /** Who the measurement is about: used for the record when the unit cannot make its own. */
  readonly identity: MeasurementIdentity;
  /** Measure. Failures the unit understands come back as measurements; a throw is recorded as `failed`. */
  execute(started: S, context: UnitContext): Promise<Measurement>;
}

export interface UnitGroup<S extends StartedGroup> {
  /** e.g. "spark via spark-submit", "flink (streaming)". */
  readonly label: string;
  /** The provenance key its settings go under (engine or variant id). */
  readonly settingsKey: string;
  start(): Promise<S>;
  readonly units: readonly RunUnit<S>[];
}

/** What the runner knows of a unit before its group starts. */
export interface UnitInfo {
  readonly label: string;
  readonly identity: MeasurementIdentity;
}

/** A started group with its engine type hidden: it runs its own units by index. */
export interface StartedUnits extends StartedGroup {
  execute(unitIndex: number, context: UnitContext): Promise<Measurement>;
}

/** A group with its started type hidden, so a plan can hold groups of different engines. */
export interface AnyUnitGroup {
  readonly label: string;
  readonly settingsKey: string;
  readonly units: readonly UnitInfo[];
  start(): Promise<StartedUnits>;
}

export function unitGroup<S extends StartedGroup>(group: UnitGroup<S>): AnyUnitGroup {
  return {
    label: group.label,
    settingsKey: group.settingsKey,
    units: group.units,
    async start() {
      const started = await group.start();
      return {
        settings: started.settings,
        stop: () => started.stop(),
        execute: (index, context) => group.units[index]!.execute(started, context),
      };
    },
  };
}

export interface RunnerOptions {
  readonly store: ResultsStore;
  readonly progress: RunProgress;
  readonly signal: AbortSignal;
  /** Services that exit under a unit end it at once as `failed` naming them (absent: no watch, e.g. in-process engines only). */
  readonly watch?: ServiceWatch;
}

export interface RunSummary {
  readonly measurements: readonly Measurement[];
  readonly interrupted: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line on a measurement's outcome, for progress. */
export function describeOutcome(m: Measurement): string {
  if (m.status === 'completed') return m.mode === 'batch' ? `completed, median ${seconds(m.statistics.wallMs.median)}` : 'completed';
  return `${m.status}: ${m.reason.split('\n')[0]}`;
}

export async function runGroups(groups: readonly AnyUnitGroup[], options: RunnerOptions): Promise<RunSummary> {
  const { store, progress, signal, watch } = options;
  const measurements: Measurement[] = [];
  const record = (m: Measurement) => {
    store.addMeasurement(m);
    measurements.push(m);
  };
  progress.start(groups.reduce((n, g) => n + g.units.length, 0));
  // The process exits once the interrupt's teardowns are done, maybe before the unit in flight
  // returns: its record is written the moment the signal arrives.
  let inFlight: { unit: UnitInfo; progress: UnitProgress } | undefined;
  const onAbort = () => {
    if (!inFlight) return;
    const m = interruptedMeasurement(inFlight.unit.identity, 'interrupted (Ctrl-C or SIGTERM) while measuring');
    record(m);
    inFlight.progress.done(describeOutcome(m));
    inFlight = undefined;
  };
  signal.addEventListener('abort', onAbort, { once: true });

  for (const group of groups) {
    if (signal.aborted) break;
    progress.message(`[${group.label}] starting …`);
    const startedAt = Date.now();
    let started: StartedUnits;
    try {
      started = await group.start();
    } catch (error) {
      if (signal.aborted) break;
      const message = (error as Error).message;
      progress.message(`[${group.label}] did not start: ${message.split('\n')[0]}`);
      for (const unit of group.units) {
        progress.unit(unit.label).done('failed: the cluster did not start');
        record(failedMeasurement(unit.identity, `${group.label} did not start: ${message}`, { logExcerpt: message }));
      }
      continue;
    }
    progress.message(`[${group.label}] up in ${seconds(Date.now() - startedAt)}`);
    try {
      store.updateProvenance({ engineSettings: { ...store.document.provenance.engineSettings, [group.settingsKey]: { ...started.settings } } });
      // Set once a service this group depends on died: its later units are not measured on a broken cluster.
      let brokenBy: string | undefined;
      for (const [index, unit] of group.units.entries()) {
        if (signal.aborted) break;
        const unitProgress = progress.unit(unit.label);
        const dead = brokenBy === undefined ? watch?.outstanding()[0] : undefined;
        if (dead) brokenBy = describeExit(dead, { atMs: Date.now(), what: unit.label });
        if (brokenBy !== undefined) {
          const m = failedMeasurement(unit.identity, `not measured: ${brokenBy}`);
          record(m);
          unitProgress.done(describeOutcome(m));
          continue;
        }
        inFlight = { unit, progress: unitProgress };
        const outcome = await executeWatched(unit, index, started, unitProgress, signal, watch);
        // After an interrupt the unit's own result (usually a failure the teardown caused) is not the truth; it was recorded as interrupted.
        if (signal.aborted) break;
        inFlight = undefined;
        if (outcome.exit) brokenBy = `${outcome.exit.service.name} exited (${outcome.exit.description}) during ${unit.label}`;
        record(outcome.measurement);
        unitProgress.done(describeOutcome(outcome.measurement));
      }
    } finally {
      if (!signal.aborted) progress.message(`[${group.label}] stopping`);
      await started.stop().catch((error: Error) => log.warn(`stopping ${group.label}: ${error.message}`));
    }
  }
  signal.removeEventListener('abort', onAbort);
  progress.stop();
  return { measurements, interrupted: signal.aborted };
}

/** How long a failed unit waits for the runtime to report a service exit that may have caused it. */
const EXIT_REPORT_GRACE_MS = 2_000;

/**
 * Runs one unit, ended at once when a watched service exits under it: the measurement is then
 * `failed` naming the service, how and when it ended, and its last log lines. A unit that fails
 * on its own just after a service died gets the death put first in its reason.
 */
async function executeWatched(
  unit: UnitInfo,
  index: number,
  started: StartedUnits,
  progress: UnitProgress,
  signal: AbortSignal,
  watch: ServiceWatch | undefined,
): Promise<{ measurement: Measurement; exit?: WatchedExit }> {
  if (!watch) return { measurement: await executeUnit(unit, index, started, progress, signal) };
  const startedAt = Date.now();
  const since = { atMs: startedAt, what: unit.label };
  const serviceDied = new AbortController();
  const next = watch.next();
  try {
    const outcome = await Promise.race([
      executeUnit(unit, index, started, progress, AbortSignal.any([signal, serviceDied.signal])).then((measurement) => ({ measurement })),
      next.exited.then((exit) => ({ exit })),
    ]);
    if ('exit' in outcome) {
      const { exit } = outcome;
      serviceDied.abort(new Error(describeExit(exit, since)));
      const reason = `${describeExit(exit, since)}; the measurement ended then`;
      const logExcerpt = `--- last ${EXIT_LOG_LINES} lines of ${exit.service.logFile} ---\n${exit.logTail}`;
      return { measurement: failedMeasurement(unit.identity, reason, { logExcerpt }), exit };
    }
    const measurement = outcome.measurement;
    if (measurement.status !== 'failed' && measurement.status !== 'timed-out') return { measurement };
    // A client often notices a dead peer (a broken connection, a lost executor) before the
    // runtime has reported the exit: give the report a moment before taking the failure as is.
    const during =
      watch.outstanding().find((exit) => exit.atMs >= startedAt) ??
      (await Promise.race([next.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), EXIT_REPORT_GRACE_MS).unref())]));
    if (!during) return { measurement };
    return { measurement: { ...measurement, reason: `${describeExit(during, since)}; then: ${measurement.reason}` }, exit: during };
  } finally {
    next.cancel();
  }
}

async function executeUnit(unit: UnitInfo, index: number, started: StartedUnits, progress: UnitProgress, signal: AbortSignal): Promise<Measurement> {
  try {
    return await started.execute(index, { progress, signal });
  } catch (error) {
    return failedMeasurement(unit.identity, (error as Error).message, { logExcerpt: (error as Error).stack });
  }
}
