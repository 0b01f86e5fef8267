// `bench experiment list | run <id>… | run --all [--quick] | report`: the seeds' claims as
// experiments (experiments/<id>/experiment.yaml). Each arm is an ordinary `bench run`; the verdict
// and the numbers behind it go to results/experiments/, the "Claims checked" report to
// reports/experiments/; `report` puts every experiment's newest verdict in one report.
import path from 'node:path';
import type { Command } from 'commander';
import { BenchError, UsageError } from '../../errors.ts';
import { describeForm, listExperiments, loadExperiment, METRICS, type Experiment } from '../../experiments/experiment-spec.ts';
import { runExperiment } from '../../experiments/run-experiment.ts';
import { writeExperimentReport } from '../../experiments/write-experiment-report.ts';
import { describeRange } from '../../experiments/verdict.ts';
import { experimentsNotRun, newestPerExperiment, readExperimentResults } from '../../experiments/latest-results.ts';
import { reportsDir, resultsDir } from '../../paths.ts';
import { interruptSignal } from '../../runtime/teardown.ts';
import { addClusterOptions } from '../shared-options.ts';

export function experimentListText(experiments: readonly Experiment[]): string {
  const lines = ['Experiments (experiments/<id>/experiment.yaml):'];
  for (const { id, spec } of experiments) {
    lines.push(`  ${id}`);
    lines.push(`    claim:   ${spec.claim} (${spec.source})`);
    const varied = (a: Experiment['spec']['arms'][number]) => [...Object.entries(a.options).map(([k, v]) => `--${k} ${v}`), ...Object.entries(a.settings).map(([k, v]) => `${k}=${v}`)];
    lines.push(`    arms:    ${spec.arms.map((a) => `${a.id} (${a.engine}${a.submission ? ` via ${a.submission}` : ''}${varied(a).length ? `, ${varied(a).join(', ')}` : ''})`).join('; ')}`);
    lines.push(`    verdict: supported when ${spec.verdict.numerator}/${spec.verdict.denominator} ${METRICS[spec.metric].label} is in ${describeRange(spec.verdict.supported)} on ${spec.workloads.join(', ')}`);
    lines.push(`    forms:   quick = ${describeForm(spec.forms.quick)}; full = ${describeForm(spec.forms.full)} (${spec.needs})`);
  }
  return `${lines.join('\n')}\n`;
}

/** The cluster flags the user gave, as `bench run` arguments for every arm. */
function givenClusterArgs(command: Command): string[] {
  const args: string[] = [];
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) !== 'cli' || option.long === '--quick' || option.long === '--all') continue;
    const value: unknown = command.getOptionValue(key);
    args.push(option.long!, ...(typeof value === 'boolean' ? [] : [String(value)]));
  }
  return args;
}

export function registerExperiment(program: Command): void {
  const experiment = program.command('experiment').description("the seeds' claims as experiments with verdicts: list, run, report");
  experiment
    .command('list')
    .description('show every experiment: claim, arms, verdict rule, forms')
    .action(() => {
      process.stdout.write(experimentListText(listExperiments()));
    });
  const run = experiment
    .command('run [ids...]')
    .description('run experiments (each arm an ordinary bench run) and write their verdicts and the Claims checked report')
    .option('--all', 'every experiment', false)
    .option('--quick', 'the quick form (≈10 minutes each on a laptop) instead of the full one', false);
  addClusterOptions(run);
  run.action(async (ids: string[], flags: { all: boolean; quick: boolean }) => {
    if (flags.all && ids.length > 0) throw new UsageError('give experiment ids or --all, not both');
    if (!flags.all && ids.length === 0) throw new UsageError(`name an experiment (known: ${listExperiments().map((e) => e.id).join(', ')}) or pass --all`);
    const chosen = flags.all ? listExperiments() : ids.map((id) => loadExperiment(id));
    const form = flags.quick ? 'quick' : 'full';
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const signal = interruptSignal();
    const results = [];
    for (const [index, e] of chosen.entries()) {
      if (signal.aborted) break;
      say(`experiment ${index + 1} of ${chosen.length}: ${e.id} (${form} form): ${e.spec.claim}`);
      const { result, file } = await runExperiment(e, form, { clusterArgs: givenClusterArgs(run), say, interrupted: () => signal.aborted });
      results.push(result);
      process.stdout.write(`${e.id}: ${result.verdict} — ${result.why}\n  ${result.workloads.map((w) => `${w.workload}: ${w.why}`).join('\n  ')}\n  result: ${path.relative(process.cwd(), file)}\n`);
    }
    if (results.length > 0) {
      const name = results.length === 1 ? path.basename(results[0]!.experiment) + '-' + results[0]!.startedAt.replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-') : `claims-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;
      process.stdout.write(`report: ${path.relative(process.cwd(), writeExperimentReport(results, name))}\n`);
    }
    const failedArms = results.flatMap((r) => r.arms.flatMap((a) => a.runs.flatMap((run, i) => (run.exitCode !== 0 ? [`${r.experiment}/${a.id}${a.runs.length > 1 ? ` run ${i + 1}` : ''} (exit ${run.exitCode ?? 'none'})`] : []))));
    if (failedArms.length > 0) throw new BenchError(`${failedArms.length} arm run(s) did not complete: ${failedArms.join(', ')}; their verdicts say what is missing`, 'invalid-run');
  });
  experiment
    .command('report')
    .description("one Claims checked report over every experiment's newest result in results/experiments/, and the experiments not run yet")
    .option('--out <dir>', 'where to write index.html and specs/ (default: reports/experiments/all)')
    .action((flags: { out?: string }) => {
      const dir = path.join(resultsDir(), 'experiments');
      const { stored, otherVersion } = readExperimentResults(dir);
      for (const file of otherVersion) process.stderr.write(`skipped ${path.relative(process.cwd(), file)}: written by another version of the harness (result version differs); re-run its experiment\n`);
      const newest = newestPerExperiment(stored);
      const results = newest.map((n) => n.result);
      const notRun = experimentsNotRun(listExperiments(), results);
      if (results.length === 0 && notRun.length === 0) throw new UsageError(`no experiment results in ${path.relative(process.cwd(), dir) || dir} and no experiments defined`);
      const out = flags.out ? path.resolve(flags.out) : path.join(reportsDir(), 'experiments', 'all');
      const file = writeExperimentReport(results, 'all', new Date(), notRun, out);
      for (const { result, file: from } of newest) process.stdout.write(`${result.experiment}: ${result.verdict} (${result.form}, ${result.startedAt}) from ${path.relative(process.cwd(), from)}\n`);
      for (const e of notRun) process.stdout.write(`${e.id}: not run\n`);
      process.stdout.write(`report: ${path.relative(process.cwd(), file)}\n`);
    });
}
