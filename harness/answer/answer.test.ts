import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb, sqlString } from '../duckdb/session.ts';
import { answerChecksum, compareAnswers, valuesEqual, type Answer } from './answer.ts';
import { answerFiles, readAnswerDir } from './read-answer-dir.ts';

const columns = [
  { name: 'word', type: 'VARCHAR' },
  { name: 'n', type: 'BIGINT' },
  { name: 'amount', type: 'DOUBLE' },
];
const base: Answer = {
  columns,
  rows: [
    ['a', 3n, 1.5],
    ['b', 2n, 100],
    ['c', 1n, 0.1 + 0.2],
  ],
};

describe('valuesEqual', () => {
  it('compares floats with a relative tolerance', () => {
    expect(valuesEqual(100, 100.00001, true, 1e-7)).toBe(true); // |d| = 1e-5 <= 1e-7 * 100.00001
    expect(valuesEqual(100, 100.0001, true, 1e-7)).toBe(false); // 1e-4 > 1.000001e-5
    expect(valuesEqual(0.1 + 0.2, 0.3, true, 0)).toBe(false);
    expect(valuesEqual(0.1 + 0.2, 0.3, true, 1e-15)).toBe(true);
    expect(valuesEqual(0, 1e-300, true, 1e-9)).toBe(false); // relative: nothing is close to 0 but 0
    expect(valuesEqual(Number.NaN, Number.NaN, true, 0)).toBe(true);
  });
  it('compares integers exactly whatever their JS representation', () => {
    expect(valuesEqual(3n, 3, false, 0.5)).toBe(true);
    expect(valuesEqual(9007199254740993n, 9007199254740992n, false, 0.5)).toBe(false);
    expect(valuesEqual(1000000000n, 1000000001n, false, 1e-6)).toBe(false); // tolerance is for float columns only
    expect(valuesEqual(null, 0n, false, 0)).toBe(false);
    expect(valuesEqual(null, null, false, 0)).toBe(true);
    expect(valuesEqual('1', 1n, false, 0)).toBe(true);
  });
});

describe('compareAnswers', () => {
  it('accepts an equal answer, and an unordered permutation within tolerance', () => {
    expect(compareAnswers(base, base, { ordered: true })).toEqual({ equal: true, rows: 3 });
    const shuffled: Answer = { columns, rows: [['c', 1n, 0.3], ['a', 3n, 1.5], ['b', 2n, 100]] };
    expect(compareAnswers(base, shuffled, { ordered: false, tolerance: 1e-12 })).toEqual({ equal: true, rows: 3 });
    expect(compareAnswers(base, shuffled, { ordered: true, tolerance: 1e-12 }).equal).toBe(false);
  });

  it('reports the first differences with positions and counts (ordered)', () => {
    const actual: Answer = { columns, rows: [['a', 3n, 1.5], ['b', 5n, 100]] };
    const result = compareAnswers(base, actual, { ordered: true, tolerance: 1e-9 });
    expect(result).toEqual({
      equal: false,
      summary:
        "expected 3 rows, got 2 (ordered, tolerance 1e-9): 1 missing, 0 extra, 1 different; first: row 1 differs in n: expected ('b', 2, 100), got ('b', 5, 100)",
      missing: 1,
      extra: 0,
      different: 1,
      firstDifferences: [
        { kind: 'different', position: 1, columns: ['n'], expected: ['b', 2n, 100], actual: ['b', 5n, 100] },
        { kind: 'missing', position: 2, expected: ['c', 1n, 0.1 + 0.2] },
      ],
    });
  });

  it('matches unordered rows on key columns: a changed key is missing + extra, a changed value is different', () => {
    const actual: Answer = { columns, rows: [['z', 1n, 0.3], ['b', 2n, 101], ['a', 3n, 1.5]] };
    const result = compareAnswers(base, actual, { ordered: false, keyColumns: ['word'], tolerance: 1e-9 });
    expect(result.equal).toBe(false);
    if (result.equal) return;
    expect([result.missing, result.extra, result.different]).toEqual([1, 1, 1]);
    expect(result.firstDifferences).toEqual([
      { kind: 'different', position: 1, columns: ['amount'], expected: ['b', 2n, 100], actual: ['b', 2n, 101] },
      { kind: 'missing', position: 2, expected: ['c', 1n, 0.1 + 0.2] },
      { kind: 'extra', position: 2, actual: ['z', 1n, 0.3] },
    ]);
  });

  it('refuses answers whose columns differ', () => {
    const actual: Answer = { columns: columns.slice(0, 2), rows: base.rows.map((r) => r.slice(0, 2)) };
    const result = compareAnswers(base, actual, { ordered: true });
    expect(result).toMatchObject({ equal: false, summary: 'columns differ: expected (word, n, amount), got (word, n)' });
  });

  it('limits the reported differences but counts all', () => {
    const many: Answer = { columns, rows: Array.from({ length: 50 }, (_, i) => [`w${i}`, BigInt(i), i / 3]) };
    const off: Answer = { columns, rows: many.rows.map((r) => [r[0], (r[1] as bigint) + 1n, r[2]]) };
    const result = compareAnswers(many, off, { ordered: true, maxDifferences: 3 });
    expect(result).toMatchObject({ equal: false, different: 50, missing: 0, extra: 0 });
    if (!result.equal) expect(result.firstDifferences).toHaveLength(3);
  });
});

describe('answerChecksum', () => {
  it('is the sha256 of the canonical rendering', () => {
    // Rendering: JSON-quoted text, integers in decimal, floats at 17 significant digits,
    // tab-separated, one line per row: '"a"\t3\t1.5\n"b"\t2\t100\n"c"\t1\t0.30000000000000004\n'.
    expect(answerChecksum(base)).toBe('41c4e8d378ed2484f89755201cb78e221d93e8213a46b34decb6244f4822520c');
    expect(answerChecksum(base.rows)).toBe('41c4e8d378ed2484f89755201cb78e221d93e8213a46b34decb6244f4822520c');
  });
  it('rounds floats to the tolerance and sorts unordered answers', () => {
    const near: Answer = { columns, rows: [['a', 3n, 1.5000000001], ['b', 2n, 100], ['c', 1n, 0.3]] };
    expect(answerChecksum(near, { tolerance: 1e-6 })).toBe(answerChecksum(base, { tolerance: 1e-6 }));
    expect(answerChecksum(near)).not.toBe(answerChecksum(base));
    const reversed: Answer = { columns, rows: [...base.rows].reverse() };
    expect(answerChecksum(reversed, { ordered: false })).toBe(answerChecksum(base, { ordered: false }));
    expect(answerChecksum(reversed)).not.toBe(answerChecksum(base));
  });
});

describe('readAnswerDir', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'answer-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads part files in numeric name order and skips bookkeeping files', async () => {
    const out = path.join(dir, 'parquet-out');
    fs.mkdirSync(out);
    await using db = await openDuckDb({ threads: 1 });
    // Flink-style names without extension; part-…-10 must come after part-…-2.
    for (const [name, from] of [['part-abc-2-0', 2], ['part-abc-10-0', 10], ['part-abc-0-0', 0]] as const) {
      await db.execute(`COPY (SELECT ${from} + range AS id, 'w' || (${from} + range) AS word, (${from} + range) / 4 AS q FROM range(2)) TO ${sqlString(path.join(out, name))} (FORMAT parquet)`);
    }
    fs.writeFileSync(path.join(out, '_SUCCESS'), '');
    fs.writeFileSync(path.join(out, '.part-abc-0-0.crc'), 'junk');
    expect(answerFiles(out).map((f) => path.basename(f))).toEqual(['part-abc-0-0', 'part-abc-2-0', 'part-abc-10-0']);
    const answer = await readAnswerDir(out, 'parquet');
    expect(answer.columns).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'word', type: 'VARCHAR' },
      { name: 'q', type: 'DOUBLE' },
    ]);
    expect(answer.rows).toEqual([
      [0n, 'w0', 0],
      [1n, 'w1', 0.25],
      [2n, 'w2', 0.5],
      [3n, 'w3', 0.75],
      [10n, 'w10', 2.5],
      [11n, 'w11', 2.75],
    ]);
  });

  it('reads headerless CSV with declared column types (a numeric-looking word stays text)', async () => {
    const out = path.join(dir, 'csv-out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'part-00000.csv'), '1e10,7\nabc,2\n');
    fs.writeFileSync(path.join(out, 'part-00001.csv'), '0123,1\n');
    fs.writeFileSync(path.join(out, '_SUCCESS'), '');
    const answer = await readAnswerDir(out, 'csv', { columns: { word: 'STRING', occurrences: 'BIGINT' } });
    expect(answer).toEqual({
      columns: [
        { name: 'word', type: 'VARCHAR' },
        { name: 'occurrences', type: 'BIGINT' },
      ],
      rows: [
        ['1e10', 7n],
        ['abc', 2n],
        ['0123', 1n],
      ],
    });
  });

  it('fails loudly on an empty output directory', async () => {
    const out = path.join(dir, 'empty-out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, '_SUCCESS'), '');
    await expect(readAnswerDir(out, 'parquet')).rejects.toThrow(`answer directory ${out} holds no output files`);
  });
});
