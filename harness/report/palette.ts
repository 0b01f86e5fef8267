// One colour per engine variant for every chart of every report, so "orange = Spark" holds
// everywhere. Families share a hue (Spark oranges, Flink purples, DuckDB grey as the
// baseline); names not listed get colours from a spare list in sorted order.

export const ENGINE_COLORS: Readonly<Record<string, string>> = {
  spark: '#e8710a',
  'spark-microbatch': '#f5a25d',
  'spark-continuous': '#a84f00',
  'spark-realtime': '#c43c00',
  flink: '#6a3d9a',
  'flink-hashmap': '#a483cf',
  'flink-rocksdb': '#3f1d66',
  duckdb: '#7f7f7f',
};

const SPARE_COLORS = ['#1f77b4', '#2ca02c', '#17becf', '#d62728', '#bcbd22', '#8c564b', '#e377c2', '#393b79'] as const;

/** The engine that is the single-machine baseline (COST) and the correctness oracle. */
export const BASELINE_ENGINE = 'duckdb';

/** Colour of each engine in `allEngines` (every engine named anywhere in the report). */
export function enginePalette(allEngines: readonly string[]): Map<string, string> {
  const palette = new Map<string, string>();
  const unknown = [...new Set(allEngines)].filter((engine) => !(engine in ENGINE_COLORS)).sort();
  for (const engine of new Set(allEngines)) {
    if (engine in ENGINE_COLORS) palette.set(engine, ENGINE_COLORS[engine]);
  }
  unknown.forEach((engine, index) => palette.set(engine, SPARE_COLORS[index % SPARE_COLORS.length]));
  return palette;
}

/** Engines in the display order used by every chart and table: known ones first, baseline last. */
export function orderEngines(engines: Iterable<string>): string[] {
  const known = Object.keys(ENGINE_COLORS);
  const rank = (engine: string) => {
    if (engine === BASELINE_ENGINE) return Number.MAX_SAFE_INTEGER;
    const index = known.indexOf(engine);
    return index === -1 ? known.length : index;
  };
  return [...new Set(engines)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
