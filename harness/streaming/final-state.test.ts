import { describe, expect, it } from 'vitest';
import { EventFactory } from '../generators/stream/events.ts';
import { FinalState, checkFinalState, expectedFinalState } from './final-state.ts';
import type { StreamingSpec } from './streaming-spec.ts';

const spec: StreamingSpec = {
  events: { word: { kind: 'word', vocabulary: 3 } },
  output: { kind: 'upsert', key: ['word'], columns: { word: 'STRING', occurrences: 'BIGINT', ts: 'BIGINT' } },
};

describe('final state', () => {
  it('keeps the last row per key, drops tombstoned keys, and compares with the DuckDB answer over the regenerated records', async () => {
    const events = new EventFactory(spec, 11);
    const sql = 'SELECT word, COUNT(*) AS occurrences, MAX(ts) AS ts FROM events GROUP BY word';
    const expected = await expectedFinalState(spec, events, 300, sql);
    // Count independently in TS.
    const counts = new Map<string, number>();
    for (let k = 0; k < 300; k++) counts.set(events.values(k).word as string, (counts.get(events.values(k).word as string) ?? 0) + 1);
    expect(expected.rows.map((r) => [r[0], Number(r[1])]).sort()).toEqual([...counts.entries()].sort());

    const state = new FinalState(spec.output);
    for (const [word, n] of counts) {
      state.apply(JSON.stringify({ word }), { word, occurrences: n - 1, ts: 5 });
      state.apply(JSON.stringify({ word }), { word, occurrences: n, ts: 6 });
    }
    expect(checkFinalState(expected, state.toAnswer(), spec).comparison.equal).toBe(true);

    state.apply(JSON.stringify({ word: 'w0' }), null); // a tombstone
    state.apply(JSON.stringify({ word: 'zzz' }), { word: 'zzz', occurrences: 1, ts: 7 });
    const [first] = [...counts.keys()].filter((w) => w !== 'w0');
    state.apply(JSON.stringify({ word: first }), { word: first, occurrences: 1, ts: 8 });
    const check = checkFinalState(expected, state.toAnswer(), spec).comparison;
    expect(check.equal).toBe(false);
    if (!check.equal) expect([check.missing, check.extra, check.different]).toEqual([counts.has('w0') ? 1 : 0, 1, 1]);
  });
});
