import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listExperiments, loadExperiment } from './experiment-spec.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-experiments-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const GOOD = `# banner: the claim, the arms, what would refute it
id: ID
claim: "x is faster"
source: seed 000
mode: batch
workloads: [topn]
metric: wallMs
arms:
  - { id: a, engine: flink }
  - { id: b, engine: spark }
verdict: { kind: ratio, numerator: a, denominator: b, supported: [1.3, 1.5] }
forms:
  quick: { scale: tiny, repeat: 3 }
  full: { scale: small, repeat: 5 }
needs: nothing much
`;

function write(id: string, text: string): string {
  fs.mkdirSync(path.join(root, id), { recursive: true });
  fs.writeFileSync(path.join(root, id, 'experiment.yaml'), text.replace('id: ID', `id: ${id}`));
  return id;
}

describe('experiment.yaml', () => {
  it('loads a good file with defaults (warm-ups 1, no settings)', () => {
    const e = loadExperiment(write('good', GOOD), root);
    expect(e.spec.forms.quick).toEqual({ scale: 'tiny', repeat: 3, warmups: 1 });
    expect(e.spec.arms[0]!.settings).toEqual({});
  });

  it('names the file, the field and the value when a field is wrong', () => {
    write('bad-metric', GOOD.replace('metric: wallMs', 'metric: speed'));
    expect(() => loadExperiment('bad-metric', root)).toThrow(/experiment\.yaml: metric: Invalid option: expected one of "wallMs"\|"engineMs"/);
    write('bad-repeat', GOOD.replace('quick: { scale: tiny, repeat: 3 }', 'quick: { scale: tiny, repeat: 0 }'));
    expect(() => loadExperiment('bad-repeat', root)).toThrow(/forms\.quick\.repeat: .* \(got 0\)/);
  });

  it('refuses a verdict over an arm that does not exist, an empty range, a duplicate arm, a missing banner, a wrong id', () => {
    write('bad-arm', GOOD.replace('numerator: a', 'numerator: c'));
    expect(() => loadExperiment('bad-arm', root)).toThrow("verdict.numerator: 'c' is not an arm (arms: a, b)");
    write('bad-range', GOOD.replace('[1.3, 1.5]', '[2, 1]'));
    expect(() => loadExperiment('bad-range', root)).toThrow('verdict.supported: [2, 1] is empty (low above high)');
    write('dup-arm', GOOD.replace('{ id: b, engine: spark }', '{ id: a, engine: spark }'));
    expect(() => loadExperiment('dup-arm', root)).toThrow("arms: arm id 'a' appears twice");
    write('no-banner', GOOD.replace(/^# banner.*\n/, ''));
    expect(() => loadExperiment('no-banner', root)).toThrow('must open with a banner comment');
    fs.mkdirSync(path.join(root, 'other-id'));
    fs.writeFileSync(path.join(root, 'other-id', 'experiment.yaml'), GOOD.replace('id: ID', 'id: something-else'));
    expect(() => loadExperiment('other-id', root)).toThrow("id: 'something-else' must equal the directory name 'other-id'");
  });

  it('an unknown id names the known ones', () => {
    expect(() => loadExperiment('nope', root)).toThrow(/experiment 'nope' not found: .* \(known experiments: .*good.*\)/);
  });

  it("the repository's experiments all load", () => {
    const ids = listExperiments().map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['flink-cpu-cycles', 'flink-hybrid-shuffle', 'flink-shuffle-files', 'spark-aqe', 'spark-codegen']));
  });
});
