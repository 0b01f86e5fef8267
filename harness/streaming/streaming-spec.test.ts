import { describe, expect, it } from 'vitest';
import { StreamingSpecSchema, inputColumns, streamInputs } from './streaming-spec.ts';

const output = { kind: 'append', key: ['id'], columns: { id: 'BIGINT', ts: 'BIGINT' } };
const issues = (spec: unknown) => {
  const parsed = StreamingSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('streaming spec', () => {
  it('one input as events:, several as inputs:, with their columns in order', () => {
    const single = StreamingSpecSchema.parse({ events: { word: { kind: 'word', vocabulary: 3 } }, output });
    expect(streamInputs(single).map((i) => i.name)).toEqual(['events']);
    const join = StreamingSpecSchema.parse({
      inputs: { orders: { customer: { kind: 'int', min: 1, max: 2 } }, payments: { order_id: { kind: 'ref', input: 'orders', maxBack: 10 } } },
      eventTime: { watermarkDelayMs: 2000 },
      output,
    });
    expect(streamInputs(join).map((i) => i.name)).toEqual(['orders', 'payments']);
    expect(inputColumns(streamInputs(join)[1]!)).toEqual([
      { name: 'id', type: 'BIGINT' },
      { name: 'ts', type: 'BIGINT' },
      { name: 'order_id', type: 'BIGINT' },
    ]);
  });

  it('refuses both or neither of events: and inputs:, a single input under inputs:, refs to unknown inputs, reserved names', () => {
    expect(issues({ output })).toEqual(['events: declare exactly one of events: (one input topic) or inputs: (several, by name)']);
    expect(issues({ events: {}, inputs: { a: {}, b: {} }, output })).toEqual(['events: declare exactly one of events: (one input topic) or inputs: (several, by name)']);
    expect(issues({ inputs: { a: {} }, output })).toEqual(['inputs: inputs: needs at least two inputs (one input is declared as events:)']);
    expect(issues({ inputs: { a: { x: { kind: 'ref', input: 'c', maxBack: 1 } }, b: {} }, output })).toEqual(["inputs.a.x.input: 'c' is not an input (inputs: a, b)"]);
    expect(issues({ events: { rt: { kind: 'int', min: 0, max: 1 } }, output })).toEqual(["events.rt: 'rt' is always present (record number / generation time / event time); do not declare it"]);
  });
});
