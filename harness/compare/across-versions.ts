// `bench compare --across-versions`: when an engine's version differs between the runs on
// purpose ("did Spark 4.2 get faster than 4.1 on multijoin?"), one line per workload × engine
// of that engine saying both versions, both medians, the change, the exact Mann-Whitney p and
// the verdict in a word. Engines whose version did not change stay in the table as controls
// (the machine's own drift between the runs).
import { ENGINES, STREAMING_VARIANTS } from '../engines/index.ts';
import type { VersionChange } from './comparability.ts';
import type { Comparison, ComparisonRow, Verdict } from './compare-runs.ts';

/**
 * The distributions a measured engine runs on, as the engine declares them: a batch engine by
 * its id, a streaming variant (e.g. 'spark-microbatch') by its engine. None for in-process
 * engines, nor for an id this harness no longer knows (an old result).
 */
export function distributionsOfEngine(id: string): readonly string[] {
  const engine = ENGINES.find((e) => e.id === id) ?? STREAMING_VARIANTS.find((v) => v.variant.id === id)?.engine;
  return engine?.distributions ?? [];
}

/** 'spark 4.1.1 → 4.2.0; unchanged: flink 2.2.1, kafka 4.1.2' */
export function describeVersionChanges(changes: readonly VersionChange[], unchanged: readonly { name: string; version: string }[]): string {
  const changed = changes.map((c) => `${c.name} ${c.baseline} → ${c.candidate}`).join(', ');
  const same = unchanged.length ? `; unchanged: ${unchanged.map((d) => `${d.name} ${d.version}`).join(', ')}` : '';
  return `${changed}${same}`;
}

/** The verdict lines, one per compared row of an engine whose version changed, in the table's order. */
export function versionVerdictLines(comparison: Comparison, changes: readonly VersionChange[]): string[] {
  const byName = new Map(changes.map((c) => [c.name, c]));
  const lines: string[] = [];
  for (const row of comparison.rows) {
    const changed = distributionsOfEngine(row.engine).flatMap((name) => byName.get(name) ?? []);
    if (changed.length === 0) continue;
    const versions = changed.map((c) => `${c.name} ${c.baseline} → ${c.candidate}`).join(', ');
    const what = `${row.workload}${changed.length === 1 && row.engine === changed[0]!.name ? '' : ` on ${row.engine}`}${row.path ? ` (${row.path})` : ''}`;
    const numbers = figures(row);
    lines.push(`${versions}: ${what}${numbers ? ` ${numbers}` : ''}: ${verdictWords(row, comparison)}`);
  }
  return lines;
}

function figures(row: ComparisonRow): string {
  if (row.detail?.startsWith('streaming: ')) return `(${row.detail.slice('streaming: '.length).replace(/ \(one measurement per run: not tested for significance\)$/, '')})`;
  if (row.baselineMedianMs === undefined || row.candidateMedianMs === undefined || row.change === undefined || row.test === undefined) return '';
  return `${seconds(row.baselineMedianMs)} → ${seconds(row.candidateMedianMs)} (${signedPercent(row.change)}, p = ${pValue(row.test.pTwoSided)})`;
}

function verdictWords(row: ComparisonRow, comparison: Comparison): string {
  const { threshold, alpha } = comparison.options;
  const words: Record<Verdict, () => string> = {
    improvement: () => 'faster',
    regression: () => 'slower',
    'within-threshold': () => `unchanged (significant, but within ±${percent(threshold)})`,
    'not-significant': () => `no significant change (α = ${alpha})`,
    'too-few-samples': () =>
      row.detail?.startsWith('streaming: ') ? 'not tested (one measurement per run)' : `too few repetitions to tell (${row.test!.nBaseline} + ${row.test!.nCandidate} cannot reach p ≤ ${alpha})`,
    'metric-missing': () => `unknown: ${row.detail}`,
    'status-regression': () => `no longer completes (${row.detail})`,
    'status-fixed': () => `completes now (${row.detail})`,
    'not-completed': () => `completed in neither run (${row.detail})`,
    'only-in-baseline': () => `only in the baseline (${row.detail})`,
    'only-in-candidate': () => `only in the candidate (${row.detail})`,
  };
  return words[row.verdict]();
}

/** 5100 → '5.1 s'; 430 → '0.43 s'; 123_400 → '123 s' */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 100 ? s.toFixed(0) : s >= 1 ? s.toFixed(1) : s.toFixed(2)} s`;
}

/** −0.0984 → '−9.8 %', −0.104 → '−10 %', +0.2 → '+20 %' (a true minus sign) */
export function signedPercent(change: number): string {
  const pct = change * 100;
  const digits = Math.abs(pct) >= 10 ? 0 : 1;
  const text = Math.abs(pct).toFixed(digits);
  const sign = Number(text) === 0 ? '±' : pct < 0 ? '−' : '+';
  return `${sign}${text} %`;
}

/** Two significant digits: 0.0317 → '0.032', 2/252 → '0.0079', 1 → '1' */
export function pValue(p: number): string {
  return String(Number(p.toPrecision(2)));
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))} %`;
}
