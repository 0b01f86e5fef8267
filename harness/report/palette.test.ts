import { describe, expect, it } from 'vitest';
import { ENGINE_COLORS, enginePalette, orderEngines } from './palette.ts';

describe('engine palette', () => {
  it('gives known engines their fixed colour and unknown ones spare colours in sorted order', () => {
    const palette = enginePalette(['flink', 'zeta', 'spark', 'alpha', 'duckdb', 'flink']);
    expect(Object.fromEntries(palette)).toEqual({
      flink: ENGINE_COLORS.flink,
      spark: ENGINE_COLORS.spark,
      duckdb: ENGINE_COLORS.duckdb,
      alpha: '#1f77b4',
      zeta: '#2ca02c',
    });
  });

  it('is the same for an engine whatever else is in the report', () => {
    expect(enginePalette(['spark']).get('spark')).toBe(enginePalette(['flink', 'spark', 'duckdb']).get('spark'));
  });

  it('orders engines: known families first, unknown by name, the baseline last', () => {
    expect(orderEngines(['duckdb', 'zeta', 'flink-rocksdb', 'spark-microbatch', 'flink', 'alpha', 'spark'])).toEqual([
      'spark',
      'spark-microbatch',
      'flink',
      'flink-rocksdb',
      'alpha',
      'zeta',
      'duckdb',
    ]);
  });
});
