import { describe, expect, it } from 'vitest';
import { HandOverLog } from './generator.ts';

describe('HandOverLog', () => {
  it('keeps the earliest hand-over per intended ms and knows nothing of other ms', () => {
    const log = new HandOverLog();
    log.note(1000, 1003);
    log.note(1000, 1001);
    log.note(1000, 1007);
    log.note(1001, 1001);
    expect(log.handedAt(1000)).toBe(1001);
    expect(log.handedAt(1001)).toBe(1001);
    expect(log.handedAt(999)).toBeUndefined();
  });
});
