import { describe, expect, it } from 'vitest';
import { partitionLag } from './kafka-lag.ts';

describe('partitionLag', () => {
  it('is the high watermark minus the committed offset; no commit gives no value', () => {
    expect(partitionLag(1000, 400)).toBe(600);
    expect(partitionLag(1000, 1000)).toBe(0);
    expect(partitionLag(1000, -1001)).toBeUndefined();
    expect(partitionLag(1000, undefined)).toBeUndefined();
  });
});
