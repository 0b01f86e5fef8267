import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeForm, listExperiments, loadExperiment } from './experiment-spec.ts';
import { armRunArgs } from './run-experiment.ts';

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

const STREAMING = `# banner: checkpoints cost latency
id: ID
claim: "checkpoints pause"
source: seed 000
mode: streaming
workloads: [stream-passthrough]
metric: latencyP99Ms
arms:
  - { id: often, engine: flink, options: { checkpoint-interval: 200ms } }
  - { id: rare, engine: flink, options: { checkpoint-interval: 10s }, settings: { state.backend.type: rocksdb } }
verdict: { kind: ratio, numerator: often, denominator: rare, supported: [1.2, null] }
forms:
  quick: { rate: 1000, duration: 30s, warmup: 10s, runs: 4 }
  full: { rate: 5000, duration: 60s, warmup: 10s, runs: 1 }
needs: Kafka
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

  it('a streaming experiment: forms of rate, duration, warm-up and runs; each arm a streaming bench run with its options', () => {
    const e = loadExperiment(write('streaming', STREAMING), root);
    expect(describeForm(e.spec.forms.quick)).toBe('1000 rec/s for 30s after a 10s warm-up, 4 runs per arm');
    expect(describeForm(e.spec.forms.full)).toBe('5000 rec/s for 60s after a 10s warm-up, 1 run per arm');
    expect(describeForm(loadExperiment('good', root).spec.forms.quick)).toBe('scale tiny × 3 repetitions');
    expect(armRunArgs(e, e.spec.arms[1]!, e.spec.forms.quick, ['--runtime', 'local'])).toEqual([
      'run', '--mode', 'streaming', '--engines', 'flink', '--workloads', 'stream-passthrough',
      '--rate', '1000', '--duration', '30s', '--warmup', '10s', '--checkpoint-interval', '10s',
      '--engine-setting', 'flink:state.backend.type=rocksdb', '--no-report', '--runtime', 'local',
    ]);
  });

  it('refuses a form, metric or arm option of the other mode, naming what fits', () => {
    write('batch-form', STREAMING.replace('quick: { rate: 1000, duration: 30s, warmup: 10s, runs: 4 }', 'quick: { scale: tiny, repeat: 3 }'));
    expect(() => loadExperiment('batch-form', root)).toThrow('forms.quick: a streaming experiment\'s form is { rate, duration, warmup, runs }');
    write('batch-metric', STREAMING.replace('metric: latencyP99Ms', 'metric: wallMs'));
    expect(() => loadExperiment('batch-metric', root)).toThrow("metric: 'wallMs' is a batch metric; a streaming experiment measures one of latencyP50Ms, latencyP99Ms");
    write('batch-options', GOOD.replace('{ id: a, engine: flink }', '{ id: a, engine: flink, options: { checkpoint-interval: 1s } }'));
    expect(() => loadExperiment('batch-options', root)).toThrow("arms: 'a': options (checkpoint-interval) are for streaming arms; batch arms vary settings or submission");
    write('bad-duration', STREAMING.replace('checkpoint-interval: 200ms', 'checkpoint-interval: soon'));
    expect(() => loadExperiment('bad-duration', root)).toThrow(/arms\.0\.options\.checkpoint-interval: a duration such as 200ms, 10s or 2m/);
  });

  it('an unknown id names the known ones', () => {
    expect(() => loadExperiment('nope', root)).toThrow(/experiment 'nope' not found: .* \(known experiments: .*good.*\)/);
  });

  it("the repository's experiments all load", () => {
    const ids = listExperiments().map((e) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['flink-checkpoint-pauses', 'flink-cpu-cycles', 'flink-hybrid-shuffle', 'flink-shuffle-files', 'spark-adhoc-server', 'flink-application-startup', 'flink-write-amplification', 'spark-aqe', 'spark-codegen', 'spark-latency-modes']));
  });
});
