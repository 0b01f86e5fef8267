// How long a planned run will take, from earlier runs (pure): each planned unit takes what the
// same unit (workload, engine or variant, mode, scale, submission path) took in the newest
// earlier run that has it; each group adds the cluster start-up and teardown those runs spent
// outside their units. Units no earlier run has are counted and said, never guessed.
import type { MeasurementIdentity, ResultsDocument } from '../results/schema.ts';

export interface PlannedUnit {
  readonly identity: MeasurementIdentity;
  readonly group: string;
}

export interface UnitEstimate {
  readonly unit: PlannedUnit;
  /** Expected ms, or undefined when no earlier run has this unit. */
  readonly ms?: number;
  /** The run the figure comes from. */
  readonly fromRun?: string;
}

export interface WallTimeEstimate {
  readonly units: readonly UnitEstimate[];
  /** Σ known units + groups × per-group overhead. */
  readonly knownMs: number;
  /** Per-group start-up/teardown, from the newest run with at least one group (0 without one). */
  readonly perGroupOverheadMs: number;
  readonly unknownUnits: number;
  readonly runsUsed: readonly string[];
}

/** The same unit in another run: same workload, engine/variant, mode, scale and path. The rate a search settled on is a result, not the setup. */
export function unitKey(identity: MeasurementIdentity): string {
  return JSON.stringify([identity.workload, identity.engine, identity.mode, String(identity.scale), identity.submission?.path ?? null]);
}

const durationOf = (m: { startedAt?: string; finishedAt?: string }): number | undefined =>
  m.startedAt && m.finishedAt ? Date.parse(m.finishedAt) - Date.parse(m.startedAt) : undefined;

/** Cluster start/stop time of a run per group: its wall time minus the time inside its measurements, over its groups (engine × path or variant). */
function groupOverheadMs(document: ResultsDocument): number | undefined {
  const wall = durationOf(document);
  if (wall === undefined) return undefined;
  const inside = document.measurements.reduce((sum, m) => sum + (durationOf(m) ?? 0), 0);
  const groups = new Set(document.measurements.map((m) => `${m.mode}|${m.engine}|${m.submission?.path ?? ''}`)).size;
  return groups === 0 ? undefined : Math.max(0, (wall - inside) / groups);
}

export function estimateWallTime(units: readonly PlannedUnit[], history: readonly ResultsDocument[]): WallTimeEstimate {
  // Newest first, finished runs only.
  const runs = history.filter((d) => d.finishedAt).sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
  const used = new Set<string>();
  const estimates = units.map((unit): UnitEstimate => {
    const key = unitKey(unit.identity);
    for (const run of runs) {
      const match = run.measurements.find((m) => unitKey(m) === key && durationOf(m) !== undefined);
      if (match) {
        used.add(run.runId);
        return { unit, ms: durationOf(match)!, fromRun: run.runId };
      }
    }
    return { unit };
  });
  const overheadRun = runs.find((run) => groupOverheadMs(run) !== undefined);
  const perGroupOverheadMs = overheadRun ? groupOverheadMs(overheadRun)! : 0;
  if (overheadRun) used.add(overheadRun.runId);
  const groups = new Set(units.map((u) => u.group)).size;
  return {
    units: estimates,
    knownMs: estimates.reduce((sum, e) => sum + (e.ms ?? 0), 0) + groups * perGroupOverheadMs,
    perGroupOverheadMs,
    unknownUnits: estimates.filter((e) => e.ms === undefined).length,
    runsUsed: [...used],
  };
}
