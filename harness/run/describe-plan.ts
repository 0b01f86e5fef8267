// A plan in words, for `bench run --dry-run` (pure): each group with its units and what each is
// expected to take, and the expected wall time with where the figures come from.
import type { WallTimeEstimate } from './estimate.ts';

export interface PlanDescription {
  readonly groups: readonly { readonly label: string; readonly units: readonly string[] }[];
  /** One line per part of the run: what every unit of it does. */
  readonly parts: readonly string[];
}

const minutes = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

export function describePlan(plan: PlanDescription, estimate: WallTimeEstimate): string {
  const lines = ['Plan (dry run: nothing was started)', ...plan.parts.map((p) => `  ${p}`)];
  let index = 0;
  for (const group of plan.groups) {
    lines.push(`  [${group.label}]`);
    for (const label of group.units) {
      const unit = estimate.units[index++];
      lines.push(`    ${label.padEnd(70)} ${unit?.ms === undefined ? 'no earlier measurement' : `≈ ${minutes(unit.ms)} (run ${unit.fromRun})`}`);
    }
  }
  const unitCount = estimate.units.length;
  const summary = `${unitCount} unit${unitCount === 1 ? '' : 's'} in ${plan.groups.length} group${plan.groups.length === 1 ? '' : 's'}`;
  if (estimate.runsUsed.length === 0) {
    lines.push(`${summary}; no earlier run to estimate the wall time from (give --history s3://bucket/prefix|DIR)`);
  } else {
    const unknown = estimate.unknownUnits ? `; ${estimate.unknownUnits} unit${estimate.unknownUnits === 1 ? '' : 's'} without an earlier measurement not included` : '';
    lines.push(`${summary}; expected wall time ≈ ${minutes(estimate.knownMs)} (from run${estimate.runsUsed.length === 1 ? '' : 's'} ${estimate.runsUsed.join(', ')}; each group adds ${minutes(estimate.perGroupOverheadMs)} to start and stop)${unknown}`);
  }
  return `${lines.join('\n')}\n`;
}
