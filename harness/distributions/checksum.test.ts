import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareChecksum, sha256OfBytes, sha256OfFile, verifyFile } from './checksum.ts';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

describe('checksums', () => {
  it('computes sha256 exactly (FIPS 180-2 test vector "abc")', async () => {
    expect(sha256OfBytes('abc')).toBe(ABC);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sum-')), 'abc.txt');
    fs.writeFileSync(file, 'abc');
    expect(await sha256OfFile(file)).toBe(ABC);
    expect(await verifyFile(file, { sha256: ABC, size: 3 })).toEqual({ ok: true });
    expect(await verifyFile(file, { sha256: ABC, size: 4 })).toEqual({ ok: false, actualSha256: ABC, actualSize: 3 });
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  it('requires both size and hash to match; hex case does not matter', () => {
    expect(compareChecksum({ sha256: ABC.toUpperCase(), size: 3 }, { sha256: ABC, size: 3 })).toEqual({ ok: true });
    const flipped = `${ABC.slice(0, -1)}c`;
    expect(compareChecksum({ sha256: ABC, size: 3 }, { sha256: flipped, size: 3 })).toEqual({ ok: false, actualSha256: flipped, actualSize: 3 });
    expect(compareChecksum({ sha256: ABC, size: 3 }, { sha256: ABC, size: 2 })).toEqual({ ok: false, actualSha256: ABC, actualSize: 2 });
  });
});
