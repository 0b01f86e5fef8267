// Checksums of downloaded and cached artifacts against the lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';

export function sha256OfBytes(bytes: string | Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

export interface Expected {
  readonly sha256: string;
  readonly size: number;
}

export type ChecksumVerdict = { readonly ok: true } | { readonly ok: false; readonly actualSha256: string; readonly actualSize: number };

/** Exact comparison: both the size and the sha256 must equal the lock's (hex case ignored). */
export function compareChecksum(expected: Expected, actual: { sha256: string; size: number }): ChecksumVerdict {
  const same = actual.size === expected.size && actual.sha256.toLowerCase() === expected.sha256.toLowerCase();
  return same ? { ok: true } : { ok: false, actualSha256: actual.sha256.toLowerCase(), actualSize: actual.size };
}

/** Hashes the file even when its size already differs, so an error can name the actual checksum. */
export async function verifyFile(file: string, expected: Expected): Promise<ChecksumVerdict> {
  const { size } = await fs.promises.stat(file);
  return compareChecksum(expected, { sha256: await sha256OfFile(file), size });
}
