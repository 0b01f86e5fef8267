// The final state of a streaming query (METHOD rule 7): the last output row per key, read from
// the output topic after the input stopped and the engine drained, compared with the answer
// computed independently from the seed — the generator's records rebuilt from (seed, k) and
// the workload query run over them in DuckDB. `ts` (generation time) is not reproducible and
// is left out of the comparison; time-dependent workloads (windows, time-bounded joins) get
// the generation times the generator actually stamped, so their windows match the engines'.
import { openDuckDb } from '../duckdb/session.ts';
import { answerChecksum, compareAnswers, type Answer, type AnswerComparison, type AnswerValue } from '../answer/answer.ts';
import type { EventFactory } from '../generators/stream/events.ts';
import { inputColumns, streamInputs, type StreamingSpec } from './streaming-spec.ts';

/** Last row per key, as the output consumer keeps it (null value = tombstone = key deleted). */
export class FinalState {
  private readonly rows = new Map<string, Record<string, unknown>>();
  duplicates = 0;

  constructor(private readonly output: StreamingSpec['output']) {}

  /** `keyText` is the Kafka key (JSON of the key columns); falls back to the value's key columns. */
  apply(keyText: string | null, value: Record<string, unknown> | null): void {
    const key = keyText ?? (value ? JSON.stringify(this.output.key.map((k) => value[k])) : null);
    if (key === null) return;
    if (value === null) {
      this.rows.delete(key);
      return;
    }
    if (this.output.kind === 'append' && this.rows.has(key)) this.duplicates++;
    this.rows.set(key, value);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The state as an Answer over the output columns except ts; integers as bigint. */
  toAnswer(): Answer {
    const columns = comparedColumns(this.output);
    const rows = [...this.rows.values()].map((row) => columns.map(({ name, type }) => toValue(row[name], type)));
    return { columns, rows };
  }
}

function comparedColumns(output: StreamingSpec['output']): { name: string; type: string }[] {
  return Object.entries(output.columns)
    .filter(([name]) => name !== 'ts')
    .map(([name, type]) => ({ name, type }));
}

function toValue(value: unknown, type: string): AnswerValue {
  if (value === null || value === undefined) return null;
  if (type === 'BIGINT') return typeof value === 'number' || typeof value === 'string' ? BigInt(value) : (value as bigint);
  if (type === 'DOUBLE') return Number(value);
  return String(value);
}

/**
 * The expected final state: records 0 … count−1 rebuilt from the seed into one DuckDB table per
 * input (with `rt` = epoch_ms(ts) when the workload uses event time), the query run by DuckDB.
 */
export async function expectedFinalState(spec: StreamingSpec, events: EventFactory, count: number, duckdbSql: string): Promise<Answer> {
  await using db = await openDuckDb({ threads: 1 });
  const inputs = streamInputs(spec);
  const appenders = [];
  for (const input of inputs) {
    const columns = inputColumns(input);
    const table = spec.eventTime ? `${input.name}_raw` : input.name;
    await db.execute(`CREATE TABLE "${table}" (${columns.map((c) => `"${c.name}" ${c.type === 'BIGINT' ? 'BIGINT' : 'VARCHAR'}`).join(', ')})`);
    if (spec.eventTime) await db.execute(`CREATE VIEW "${input.name}" AS SELECT *, epoch_ms(ts) AS rt FROM "${table}"`);
    appenders.push({ appender: await db.connection.createAppender(table), fields: columns.slice(2) });
  }
  for (let k = 0; k < count; k++) {
    const values = events.values(k);
    const { appender, fields } = appenders[events.inputOf(k)]!;
    appender.appendBigInt(BigInt(values.id as number));
    appender.appendBigInt(BigInt(generationTime(spec, events, k)));
    for (const { name, type } of fields) {
      if (type === 'BIGINT') appender.appendBigInt(BigInt(values[name] as number));
      else appender.appendVarchar(values[name] as string);
    }
    appender.endRow();
  }
  for (const { appender } of appenders) appender.closeSync();
  const columns = comparedColumns(spec.output);
  const result = await db.query(`SELECT ${columns.map((c) => `"${c.name}"`).join(', ')} FROM (${duckdbSql}) q`);
  return { columns, rows: result.rows.map((row) => row.map((v, i) => toValue(v, columns[i]!.type))) };
}

/** 0 where the answer does not depend on it (ts is not compared); the stamped time where it does. */
function generationTime(spec: StreamingSpec, events: EventFactory, k: number): number {
  if (!spec.timeDependent) return 0;
  const ms = events.generatedAt(k);
  if (ms === undefined) {
    throw new Error(`final state: record ${k} has no kept generation time (the workload is timeDependent; was the EventFactory given to the generator the one passed here, and did it make ${k + 1} records?)`);
  }
  return ms;
}

export interface FinalStateCheck {
  readonly comparison: AnswerComparison;
  readonly checksum: string;
  readonly rows: number;
}

export function checkFinalState(expected: Answer, actual: Answer, spec: StreamingSpec): FinalStateCheck {
  const comparison = compareAnswers(expected, actual, { ordered: false, keyColumns: spec.output.key, tolerance: 0 });
  return { comparison, checksum: answerChecksum(actual, { ordered: false }), rows: actual.rows.length };
}
