import { describe, expect, it } from 'vitest';
import { BenchError } from '../errors.ts';
import { referencedVariables, substitute } from './substitute.ts';

describe('substitute', () => {
  it('replaces every ${NAME} with its value', () => {
    expect(substitute('LIMIT ${N} -- ${N} rows of ${TABLE}', { N: 100, TABLE: 'orders' }, 'q.sql')).toBe('LIMIT 100 -- 100 rows of orders');
    expect(substitute('no variables, $ and { alone', {}, 'q.sql')).toBe('no variables, $ and { alone');
  });

  it('names the file and the variable when a variable is unknown', () => {
    expect(() => substitute('LIMIT ${LIMT}', { LIMIT: 1, SEED: 2 }, 'workloads/topn/query.sql')).toThrow(
      "workloads/topn/query.sql: unknown variable '${LIMT}'; known variables: LIMIT, SEED",
    );
    expect(() => substitute('${X}', {}, 'f')).toThrow(BenchError);
  });

  it('rejects malformed references instead of leaving them in the text', () => {
    expect(() => substitute('LIMIT ${LIMIT', { LIMIT: 1 }, 'q.sql')).toThrow("q.sql: malformed variable reference '${LIMIT'");
    expect(() => substitute('x ${a-b} y', { 'a-b': 1 }, 'q.sql')).toThrow("q.sql: malformed variable reference '${a-b}'");
  });

  it('lists referenced variables once, in order', () => {
    expect(referencedVariables('${B} ${A} ${B}')).toEqual(['B', 'A']);
  });
});
