// Library calls typed looser than what they return at run time (dockerode's stats, build and
// import give streams): checked here, once, instead of cast where they are used.
import type { Readable } from 'node:stream';

export function readableOf(value: unknown, what: string): Readable {
  const candidate = value as { on?: unknown; pipe?: unknown } | null;
  if (candidate && typeof candidate.on === 'function' && typeof candidate.pipe === 'function') return value as Readable;
  throw new Error(`${what} did not return a stream (got ${value === null ? 'null' : typeof value})`);
}
