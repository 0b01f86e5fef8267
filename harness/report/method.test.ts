import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../results/test-fixtures.ts';
import { flatten, methodSection, repetitionsUsed } from './method.ts';
import type { Block } from './model.ts';

describe('method section', () => {
  it('states the warm-ups and repetitions each engine actually ran', () => {
    expect(repetitionsUsed(exampleDocument())).toEqual([
      { engine: 'spark', text: '3 measured + 1 warm-up' },
      { engine: 'flink', text: '3 measured + 1 warm-up' },
      { engine: 'duckdb', text: '3 measured + 1 warm-up' },
    ]);
  });

  it('lists the budget and every non-default engine setting', () => {
    const tables = methodSection(exampleDocument()).blocks.filter((b): b is Extract<Block, { kind: 'table' }> => b.kind === 'table');
    expect(tables.map((t) => t.title)).toEqual([
      'Warm-ups and repetitions used in this run',
      'Resource budget (identical for every engine)',
      'Engine settings that differ from the engine defaults',
      'Effective configuration (flags over profile)',
    ]);
    expect(tables[1].table.rows).toEqual([['2', '4096', '2', '1']]);
    expect(tables[2].table.rows).toEqual([['spark', 'spark.sql.shuffle.partitions', '2']]);
  });

  it('flattens nested configuration to dotted keys', () => {
    expect(flatten({ a: 1, b: { c: 'x', d: [1, 2] } })).toEqual([
      ['a', '1'],
      ['b.c', 'x'],
      ['b.d', '[1,2]'],
    ]);
  });
});
