// Deterministic event content: every field of record k is a function of (seed, k, field name)
// through a 32-bit hash — never Math.random — so the expected final state can be recomputed
// from the seed alone. Only `ts` is not: it is the record's intended send time on the wall
// clock (the run's start + its scheduled offset, METHOD rule 14), the start of its latency.
// Several inputs (joins) take turns: record k belongs to input k mod n and is that input's
// record (its `id`) number floor(k / n), the round. A `ref` field points back into the round
// numbers of another input, so foreign keys match by construction.
import { streamInputs, type EventField, type StreamingSpec } from '../../streaming/streaming-spec.ts';

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
type FieldRule = { name: string; field: EventField; salt: number };

export class EventFactory {
  /** Per input, in round order. */
  private readonly inputs: { name: string; fields: FieldRule[] }[];
  /** Generation time of record k as sent (only for time-dependent workloads: it costs memory). */
  private readonly sentTimes: number[] | null;

  constructor(
    spec: StreamingSpec,
    private readonly seed: number,
  ) {
    this.inputs = streamInputs(spec).map((input) => ({ name: input.name, fields: Object.entries(input.fields).map(([name, field]) => ({ name, field, salt: fnv1a(name) })) }));
    this.sentTimes = spec.timeDependent ? [] : null;
  }

  get inputNames(): string[] {
    return this.inputs.map((i) => i.name);
  }

  /** Which input (index into inputNames) record k belongs to. */
  inputOf(k: number): number {
    return k % this.inputs.length;
  }

  /** Record k's number within its input (its `id`). */
  idOf(k: number): number {
    return Math.floor(k / this.inputs.length);
  }

  /** Field names of input `index` (declared order, without id and ts). */
  fieldNamesOf(index: number): string[] {
    return this.inputs[index]!.fields.map((f) => f.name);
  }

  private value(rule: FieldRule, k: number, id: number): EventValue {
    const h = hash32(this.seed, k, rule.salt);
    const { field } = rule;
    if (field.kind === 'int') return field.min + (h % (field.max - field.min + 1));
    if (field.kind === 'word') return `w${h % field.vocabulary}`;
    // Uniform over the ids that exist: [id − maxBack, id], cut at 0 (no pile-up on id 0 early on).
    return id - (h % (Math.min(id, field.maxBack) + 1));
  }

  /** Whether json() keeps the generation times (the workload's result depends on them). */
  get keepsGenerationTimes(): boolean {
    return this.sentTimes !== null;
  }

  /**
   * Keeps the generation times of records 0 … count−1 as `timeOf(k)` gives them, for a factory
   * that did not send them itself (the generator ran in its own process; its stamps follow from
   * its start time and the schedule, so the oracle's side can recompute them exactly).
   */
  stampGenerationTimes(count: number, timeOf: (k: number) => number): void {
    if (!this.sentTimes) return;
    for (let k = 0; k < count; k++) this.sentTimes[k] = timeOf(k);
  }

  /** The generation time json() stamped on record k, or undefined when not kept / not made. */
  generatedAt(k: number): number | undefined {
    return this.sentTimes?.[k];
  }

  /** The deterministic fields of record k (id and its input's declared fields; no ts). */
  values(k: number): Record<string, EventValue> {
    const id = this.idOf(k);
    const out: Record<string, EventValue> = { id };
    for (const rule of this.inputs[this.inputOf(k)]!.fields) out[rule.name] = this.value(rule, k, id);
    return out;
  }

  /** The record as sent: JSON with id, ts and the fields (string building, no JSON.stringify: this is the hot loop). */
  json(k: number, generatedMs: number): string {
    if (this.sentTimes) this.sentTimes[k] = generatedMs;
    const id = this.idOf(k);
    let text = `{"id":${id},"ts":${generatedMs}`;
    for (const rule of this.inputs[this.inputOf(k)]!.fields) {
      const v = this.value(rule, k, id);
      text += typeof v === 'number' ? `,"${rule.name}":${v}` : `,"${rule.name}":"${v}"`;
    }
    return `${text}}`;
  }
}
