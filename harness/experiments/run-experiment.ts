// `bench experiment run`: each arm is ordinary `bench run`s (its own results/<run-id>/, its own
// clusters, torn down by it) — once for a batch arm, `runs` times for a streaming arm (one value
// per run) — one after the other; then the verdict from what they wrote.
// Arms run as child processes so an experiment is exactly the runs a user could repeat by hand.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT, resultsDir } from '../paths.ts';
import { ResultsStore } from '../results/store.ts';
import type { ResultsDocument } from '../results/schema.ts';
import { armValuesOver } from './arm-values.ts';
import { describeForm, isStreamingForm, METRICS, runsPerArm, type Experiment, type ExperimentArm, type ExperimentForm } from './experiment-spec.ts';
import { experimentResultSchema, EXPERIMENT_RESULT_VERSION, type ExperimentResult } from './experiment-result.ts';
import { judgeWorkload, overallVerdict } from './verdict.ts';
import { onTeardown } from '../runtime/teardown.ts';

const BIN = path.join(REPO_ROOT, 'bin', 'bench.js');

/** The `bench run` arguments of one arm (pure): the form, the arm's engine, path and settings, then the user's cluster flags. */
export function armRunArgs(experiment: Experiment, arm: ExperimentArm, form: ExperimentForm, clusterArgs: readonly string[]): string[] {
  const formArgs = isStreamingForm(form)
    ? ['--rate', String(form.rate), '--duration', form.duration, '--warmup', form.warmup, ...Object.entries(arm.options).flatMap(([option, value]) => [`--${option}`, value])]
    : ['--scale', form.scale, '--repeat', String(form.repeat), '--warmups', String(form.warmups)];
  return [
    'run',
    '--mode', experiment.spec.mode,
    '--engines', arm.engine,
    '--workloads', experiment.spec.workloads.join(','),
    ...formArgs,
    ...(arm.submission ? ['--submission', arm.submission] : []),
    ...Object.entries(arm.settings).flatMap(([key, value]) => ['--engine-setting', `${arm.engine}:${key}=${value}`]),
    '--no-report',
    ...clusterArgs,
  ];
}

/** One `bench run` of an arm: runId null when it did not start. */
export interface ArmRun {
  readonly runId: string | null;
  readonly exitCode: number | null;
  readonly document?: ResultsDocument;
}

export interface ArmOutcome {
  readonly arm: ExperimentArm;
  readonly runs: readonly ArmRun[];
}

const documentsOf = (o: ArmOutcome) => o.runs.map((r) => r.document);

/** The verdict from the arms' documents (pure). */
export function experimentResult(experiment: Experiment, formName: 'quick' | 'full', outcomes: readonly ArmOutcome[], times: { startedAt: string; finishedAt: string }): ExperimentResult {
  const { spec } = experiment;
  const form = spec.forms[formName];
  const armById = (id: string) => outcomes.find((o) => o.arm.id === id)!;
  const numerator = armById(spec.verdict.numerator);
  const denominator = armById(spec.verdict.denominator);
  const workloads = spec.workloads.map((workload) => {
    const values = Object.fromEntries(
      outcomes.map((o) => {
        const v = armValuesOver(documentsOf(o), o.arm, workload, spec.metric);
        return [o.arm.id, 'values' in v ? [...v.values] : { missing: v.missing }];
      }),
    );
    const judged = judgeWorkload(
      workload,
      armValuesOver(documentsOf(numerator), numerator.arm, workload, spec.metric),
      armValuesOver(documentsOf(denominator), denominator.arm, workload, spec.metric),
      spec.verdict,
      { numerator: numerator.arm.id, denominator: denominator.arm.id },
    );
    return { ...judged, spread: judged.spread ? ([...judged.spread] as [number, number]) : null, values };
  });
  const overall = overallVerdict(workloads);
  return experimentResultSchema.parse({
    experimentResultVersion: EXPERIMENT_RESULT_VERSION,
    experiment: spec.id,
    claim: spec.claim,
    source: spec.source,
    form: formName,
    mode: spec.mode,
    formText: describeForm(form),
    metric: spec.metric,
    metricLabel: METRICS[spec.metric].label,
    unit: METRICS[spec.metric].unit,
    ...times,
    rule: { numerator: spec.verdict.numerator, denominator: spec.verdict.denominator, supported: [...spec.verdict.supported] },
    arms: outcomes.map((o) => ({
      id: o.arm.id,
      engine: o.arm.engine,
      ...(o.arm.submission ? { submission: o.arm.submission } : {}),
      settings: o.arm.settings,
      ...(Object.keys(o.arm.options).length ? { options: o.arm.options } : {}),
      runs: o.runs.map((r) => ({ runId: r.runId, exitCode: r.exitCode })),
    })),
    workloads,
    verdict: overall.verdict,
    why: overall.why,
  });
}

/** Runs one arm's `bench run`, its progress passed through to stderr; the run id read from its first line. */
async function runArm(args: readonly string[], say: (line: string) => void): Promise<{ runId: string | null; exitCode: number | null }> {
  const child = execa('node', [BIN, ...args], { reject: false, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe', env: process.env });
  let runId: string | null = null;
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      runId ??= /^run (\S+) \(profile /.exec(line)?.[1] ?? null;
      say(`  │ ${line}`);
    }
  });
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') say(`  │ ${line}`);
  });
  // Ctrl-C reaches the arm too when it shares the terminal; a SIGTERM to the harness alone must
  // still stop the arm's run (which tears its clusters down itself) before the harness exits.
  const unregister = onTeardown(async () => {
    child.kill('SIGTERM');
    await child;
  }, 'experiment arm');
  const result = await child;
  unregister();
  if (pending.trim() !== '') say(`  │ ${pending}`);
  return { runId, exitCode: result.exitCode ?? null };
}

export function experimentResultFile(result: Pick<ExperimentResult, 'experiment' | 'startedAt'>): string {
  const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return path.join(resultsDir(), 'experiments', `${result.experiment}-${stamp}.json`);
}

export async function runExperiment(
  experiment: Experiment,
  formName: 'quick' | 'full',
  options: { clusterArgs: readonly string[]; say: (line: string) => void; interrupted: () => boolean },
): Promise<{ result: ExperimentResult; file: string }> {
  const form = experiment.spec.forms[formName];
  const startedAt = new Date().toISOString();
  const outcomes: ArmOutcome[] = [];
  const runs = runsPerArm(form);
  for (const [index, arm] of experiment.spec.arms.entries()) {
    const armRuns: ArmRun[] = [];
    for (let run = 1; run <= runs; run++) {
      if (options.interrupted()) {
        armRuns.push({ runId: null, exitCode: null });
        continue;
      }
      const args = armRunArgs(experiment, arm, form, options.clusterArgs);
      options.say(`[arm ${index + 1} of ${experiment.spec.arms.length}${runs > 1 ? `, run ${run} of ${runs}` : ''}] ${arm.id}: bench ${args.join(' ')}`);
      const { runId, exitCode } = await runArm(args, options.say);
      const file = runId ? path.join(resultsDir(), runId, 'results.json') : undefined;
      const document = file && fs.existsSync(file) ? ResultsStore.load(file) : undefined;
      armRuns.push({ runId, exitCode, ...(document ? { document } : {}) });
    }
    outcomes.push({ arm, runs: armRuns });
  }
  const result = experimentResult(experiment, formName, outcomes, { startedAt, finishedAt: new Date().toISOString() });
  const file = experimentResultFile(result);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return { result, file };
}
