import { describe, expect, it } from 'vitest';
import { isDrained } from './stream-step.ts';

describe('isDrained', () => {
  const quietMs = 3000;
  it('never while the engine has reported no offsets, however quiet', () => {
    expect(isDrained({ nowMs: 1_000_000, lag: null, lastProgressAtMs: 0, quietMs })).toBe(false);
  });
  it('caught up: after quietMs without progress', () => {
    expect(isDrained({ nowMs: 12_999, lag: 0, lastProgressAtMs: 10_000, quietMs })).toBe(false);
    expect(isDrained({ nowMs: 13_000, lag: 0, lastProgressAtMs: 10_000, quietMs })).toBe(true);
  });
  it('still behind: only after 5 × quietMs without output or lag moving', () => {
    expect(isDrained({ nowMs: 24_999, lag: 80, lastProgressAtMs: 10_000, quietMs })).toBe(false);
    expect(isDrained({ nowMs: 25_000, lag: 80, lastProgressAtMs: 10_000, quietMs })).toBe(true);
  });
});
