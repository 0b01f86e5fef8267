import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listWorkloads, loadWorkload, queryFileFor, querySqlFor, workloadVariables, WORKLOADS_DIR } from './load.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'workloads-test-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const validYaml = `id: demo
title: Demo
description: A demo workload.
modes: [batch]
params:
  LIMIT: 3
datasets:
  numbers:
    rows: { tiny: 10, small: 100, medium: 1000, large: 5000 }
    columns:
      id: { type: BIGINT, expr: "i" }
      v:  { type: DOUBLE, expr: "CAST(hash(i, \${SEED}) % 100 AS DOUBLE)" }
answer:
  ordered: true
  columns: { id: BIGINT, v: DOUBLE }
`;
const validQuery = '-- demo: the first ${LIMIT} rows of ${ROWS_NUMBERS}\nSELECT * FROM numbers ORDER BY id LIMIT ${LIMIT};\n';

function writeWorkload(id: string, files: Record<string, string>): string {
  const dir = path.join(root, id);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('the repository workloads', () => {
  it('all load', () => {
    const workloads = listWorkloads();
    const batch = workloads.filter((w) => w.spec.modes.includes('batch')).map((w) => w.id);
    expect(batch).toEqual(['multijoin', 'topn', 'wordcount']);
  });

  it('use their own dialect file only where one exists', () => {
    const wordcount = loadWorkload('wordcount');
    expect(path.basename(queryFileFor(wordcount, 'spark'))).toBe('spark.sql');
    expect(path.basename(queryFileFor(wordcount, 'flink'))).toBe('query.sql');
    expect(querySqlFor(wordcount, 'spark', { scale: 'tiny', seed: 1 })).toContain('explode(split(line, \' \'))');
  });

  it('substitute params, overrides and row counts into the SQL', () => {
    const topn = loadWorkload('topn');
    expect(querySqlFor(topn, 'flink', { scale: 'tiny', seed: 1 })).toMatch(/ORDER BY price DESC, id\nLIMIT 100$/);
    expect(querySqlFor(topn, 'spark', { scale: 'tiny', seed: 1, params: { LIMIT: 7 } })).toMatch(/LIMIT 7$/);
    expect(workloadVariables(loadWorkload('multijoin'), { scale: 'small', seed: 5 })).toMatchObject({ SEED: 5, SCALE: 'small', ROWS_ORDERS: 2000000, ROWS_PROMOTIONS: 1000 });
    expect(() => querySqlFor(topn, 'spark', { scale: 'tiny', seed: 1, params: { LIMTI: 7 } })).toThrow(
      "workload 'topn': parameter 'LIMTI' is not declared in workloads/topn/workload.yaml params (declared: LIMIT)",
    );
  });
});

describe('loadWorkload errors name the file, the field and the value', () => {
  it('accepts a workload made of files only', () => {
    const dir = writeWorkload('demo', { 'workload.yaml': validYaml, 'query.sql': validQuery });
    const workload = loadWorkload(dir);
    expect(workload.spec.answer).toEqual({ ordered: true, tolerance: 0, columns: { id: 'BIGINT', v: 'DOUBLE' } });
    expect(querySqlFor(workload, 'duckdb', { scale: 'small', seed: 1 })).toBe('-- demo: the first 3 rows of 100\nSELECT * FROM numbers ORDER BY id LIMIT 3');
  });

  it('a column type that is not one of the types', () => {
    const dir = writeWorkload('bad-type', {
      'workload.yaml': validYaml.replace('id: demo', 'id: bad-type').replace('v:  { type: DOUBLE', 'v:  { type: FLOAT'),
      'query.sql': validQuery,
    });
    expect(() => loadWorkload(dir)).toThrow(`${dir}/workload.yaml: datasets.numbers.columns.v.type: 'FLOAT' is not one of BIGINT, INT, DOUBLE, STRING, DATE`);
  });

  it('a misspelt key, a missing scale and a wrong type, all at once', () => {
    const yaml = validYaml
      .replace('id: demo', 'id: bad-fields')
      .replace('large: 5000 }', '}')
      .replace('ordered: true', 'ordered: yes please')
      .replace('title: Demo', 'titel: Demo');
    const dir = writeWorkload('bad-fields', { 'workload.yaml': yaml, 'query.sql': validQuery });
    const file = `${dir}/workload.yaml`;
    expect(() => loadWorkload(dir)).toThrow(
      [
        `${file}: title: Invalid input: expected string, received undefined (got missing)`,
        `${file}: datasets.numbers.rows.large: Invalid input: expected number, received undefined (got missing)`,
        `${file}: answer.ordered: Invalid input: expected boolean, received string (got "yes please")`,
        `${file}: (top level): Unrecognized key: "titel"`,
      ].join('\n'),
    );
  });

  it('an unknown ${VAR} in a dataset expression or in the SQL', () => {
    const badExpr = writeWorkload('bad-expr', { 'workload.yaml': validYaml.replace('id: demo', 'id: bad-expr').replace('${SEED}', '${SEEED}'), 'query.sql': validQuery });
    expect(() => loadWorkload(badExpr)).toThrow(
      `${badExpr}/workload.yaml: datasets.numbers.columns.v.expr: unknown variable '\${SEEED}'; known variables: LIMIT, ROWS_NUMBERS, SCALE, SEED`,
    );
    const badSql = writeWorkload('bad-sql', { 'workload.yaml': validYaml.replace('id: demo', 'id: bad-sql'), 'query.sql': validQuery, 'spark.sql': '-- x\nSELECT ${TOPN}' });
    expect(() => loadWorkload(badSql)).toThrow(`${badSql}/spark.sql: unknown variable '\${TOPN}'`);
  });

  it('a dialect file for an engine that does not exist, an id that is not the directory, no banner', () => {
    const typo = writeWorkload('typo', { 'workload.yaml': validYaml.replace('id: demo', 'id: typo'), 'query.sql': validQuery, 'sprak.sql': '-- x\nSELECT 1' });
    expect(() => loadWorkload(typo)).toThrow(`${typo}/sprak.sql: 'sprak' is not an engine (spark, flink, duckdb); name dialect files <engine>.sql`);
    const moved = writeWorkload('moved', { 'workload.yaml': validYaml, 'query.sql': validQuery });
    expect(() => loadWorkload(moved)).toThrow(`${moved}/workload.yaml: id: 'demo' must equal the directory name 'moved'`);
    const bare = writeWorkload('bare', { 'workload.yaml': validYaml.replace('id: demo', 'id: bare'), 'query.sql': 'SELECT 1' });
    expect(() => loadWorkload(bare)).toThrow(`${bare}/query.sql: must open with a banner comment`);
  });

  it('an answer key that is not a result column; a workload that does not exist', () => {
    const dir = writeWorkload('bad-key', { 'workload.yaml': validYaml.replace('id: demo', 'id: bad-key').replace('ordered: true', 'ordered: true\n  keyColumns: [idd]'), 'query.sql': validQuery });
    expect(() => loadWorkload(dir)).toThrow(`${dir}/workload.yaml: answer.keyColumns.0: 'idd' is not one of answer.columns (id, v)`);
    expect(() => loadWorkload('nope')).toThrow(/^workload 'nope' not found: no directory workloads\/nope \(known workloads: multijoin, .*topn, .*wordcount.*\)$/);
    expect(WORKLOADS_DIR.endsWith('/workloads')).toBe(true);
  });
});
