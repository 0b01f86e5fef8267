// The oracle checked against a second, independent formulation: the generated tables are read
// row by row into TypeScript and the answer is computed there (sort, hash joins, tokenising),
// then compared with DuckDB's answer to the workload's own SQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorkloadData, type GeneratedDataset } from '../../generators/batch/generate.ts';
import { compareAnswers, type Answer, type AnswerRow } from '../../answer/answer.ts';
import { loadWorkload, type Workload } from '../../workloads/load.ts';
import { answerColumnProblems, runDuckDbWorkload } from './duckdb-engine.ts';
import { openDuckDb, sqlString } from '../../duckdb/session.ts';

const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-engine-test-'));
afterAll(() => fs.rmSync(dataRoot, { recursive: true, force: true }));
const options = { scale: 'tiny', seed: 3, threads: 2, dataRoot } as const;

async function readTable(dataset: GeneratedDataset): Promise<Answer> {
  await using db = await openDuckDb({ threads: 1 });
  return db.query(`SELECT * FROM read_parquet(${sqlString(dataset.path)})`);
}

/** Rows as objects keyed by column name. */
function records(answer: Answer): Record<string, AnswerRow[number]>[] {
  return answer.rows.map((row) => Object.fromEntries(answer.columns.map((c, i) => [c.name, row[i]])));
}

function expectSameAnswer(workload: Workload, expected: Answer, actual: Answer): void {
  const { ordered, tolerance } = workload.spec.answer!;
  const comparison = compareAnswers(expected, actual, { ordered, tolerance });
  expect(comparison.equal ? 'equal' : comparison.summary).toBe('equal');
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('DuckDB oracle vs independent TypeScript formulations (scale tiny)', () => {
  it.each([undefined, 5000])('topn with LIMIT %s: sort the whole table in TS', async (limit) => {
    const workload = loadWorkload('topn');
    const params = limit === undefined ? undefined : { LIMIT: limit };
    const result = await runDuckDbWorkload(workload, { ...options, params });
    const table = await readTable((await generateWorkloadData(workload, options)).transactions);
    const priceIndex = table.columns.findIndex((c) => c.name === 'price');
    const idIndex = table.columns.findIndex((c) => c.name === 'id');
    const sorted = [...table.rows].sort(
      (a, b) => (b[priceIndex] as number) - (a[priceIndex] as number) || Number((a[idIndex] as bigint) - (b[idIndex] as bigint)),
    );
    const expected = { columns: table.columns, rows: sorted.slice(0, limit ?? 100) };
    expect(result.rows).toHaveLength(limit ?? 100);
    // With 5000 of 20000 rows the answer surely holds equal prices: the id tie-break is exercised.
    if (limit) expect(new Set(expected.rows.map((r) => r[priceIndex])).size).toBeLessThan(limit);
    expectSameAnswer(workload, expected, result);
    expect(answerColumnProblems(workload, result)).toEqual([]);
  });

  it('multijoin: hash joins and the aggregation in TS', async () => {
    const workload = loadWorkload('multijoin');
    const result = await runDuckDbWorkload(workload, options);
    const data = await generateWorkloadData(workload, options);
    const table = async (name: string) => records(await readTable(data[name]));
    const byKey = <T extends Record<string, unknown>>(rows: T[], key: string) => new Map(rows.map((r) => [r[key], r]));
    const customers = byKey(await table('customers'), 'customer_id');
    const promotions = byKey(await table('promotions'), 'promotion_id');
    const payments = byKey(await table('payments'), 'order_id');
    const deliveries = byKey(await table('deliveries'), 'order_id');
    const reviews = byKey(await table('reviews'), 'order_id');
    const groups = new Map<string, { segment: string; promo: string; count: bigint; amount: number; paid: number; days: bigint; rating: bigint }>();
    for (const order of await table('orders')) {
      const customer = customers.get(order.customer_id);
      const payment = payments.get(order.order_id);
      const delivery = deliveries.get(order.order_id);
      const review = reviews.get(order.order_id);
      const promotion = promotions.get(order.promotion_id);
      if (!customer || !payment || !delivery || !review || !promotion) continue;
      const key = `${customer.segment}\t${promotion.promo_type}`;
      const group = groups.get(key) ?? { segment: customer.segment as string, promo: promotion.promo_type as string, count: 0n, amount: 0, paid: 0, days: 0n, rating: 0n };
      group.count += 1n;
      group.amount += order.amount as number;
      group.paid += payment.amount as number;
      group.days += delivery.delivery_days as bigint;
      group.rating += review.rating as bigint;
      groups.set(key, group);
    }
    const rows = [...groups.values()]
      .sort((a, b) => cmp(a.segment, b.segment) || cmp(a.promo, b.promo))
      .map((g) => [g.segment, g.promo, g.count, g.amount, g.paid, g.days, g.rating]);
    const columns = Object.entries(workload.spec.answer!.columns).map(([name, type]) => ({ name, type }));
    expect(rows).toHaveLength(20);
    expect(Number(rows.reduce((sum, r) => sum + (r[2] as bigint), 0n))).toBeGreaterThan(20000 * 0.6); // ≈ 0.95 × 0.9 × 0.8
    expectSameAnswer(workload, { columns, rows }, result);
  });

  it('wordcount: tokenise and count in TS', async () => {
    const workload = loadWorkload('wordcount');
    const result = await runDuckDbWorkload(workload, options);
    const lines = records(await readTable((await generateWorkloadData(workload, options)).lines));
    const counts = new Map<string, bigint>();
    for (const { line } of lines) for (const word of (line as string).split(' ')) counts.set(word, (counts.get(word) ?? 0n) + 1n);
    const rows = [...counts.entries()].sort((a, b) => (a[1] === b[1] ? cmp(a[0], b[0]) : a[1] > b[1] ? -1 : 1));
    expect(rows.reduce((sum, [, n]) => sum + n, 0n)).toBe(20000n);
    expectSameAnswer(workload, { columns: [{ name: 'word', type: 'STRING' }, { name: 'occurrences', type: 'BIGINT' }], rows }, result);
  });
});

describe('a tampered query is caught by compareAnswers', () => {
  const tamperRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tampered-workloads-'));
  afterAll(() => fs.rmSync(tamperRoot, { recursive: true, force: true }));

  function tampered(id: string, edit: (sql: string) => string): Workload {
    const dir = path.join(tamperRoot, id);
    fs.cpSync(loadWorkload(id).dir, dir, { recursive: true });
    const file = path.join(dir, 'query.sql');
    const before = fs.readFileSync(file, 'utf8');
    const after = edit(before);
    expect(after).not.toBe(before);
    fs.writeFileSync(file, after);
    return loadWorkload(dir);
  }

  it('topn with LIMIT one short: one row missing', async () => {
    const expected = await runDuckDbWorkload(loadWorkload('topn'), options);
    const actual = await runDuckDbWorkload(tampered('topn', (sql) => sql.replace(/LIMIT \$\{LIMIT\}\s*$/, 'LIMIT ${LIMIT} - 1\n')), options);
    const comparison = compareAnswers(expected, actual, { ordered: true });
    expect(comparison).toMatchObject({ equal: false, missing: 1, extra: 0, different: 0 });
  });

  it('multijoin with a LEFT JOIN on reviews: every group differs (but not rating_sum: NULLs add nothing)', async () => {
    const expected = await runDuckDbWorkload(loadWorkload('multijoin'), options);
    const actual = await runDuckDbWorkload(tampered('multijoin', (sql) => sql.replace('JOIN reviews r', 'LEFT JOIN reviews r')), options);
    const comparison = compareAnswers(expected, actual, { ordered: true, tolerance: 1e-9 });
    expect(comparison).toMatchObject({ equal: false, missing: 0, extra: 0, different: 20 });
    if (!comparison.equal) expect(comparison.summary).toMatch(/^expected 20 rows, got 20 \(ordered, tolerance 1e-9\): 0 missing, 0 extra, 20 different; first: row 0 differs in order_count, order_amount, paid_amount, delivery_days: /);
  });

  it('wordcount ordered by word instead of count: rows are all there but out of order', async () => {
    const expected = await runDuckDbWorkload(loadWorkload('wordcount'), options);
    const actual = await runDuckDbWorkload(tampered('wordcount', (sql) => sql.replace('ORDER BY occurrences DESC, word', 'ORDER BY word')), options);
    expect(compareAnswers(expected, actual, { ordered: false, keyColumns: ['word'] })).toEqual({ equal: true, rows: expected.rows.length });
    expect(compareAnswers(expected, actual, { ordered: true }).equal).toBe(false);
  });

  it('a query whose columns do not match answer.columns is refused by the oracle', async () => {
    const workload = tampered('topn', (sql) => sql.replace('\nSELECT *\n', '\nSELECT id, price\n'));
    await expect(runDuckDbWorkload(workload, options)).rejects.toThrow(
      'answer.columns lists 6 columns (id, customer_id, product_id, quantity, price, category), the query returns 2 (id, price)',
    );
  });
});
