// Deterministic event content: every field of record k is a function of (seed, k, field name)
// through a 32-bit hash — never Math.random — so the expected final state can be recomputed
// from the seed alone. Only `ts`, the generation time, is not deterministic: it is the wall
// clock when the record is made, the start of its latency.
import type { EventField, StreamingSpec } from '../../streaming/streaming-spec.ts';

/** FNV-1a of a string, for salting by field name. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finaliser over (seed, k, salt); k may exceed 2³² (both halves are mixed). */
export function hash32(seed: number, k: number, salt: number): number {
  let h = (seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (const part of [k >>> 0, Math.floor(k / 4294967296) >>> 0]) {
    h = Math.imul(h ^ part, 0xcc9e2d51);
    h = (h << 15) | (h >>> 17);
    h = Math.imul(h, 0x1b873593);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export type EventValue = number | string;

/** Builds records from a streaming spec: field values for record k, and the JSON text sent to Kafka. */
export class EventFactory {
  private readonly fields: { name: string; field: EventField; salt: number }[];
  /** Generation time of record k as sent (only for time-dependent workloads: it costs memory). */
  private readonly sentTimes: number[] | null;

  constructor(
    spec: StreamingSpec,
    private readonly seed: number,
  ) {
    this.fields = Object.entries(spec.events).map(([name, field]) => ({ name, field, salt: fnv1a(name) }));
    this.sentTimes = spec.timeDependent ? [] : null;
  }

  /** Whether json() keeps the generation times (the workload's result depends on them). */
  get keepsGenerationTimes(): boolean {
    return this.sentTimes !== null;
  }

  /** The generation time json() stamped on record k, or undefined when not kept / not made. */
  generatedAt(k: number): number | undefined {
    return this.sentTimes?.[k];
  }

  get fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** The deterministic fields of record k (id and declared fields; no ts). */
  values(k: number): Record<string, EventValue> {
    const out: Record<string, EventValue> = { id: k };
    for (const { name, field, salt } of this.fields) {
      const h = hash32(this.seed, k, salt);
      out[name] = field.kind === 'int' ? field.min + (h % (field.max - field.min + 1)) : `w${h % field.vocabulary}`;
    }
    return out;
  }

  /** The record as sent: JSON with id, ts and the fields (string building, no JSON.stringify: this is the hot loop). */
  json(k: number, generatedMs: number): string {
    if (this.sentTimes) this.sentTimes[k] = generatedMs;
    let text = `{"id":${k},"ts":${generatedMs}`;
    for (const { name, field, salt } of this.fields) {
      const h = hash32(this.seed, k, salt);
      text += field.kind === 'int' ? `,"${name}":${field.min + (h % (field.max - field.min + 1))}` : `,"${name}":"w${h % field.vocabulary}"`;
    }
    return `${text}}`;
  }
}
