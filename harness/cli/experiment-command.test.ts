// `bench experiment` as a user runs it: bad input is refused in seconds naming file and field;
// experiments of two real Flink arms (local runtime: batch at scale tiny, streaming at a tiny
// rate) run each arm as ordinary bench runs, and the verdict is computed from exactly what those
// runs wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.ts';
import { cleanLocal } from '../runtime/process-registry.ts';
import { ResultsStore } from '../results/store.ts';
import { experimentResultSchema } from '../experiments/experiment-result.ts';
import { listExperiments } from '../experiments/experiment-spec.ts';
import { percentile, sortSamples } from '../stats/summary.ts';

const BIN = path.join(REPO_ROOT, 'bin/bench.js');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-experiment-'));
const env = { BENCH_LOG: 'warn', BENCH_RESULTS_DIR: path.join(root, 'results'), BENCH_REPORTS_DIR: path.join(root, 'reports') };
const bench = (args: string[]) => execa('node', [BIN, 'experiment', ...args], { reject: false, env });
const runIds: string[] = [];
afterAll(async () => {
  for (const runId of runIds) await cleanLocal({ runId });
  fs.rmSync(root, { recursive: true, force: true });
});

describe('bench experiment', () => {
  it('list shows every experiment with its claim and verdict rule', async () => {
    const { exitCode, stdout } = await bench(['list']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('  spark-aqe\n    claim:   Flink has no AQE like Spark');
    expect(stdout).toContain('verdict: supported when aqe-off/aqe-on engine time is in ≥ 1.1 on topn, multijoin, wordcount');
  });

  it('bad input: an unknown id, no id, a malformed file — exit 2 naming what is wrong', async () => {
    const unknown = await bench(['run', 'no-such-claim']);
    expect(unknown.exitCode).toBe(2);
    const known = listExperiments().map((e) => e.id).join(', ');
    expect(unknown.stderr).toContain(`error: experiment 'no-such-claim' not found: no directory experiments/no-such-claim (known experiments: ${known})`);
    const none = await bench(['run']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain(`name an experiment (known: ${known}) or pass --all`);
    const dir = path.join(root, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'experiment.yaml'), fs.readFileSync(path.join(REPO_ROOT, 'experiments/spark-aqe/experiment.yaml'), 'utf8').replace('id: spark-aqe', 'id: broken').replace('metric: engineMs', 'metric: speed'));
    const broken = await bench(['run', dir]);
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/experiment\.yaml: metric: Invalid option: expected one of/);
    expect(fs.existsSync(env.BENCH_RESULTS_DIR)).toBe(false);
  });

  it('report: one Claims checked report over every experiment’s newest result, the rest listed as not run', async () => {
    const own = path.join(root, 'report-only');
    fs.mkdirSync(path.join(own, 'results', 'experiments'), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'harness/experiments/testdata/result-spark-aqe-v2.json'), path.join(own, 'results', 'experiments', 'spark-aqe-20261201-100000.json'));
    const ownEnv = { ...env, BENCH_RESULTS_DIR: path.join(own, 'results'), BENCH_REPORTS_DIR: path.join(own, 'reports') };
    const { exitCode, stdout, stderr } = await execa('node', [BIN, 'experiment', 'report'], { reject: false, env: ownEnv, cwd: own });
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    expect(stdout).toContain('spark-aqe: inconclusive (quick, 2026-12-01T10:00:00.000Z) from results/experiments/spark-aqe-20261201-100000.json\n');
    expect(stdout).toContain('flink-cpu-cycles: not run\n');
    expect(stdout).toMatch(/report: reports\/experiments\/all\/index\.html$/);
    const html = fs.readFileSync(path.join(own, 'reports', 'experiments', 'all', 'index.html'), 'utf8');
    expect(html).toContain('Not run yet: no verdict is drawn for these');
    expect(html).toContain('npx bench experiment run flink-cpu-cycles --quick');
    fs.writeFileSync(path.join(own, 'results', 'experiments', 'broken.json'), '{}');
    const broken = await execa('node', [BIN, 'experiment', 'report'], { reject: false, env: ownEnv, cwd: own });
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not an experiment result: .*delete it or re-run its experiment/);
  });

  it('two real Flink arms (blocking vs hybrid shuffle): each an ordinary run, the verdict from their results, a report', async () => {
    const fixture = path.join(REPO_ROOT, 'harness/experiments/testdata/flink-shuffle-tiny');
    const { exitCode, stdout, stderr } = await bench(['run', fixture, '--quick', '--runtime', 'local', '--memory', '2048']);
    const resultFile = /result: (\S+)/.exec(stdout)?.[1];
    expect(resultFile, `${stdout}\n${stderr}`).toBeDefined();
    const result = experimentResultSchema.parse(JSON.parse(fs.readFileSync(path.resolve(resultFile!), 'utf8')));
    runIds.push(...result.arms.flatMap((a) => a.runs.flatMap((r) => (r.runId ? [r.runId] : []))));
    expect(exitCode, stderr).toBe(0);
    expect(result.arms.map((a) => [a.id, a.runs.map((r) => r.exitCode)])).toEqual([['blocking', [0]], ['hybrid', [0]]]);
    const walls: Record<string, number[]> = {};
    for (const arm of result.arms) {
      const document = ResultsStore.load(arm.runs[0]!.runId!, { resultsDir: env.BENCH_RESULTS_DIR });
      const m = document.measurements.find((x) => x.engine === 'flink' && x.workload === 'topn');
      expect(m?.status).toBe('completed');
      if (m?.status !== 'completed') return;
      // The arm's setting reached Flink and was recorded with the run.
      expect(document.provenance.engineSettings.flink?.['execution.batch-shuffle-mode']).toBe(arm.settings['execution.batch-shuffle-mode']);
      walls[arm.id] = m.repetitions.map((r) => r.wallMs);
    }
    const median = (values: number[]) => percentile(sortSamples(values), 0.5);
    expect(result.workloads[0]!.values).toEqual(walls);
    expect(result.workloads[0]!.ratio).toBeCloseTo(median(walls.blocking!) / median(walls.hybrid!), 12);
    expect(['supported', 'contradicted', 'inconclusive']).toContain(result.verdict);
    // 2 vs 2 repetitions can never reach p < 0.05: a ratio in range is still inconclusive.
    if (result.workloads[0]!.ratio! >= 1.1) expect(result.verdict).toBe('inconclusive');
    const report = /report: (\S+)/.exec(stdout)?.[1];
    expect(fs.readFileSync(path.resolve(report!), 'utf8')).toContain('Claims checked');
    // Two arms, each its own Flink cluster start-up and 1+2 executions: minutes on 2 shared cores.
  }, 600_000);

  it('two real Flink streaming arms (checkpoints every 200 ms vs 10 s): one run each, the p99 of each run judged', async () => {
    const fixture = path.join(REPO_ROOT, 'harness/experiments/testdata/flink-checkpoint-tiny');
    const { exitCode, stdout, stderr } = await bench(['run', fixture, '--quick', '--runtime', 'local', '--memory', '2048']);
    const resultFile = /result: (\S+)/.exec(stdout)?.[1];
    expect(resultFile, `${stdout}\n${stderr}`).toBeDefined();
    const result = experimentResultSchema.parse(JSON.parse(fs.readFileSync(path.resolve(resultFile!), 'utf8')));
    runIds.push(...result.arms.flatMap((a) => a.runs.flatMap((r) => (r.runId ? [r.runId] : []))));
    expect(exitCode, stderr).toBe(0);
    expect(result.mode).toBe('streaming');
    expect(result.formText).toBe('200 rec/s for 15s after a 3s warm-up, 1 run per arm');
    // Each arm's value is its run's steady-state p99, or — when that run's start-up backlog did not
    // drain in time (seen on a loaded machine) — the reason, carried into the verdict unchanged.
    const judged: Record<string, number[] | { missing: string }> = {};
    for (const arm of result.arms) {
      expect(arm.runs).toHaveLength(1);
      const document = ResultsStore.load(arm.runs[0]!.runId!, { resultsDir: env.BENCH_RESULTS_DIR });
      const m = document.measurements.find((x) => x.engine === 'flink' && x.workload === 'stream-passthrough');
      expect(m?.status, m?.status !== 'completed' ? (m as { reason?: string } | undefined)?.reason : '').toBe('completed');
      if (m?.status !== 'completed') return;
      // The arm's option reached the run.
      expect(m.params.checkpointIntervalMs).toBe(arm.id === 'every-200ms' ? 200 : 10_000);
      const latency = m.streaming!.latencyMs;
      judged[arm.id] = 'missing' in latency ? { missing: `steady-state latency: ${latency.reason}` } : [latency.p99Ms];
    }
    expect(result.workloads[0]!.values).toEqual(judged);
    const [often, rarely] = [judged['every-200ms']!, judged['every-10s']!];
    if (Array.isArray(often) && Array.isArray(rarely)) {
      expect(result.workloads[0]!.ratio).toBeCloseTo(often[0]! / rarely[0]!, 12);
      // One value per arm: never supported, whatever the ratio.
      expect(result.verdict).not.toBe('supported');
    } else {
      expect(result.workloads[0]!.ratio).toBeNull();
      expect(result.verdict).toBe('inconclusive');
      expect(result.workloads[0]!.why).toMatch(/^no value to compare \(every-(200ms|10s): steady-state latency: not steady: /);
    }
  }, 600_000);
});
