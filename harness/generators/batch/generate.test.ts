import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb, sqlString } from '../../duckdb/session.ts';
import { loadWorkload } from '../../workloads/load.ts';
import { canMountTmpfs, mountSmallDisk } from '../../small-disk.ts';
import { checkFreeSpace, formatBytes, generateDataset, generateWorkloadData, planDataset, rowGroupSizeFor, spaceShortfall } from './generate.ts';

const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'generate-test-'));
afterAll(() => fs.rmSync(dataRoot, { recursive: true, force: true }));

async function scalar(sql: string): Promise<unknown> {
  await using db = await openDuckDb({ threads: 1 });
  return (await db.query(sql)).rows[0]?.[0];
}

describe('deterministic generation', () => {
  const topn = loadWorkload('topn');

  it('writes the same bytes for the same seed and scale, whatever the thread count', async () => {
    const first = await generateDataset(planDataset(topn, 'transactions', { scale: 'tiny', seed: 7, dataRoot: path.join(dataRoot, 'a') }), 2);
    const second = await generateDataset(planDataset(topn, 'transactions', { scale: 'tiny', seed: 7, dataRoot: path.join(dataRoot, 'b') }), 1);
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(false);
    expect(fs.readFileSync(second.path).equals(fs.readFileSync(first.path))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
    expect(path.relative(dataRoot, first.path)).toMatch(/^a\/transactions-tiny-7-[0-9a-f]{8}\/transactions\.parquet$/);
  });

  it('reuses a complete cached file and leaves no temp files behind', async () => {
    const plan = planDataset(topn, 'transactions', { scale: 'tiny', seed: 7, dataRoot: path.join(dataRoot, 'a') });
    const again = await generateDataset(plan);
    expect(again).toMatchObject({ reused: true, durationMs: 0, path: plan.file });
    expect(fs.readdirSync(plan.dir).sort()).toEqual(['_dataset.json', 'transactions.parquet']);
  });

  it('writes different data for a different seed, in a different directory', async () => {
    const a = await generateDataset(planDataset(topn, 'transactions', { scale: 'tiny', seed: 7, dataRoot }));
    const b = await generateDataset(planDataset(topn, 'transactions', { scale: 'tiny', seed: 8, dataRoot }));
    expect(b.path).not.toBe(a.path);
    const samePrices = await scalar(
      `SELECT count(*) FROM read_parquet(${sqlString(a.path)}) x JOIN read_parquet(${sqlString(b.path)}) y USING (id) WHERE x.price = y.price`,
    );
    expect(Number(samePrices)).toBeLessThan(100); // 20000 rows over 100000 price values: ~0.2 coincide by chance
  });

  it('changes the directory when the spec or a param changes', () => {
    const wordcount = loadWorkload('wordcount');
    const base = planDataset(wordcount, 'lines', { scale: 'tiny', seed: 1, dataRoot });
    const other = planDataset(wordcount, 'lines', { scale: 'tiny', seed: 1, dataRoot, params: { VOCABULARY: 50 } });
    expect(other.dir).not.toBe(base.dir);
    expect(other.selectSql).toContain('pow(50 + 1,');
  });
});

describe('data shape at scale tiny', () => {
  it('topn: row count, id range, prices in [0, 1000) with ties', async () => {
    const { transactions } = await generateWorkloadData(loadWorkload('topn'), { scale: 'tiny', seed: 1, dataRoot });
    await using db = await openDuckDb({ threads: 2 });
    const stats = await db.query(
      `SELECT count(*), min(id), max(id), count(DISTINCT id), min(price), max(price) < 1000, count(DISTINCT price) < count(*), min(quantity), max(quantity), count(DISTINCT category)
       FROM read_parquet(${sqlString(transactions.path)})`,
    );
    expect(stats.rows[0]).toEqual([20000n, 0n, 19999n, 20000n, 0, true, true, 1n, 10n, 20n]);
    expect(transactions.plan.rowGroupSize).toBe(16384);
  });

  it('multijoin: foreign keys are in range and 95 / 90 / 80 % of fact rows match an order', async () => {
    const data = await generateWorkloadData(loadWorkload('multijoin'), { scale: 'tiny', seed: 1, dataRoot });
    await using db = await openDuckDb({ threads: 2 });
    const read = (name: string) => `read_parquet(${sqlString(data[name].path)})`;
    const orders = await db.query(
      `SELECT count(*), count(DISTINCT order_id), min(customer_id) >= 0, max(customer_id) < 1000, max(promotion_id) < 50 FROM ${read('orders')}`,
    );
    expect(orders.rows[0]).toEqual([20000n, 20000n, true, true, true]);
    for (const [fact, share] of [['payments', 0.95], ['deliveries', 0.9], ['reviews', 0.8]] as const) {
      const result = await db.query(
        `SELECT count(*), count(o.order_id), count(DISTINCT f.order_id) FROM ${read(fact)} f LEFT JOIN ${read('orders')} o USING (order_id)`,
      );
      const [rows, matched, distinct] = result.rows[0].map(Number);
      expect(rows).toBe(20000);
      expect(distinct).toBe(20000); // ids are a permutation: no order is paid twice
      expect(Math.abs(matched / rows - share)).toBeLessThan(0.01);
    }
    const segments = await db.query(`SELECT string_agg(DISTINCT segment, ',' ORDER BY segment) FROM ${read('customers')}`);
    expect(segments.rows[0][0]).toBe('consumer,corporate,home_office,public_sector,small_business');
  });

  it('wordcount: lines of 10 words; the most frequent word holds ~ln 2 / ln 100001 of all words (Zipf s = 1)', async () => {
    const { lines } = await generateWorkloadData(loadWorkload('wordcount'), { scale: 'tiny', seed: 1, dataRoot });
    await using db = await openDuckDb({ threads: 2 });
    const shape = await db.query(
      `SELECT count(*), min(len(string_split(line, ' '))), max(len(string_split(line, ' '))), bool_and(line NOT LIKE ' %' AND line NOT LIKE '% ' AND line NOT LIKE '%  %') FROM read_parquet(${sqlString(lines.path)})`,
    );
    expect(shape.rows[0]).toEqual([2000n, 10n, 10n, true]);
    const top = await db.query(
      `SELECT count(*) FROM (SELECT unnest(string_split(line, ' ')) AS w FROM read_parquet(${sqlString(lines.path)})) GROUP BY w ORDER BY 1 DESC LIMIT 1`,
    );
    const expectedTop = (20000 * Math.log(2)) / Math.log(100001); // ≈ 1204
    expect(Math.abs(Number(top.rows[0][0]) - expectedTop)).toBeLessThan(150);
  });
});

describe('rowGroupSizeFor', () => {
  it('aims at 16 row groups within bounds', () => {
    expect([rowGroupSizeFor(1000), rowGroupSizeFor(5_000_000), rowGroupSizeFor(250_000_000)]).toEqual([16384, 312500, 1048576]);
  });
});


describe('free space before generating', () => {
  const topn = loadWorkload('topn');
  const multijoin = loadWorkload('multijoin');

  it('says what is needed (estimate + 20 %) and what is free, only when it does not fit', () => {
    const plan = planDataset(topn, 'transactions', { scale: 'medium', seed: 42, dataRoot: '/data' });
    const estimate = { plan, bytes: 900 * 2 ** 20, sampleRows: 65_536 };
    expect(spaceShortfall([estimate], 2 ** 30, '/data')).toBe(
      'not enough free space for the topn data at scale medium in /data: 1.1 GiB needed (transactions 50,000,000 rows ≈ 900.0 MiB, estimated from a 65,536-row sample, plus 20 %), 1.0 GiB free (free space there, or set BENCH_CACHE_DIR to a larger disk)',
    );
    // 900 MiB × 1.2 = 1080 MiB fits in 1080 MiB.
    expect(spaceShortfall([estimate], 1080 * 2 ** 20, '/data')).toBeUndefined();
    expect(spaceShortfall([], 0, '/data')).toBeUndefined();
    const orders = planDataset(multijoin, 'orders', { scale: 'large', seed: 1, dataRoot: '/d' });
    const payments = planDataset(multijoin, 'payments', { scale: 'large', seed: 1, dataRoot: '/d' });
    expect(spaceShortfall([{ plan: orders, bytes: 2 ** 30, sampleRows: 65_536 }, { plan: payments, bytes: 2 ** 29, sampleRows: 65_536 }], 2 ** 20, '/d')).toBe(
      'not enough free space for the multijoin data at scale large in /d: 1.8 GiB needed (orders 100,000,000 rows ≈ 1.0 GiB, payments 100,000,000 rows ≈ 512.0 MiB, estimated from 65,536-row samples, plus 20 %), 1.0 MiB free (free space there, or set BENCH_CACHE_DIR to a larger disk)',
    );
    expect([formatBytes(300 * 1024), formatBytes(12.34 * 2 ** 20), formatBytes(1.5 * 2 ** 30)]).toEqual(['300.0 KiB', '12.3 MiB', '1.5 GiB']);
  });

  it.skipIf(!canMountTmpfs)('fails up front on a 300 KiB disk, writing nothing; a tiny dataset is not estimated', async () => {
    const disk = mountSmallDisk(300);
    try {
      const dataRoot = path.join(disk.dir, 'data');
      const small = planDataset(topn, 'transactions', { scale: 'small', seed: 42, dataRoot });
      await expect(checkFreeSpace([small])).rejects.toThrow(
        new RegExp(`^not enough free space for the topn data at scale small in ${dataRoot}: [\\d.]+ MiB needed \\(transactions 5,000,000 rows ≈ [\\d.]+ MiB, estimated from a 65,536-row sample, plus 20 %\\), 300\\.0 KiB free`),
      );
      await expect(generateWorkloadData(topn, { scale: 'small', seed: 42, dataRoot })).rejects.toThrow(/^not enough free space/);
      expect(fs.readdirSync(disk.dir)).toEqual([]);
      await expect(checkFreeSpace([planDataset(topn, 'transactions', { scale: 'tiny', seed: 42, dataRoot })])).resolves.toBeUndefined();
    } finally {
      disk.unmount();
    }
  });

  it.skipIf(!canMountTmpfs)('a disk filling up while writing is one line naming the file, and no partial file is left', async () => {
    const disk = mountSmallDisk(64);
    try {
      const plan = planDataset(topn, 'transactions', { scale: 'tiny', seed: 42, dataRoot: path.join(disk.dir, 'data') });
      await expect(generateDataset(plan, 1)).rejects.toThrow(
        `could not write ${plan.file}: no space left on device (ENOSPC); dataset topn/transactions was not generated (no partial file is left) (free space there, or set BENCH_CACHE_DIR to a larger disk)`,
      );
      expect(fs.readdirSync(plan.dir)).toEqual([]);
    } finally {
      disk.unmount();
    }
  });
});

