import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { cellText } from '../report/model.ts';
import { claimsSection } from './claims-section.ts';
import { experimentResultSchema, type ExperimentResult } from './experiment-result.ts';
import { listExperiments } from './experiment-spec.ts';
import { experimentsNotRun, newestPerExperiment, readExperimentResults } from './latest-results.ts';

const FIXTURE = path.join(REPO_ROOT, 'harness/experiments/testdata/result-spark-aqe-v2.json');
const fixture = (): ExperimentResult => experimentResultSchema.parse(JSON.parse(fs.readFileSync(FIXTURE, 'utf8')));
const at = (result: ExperimentResult, experiment: string, startedAt: string, verdict: ExperimentResult['verdict']): ExperimentResult => ({ ...result, experiment, startedAt, verdict });

describe('every experiment’s newest result', () => {
  it('keeps the newest result per experiment, ordered by id', () => {
    const base = fixture();
    const stored = [
      { file: 'b-old.json', result: at(base, 'spark-aqe', '2026-12-01T10:00:00.000Z', 'inconclusive') },
      { file: 'a.json', result: at(base, 'flink-cpu-cycles', '2026-11-30T08:00:00.000Z', 'contradicted') },
      { file: 'b-new.json', result: at(base, 'spark-aqe', '2026-12-02T10:00:00.000Z', 'supported') },
    ];
    expect(newestPerExperiment(stored).map((s) => [s.file, s.result.experiment, s.result.verdict])).toEqual([
      ['a.json', 'flink-cpu-cycles', 'contradicted'],
      ['b-new.json', 'spark-aqe', 'supported'],
    ]);
  });

  it('names the defined experiments without a result, with what they need', () => {
    const defined = listExperiments();
    const notRun = experimentsNotRun(defined, [fixture()]);
    expect(notRun.map((e) => e.id)).toEqual(defined.map((e) => e.id).filter((id) => id !== 'spark-aqe'));
    const section = claimsSection([fixture()], notRun.slice(0, 1));
    const tables = section.blocks.flatMap((b) => (b.kind === 'table' ? [b] : []));
    expect(tables.map((t) => t.table.id)).toEqual(['claims-table', 'claims-not-run']);
    expect(tables[0]!.table.rows[0]!.map(cellText).slice(0, 5)).toEqual(['spark-aqe', fixture().claim, 'seed 000, Spark vs Flink optimizer features', 'quick: scale small × 4 repetitions', 'inconclusive']);
    const first = defined.find((e) => e.id === notRun[0]!.id)!;
    expect(tables[1]!.table.rows.map((row) => row.map(cellText))).toEqual([[first.id, first.spec.claim, first.spec.source, first.spec.needs, `npx bench experiment run ${first.id} --quick`]]);
  });

  it('reads a results directory: older result versions set aside by name, a broken file an error naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-experiment-results-'));
    try {
      expect(readExperimentResults(path.join(dir, 'absent'))).toEqual({ stored: [], otherVersion: [] });
      fs.copyFileSync(FIXTURE, path.join(dir, 'spark-aqe-20261201-100000.json'));
      fs.writeFileSync(path.join(dir, 'old-20261101-000000.json'), JSON.stringify({ experimentResultVersion: 1, experiment: 'old' }));
      const read = readExperimentResults(dir);
      expect(read.stored.map((s) => s.result.experiment)).toEqual(['spark-aqe']);
      expect(read.otherVersion).toEqual([path.join(dir, 'old-20261101-000000.json')]);
      fs.writeFileSync(path.join(dir, 'z-broken.json'), JSON.stringify({ ...fixture(), verdict: 'maybe' }));
      expect(() => readExperimentResults(dir)).toThrow(/z-broken\.json: not an experiment result: verdict: Invalid option: .*; delete it or re-run its experiment$/);
      fs.writeFileSync(path.join(dir, 'z-broken.json'), '{ not json');
      expect(() => readExperimentResults(dir)).toThrow(/z-broken\.json: not JSON \(.*\); delete it or re-run its experiment$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
