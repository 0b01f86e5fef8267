// The final-state oracles of the streaming workloads beyond passthrough/wordcount, checked
// against plain TypeScript over the same generated records (exact numbers, no engine): the
// DuckDB query each workload ships must compute what its banner says.
import { describe, expect, it } from 'vitest';
import { EventFactory } from '../generators/stream/events.ts';
import { loadWorkload, querySqlFor } from '../workloads/load.ts';
import { expectedFinalState } from './final-state.ts';
import { streamingSpecOf } from './streaming-spec.ts';

const vars = { scale: 'tiny' as const, seed: 5 };

function workloadOracle(id: string) {
  const workload = loadWorkload(id);
  const spec = streamingSpecOf(workload);
  return { spec, sql: querySqlFor(workload, 'duckdb', vars) };
}

describe('stream-window-agg oracle', () => {
  it('sums amount per product over the 5 epoch-aligned 10 s windows (2 s slide) holding each stamped generation time', async () => {
    const { spec, sql } = workloadOracle('stream-window-agg');
    expect(spec.timeDependent).toBe(true);
    const events = new EventFactory(spec, 5);
    expect(events.keepsGenerationTimes).toBe(true);
    // Stamp times as the generator would: 400 records over ~13 s, starting off a window edge.
    const start = 1_700_000_001_234;
    for (let k = 0; k < 400; k++) events.json(k, start + k * 33);
    const expected = await expectedFinalState(spec, events, 400, sql);

    const totals = new Map<string, bigint>();
    for (let k = 0; k < 400; k++) {
      const { product, amount } = events.values(k);
      const ts = events.generatedAt(k)!;
      for (let windowStart = Math.floor(ts / 2000) * 2000; windowStart > ts - 10_000; windowStart -= 2000) {
        const key = `${windowStart}|${product}`;
        totals.set(key, (totals.get(key) ?? 0n) + BigInt(amount as number));
      }
    }
    const actual = expected.rows.map((r) => `${r[0]}|${r[1]}|${r[2]}`).sort();
    expect(actual).toEqual([...totals].map(([key, sum]) => `${key}|${sum}`).sort());
    expect(expected.columns.map((c) => c.name)).toEqual(['window_start', 'product', 'revenue']);
    // Times …01.234 s to …14.401 s: window starts from …(−8).000 s (covering the first) to …14.000 s.
    expect(new Set(expected.rows.map((r) => r[0])).size).toBe(12);
  });

  it('refuses to compute a time-dependent answer without the stamped times', async () => {
    const { spec, sql } = workloadOracle('stream-window-agg');
    const events = new EventFactory(spec, 5);
    events.json(0, 1_700_000_000_000);
    await expect(expectedFinalState(spec, events, 2, sql)).rejects.toThrow(/record 1 has no kept generation time/);
  });
});

describe('stream-topn oracle', () => {
  it('is the 10 products with the highest revenue, ties broken by product name', async () => {
    const { spec, sql } = workloadOracle('stream-topn');
    const events = new EventFactory(spec, 5);
    expect(events.keepsGenerationTimes).toBe(false);
    const expected = await expectedFinalState(spec, events, 3000, sql);

    const revenue = new Map<string, number>();
    for (let k = 0; k < 3000; k++) {
      const { product, amount } = events.values(k);
      revenue.set(product as string, (revenue.get(product as string) ?? 0) + (amount as number));
    }
    const top = [...revenue].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 10);
    expect(expected.rows.map((r) => [r[0], Number(r[1])]).sort()).toEqual(top.sort());
  });
});

describe('stream join oracles', () => {
  // Stamp times as the generator would: 3000 records (1500 rounds), 2 ms apart → 250 rounds/s,
  // so the 1 s bound covers about 250 rounds of the up-to-1000-round look-back.
  const start = 1_700_000_000_000;
  const stamped = (id: string) => {
    const { spec, sql } = workloadOracle(id);
    const events = new EventFactory(spec, 5);
    for (let k = 0; k < 3000; k++) events.json(k, start + k * 2);
    return { spec, sql, events };
  };
  // payment_id → [order_id, customer, paid] for every payment whose order passes `within`.
  const joined = (events: EventFactory, within: (orderTs: number, paymentTs: number) => boolean) => {
    const orders = new Map<number, { customer: number; ts: number }>();
    const out: string[] = [];
    for (let k = 0; k < 3000; k += 2) orders.set(events.values(k).id as number, { customer: events.values(k).customer as number, ts: events.generatedAt(k)! });
    for (let k = 1; k < 3000; k += 2) {
      const p = events.values(k) as { id: number; order_id: number; paid: number };
      const o = orders.get(p.order_id)!;
      if (within(o.ts, events.generatedAt(k)!)) out.push(`${p.id}|${p.order_id}|${o.customer}|${p.paid}`);
    }
    return out.sort();
  };

  it('regular join: every payment with its order', async () => {
    const { spec, sql, events } = stamped('stream-regular-join');
    const expected = await expectedFinalState(spec, events, 3000, sql);
    expect(expected.rows.map((r) => r.join('|')).sort()).toEqual(joined(events, () => true));
    expect(expected.rows).toHaveLength(1500);
  });

  it('interval join: only payments made within 1 s (inclusive) of their order', async () => {
    const { spec, sql, events } = stamped('stream-interval-join');
    expect(spec.eventTime).toEqual({ watermarkDelayMs: 2000 });
    const expected = await expectedFinalState(spec, events, 3000, sql);
    const want = joined(events, (orderTs, paymentTs) => paymentTs >= orderTs && paymentTs <= orderTs + 1000);
    expect(expected.rows.map((r) => r.join('|')).sort()).toEqual(want);
    // The bound matters at this rate: some payments match, many do not.
    expect(want.length).toBeGreaterThan(300);
    expect(want.length).toBeLessThan(1000);
  });
});
