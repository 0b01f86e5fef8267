import { describe, expect, it } from 'vitest';
import { newClusterId } from './kafka.ts';

describe('newClusterId', () => {
  it("never starts with '-' (the storage tool would take it for an option)", () => {
    // 0xf8 → base64url '-' first; 0x00 → 'A'.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0)];
    expect(Buffer.alloc(16, 0xf8).toString('base64url').startsWith('-')).toBe(true);
    expect(newClusterId(() => draws.shift()!)).toBe(Buffer.alloc(16, 0).toString('base64url'));
    expect(draws).toHaveLength(0);
  });
});
