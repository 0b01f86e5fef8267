// `bench run`: the benchmark. Plans engines × workloads × repetitions from flags over a
// profile, runs them (batch: harness/run/batch-run.ts), writes results/<run-id>/ as it goes,
// prints the summary table, and exits non-zero when any measurement is not completed.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { parseInteger, parseList } from '../../config/options.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../config/profiles.ts';
import { BATCH_ENGINES, runBatch, type BatchEngineName } from '../../run/batch-run.ts';
import { captureBaseProvenance } from '../../results/provenance.ts';
import { newRunId, ResultsStore } from '../../results/store.ts';
import { summaryTable } from '../../results/summary-table.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import { onTeardown } from '../../runtime/teardown.ts';
import { listWorkloads } from '../../workloads/load.ts';
import { SCALES, type Scale } from '../../workloads/workload-spec.ts';
import { reportsDir, resultsDir } from '../../paths.ts';
import { ExitError, EXIT_INVALID, EXIT_USAGE } from '../exit-error.ts';
import { addClusterOptions, addOptions, budgetFrom, type ClusterOptions } from '../shared-options.ts';
import type { Provenance } from '../../results/schema.ts';
import { describeWritten, reportFor } from './report.ts';
import { publishToUrl } from '../../publish/publish-command.ts';
import { PUBLISH_OPTIONS } from '../../publish/options.ts';
import { toCommanderOption } from '../shared-options.ts';

interface RunFlags extends ClusterOptions {
  profile: ProfileName;
  mode: 'batch' | 'streaming';
  engines?: string[];
  workloads?: string[];
  scale: Scale;
  repeat: number;
  warmups: number;
  seed: number;
  timeout: number;
  report: boolean;
  publish?: string;
  s3Endpoint?: string;
}

/** Values from the profile for every option the user did not give on the command line. */
export function applyProfile(command: Command, flags: RunFlags): RunFlags {
  const profile = PROFILES[flags.profile];
  const merged: Record<string, unknown> = { ...flags };
  for (const [key, value] of Object.entries(profile.values)) {
    if (command.getOptionValueSource(key) !== 'cli') merged[key] = value;
  }
  return merged as unknown as RunFlags;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('run the benchmark: the same workloads on each engine, answers checked, results written to results/<run-id>/')
    .addOption(new Option('--profile <name>', `named option values: ${PROFILE_NAMES.map((p) => `${p} (${PROFILES[p].description})`).join('; ')}`).choices(PROFILE_NAMES).default('quick'))
    .addOption(new Option('--mode <mode>', 'batch or streaming').choices(['batch', 'streaming']).default('batch'))
    .addOption(new Option('--engines <list>', `engines, comma-separated (batch: ${BATCH_ENGINES.join(', ')}; default all)`).argParser((v: string) => parseList(v, 'engines')))
    .addOption(new Option('--workloads <list>', 'workload ids, comma-separated (default: every workload of the mode; `npx bench list`)').argParser((v: string) => parseList(v, 'workloads')))
    .addOption(new Option('--scale <scale>', 'data scale factor').choices(SCALES).default('small'))
    .addOption(new Option('--repeat <n>', 'measured repetitions per workload × engine').argParser((v: string) => parseInteger(v, 'repeat')).default(3))
    .addOption(new Option('--warmups <n>', 'warm-up executions before the measured ones (not counted)').argParser((v: string) => parseInteger(v, 'warmups', 0)).default(1))
    .addOption(new Option('--seed <n>', 'data generator seed').argParser((v: string) => parseInteger(v, 'seed', 0)).default(42));
  addClusterOptions(command);
  addOptions(command, 'timeout');
  command
    .option('--no-report', 'do not write the HTML report at the end (reports/<run-id>/index.html)')
    .option('--publish <s3-url>', 'after the run, upload results and report to s3://bucket/prefix (see `npx bench publish --help`)')
    .addOption(toCommanderOption(PUBLISH_OPTIONS.s3Endpoint));
  command.action(async (rawFlags: RunFlags) => {
    const flags = applyProfile(command, rawFlags);
    if (flags.mode === 'streaming') throw new ExitError('--mode streaming is not available yet in this build (see issue: streaming benchmarks); use --mode batch', EXIT_USAGE);
    const engines = (flags.engines ?? [...BATCH_ENGINES]) as BatchEngineName[];
    for (const engine of engines) {
      if (!(BATCH_ENGINES as readonly string[]).includes(engine)) throw new ExitError(`--engines: '${engine}' is not a batch engine; choose from ${BATCH_ENGINES.join(', ')}`, EXIT_USAGE);
    }
    const all = listWorkloads().filter((w) => w.spec.modes.includes(flags.mode));
    const workloads = flags.workloads
      ? flags.workloads.map((id) => {
          const found = all.find((w) => w.id === id);
          if (!found) throw new ExitError(`--workloads: no ${flags.mode} workload '${id}'; available: ${all.map((w) => w.id).join(', ')}`, EXIT_USAGE);
          return found;
        })
      : all;
    const budget = budgetFrom(flags);
    const runId = newRunId();
    const say = (m: string) => process.stderr.write(`${m}\n`);

    const base = await captureBaseProvenance();
    const provenance: Provenance = {
      ...base,
      runtime: { kind: 'local', details: { note: 'no cluster started yet' }, images: {} },
      distributions: [],
      engineSettings: {},
      seed: flags.seed,
      scale: flags.scale,
      profile: flags.profile,
    };
    const config = { profile: flags.profile, mode: flags.mode, engines, workloads: workloads.map((w) => w.id), scale: flags.scale, repeat: flags.repeat, warmups: flags.warmups, seed: flags.seed, timeoutMs: flags.timeout, runtime: flags.runtime, startTimeoutMs: flags.startTimeout, ...(flags.baseImage ? { baseImage: flags.baseImage } : {}) };
    const store = ResultsStore.create(runId, {
      resultsDir: resultsDir(),
      run: { startedAt: new Date().toISOString(), command: process.argv.slice(2), profile: flags.profile, mode: flags.mode, config, budget: { cores: budget.cores, memoryMiB: budget.memoryMiB, parallelism: budget.parallelism, workers: budget.workers }, provenance },
    });
    const unregister = onTeardown(async () => {
      if (store.status === 'running') store.setStatus('interrupted');
    });
    say(`run ${runId}: ${engines.join(', ')} × ${workloads.map((w) => w.id).join(', ')} at scale ${flags.scale}, ${flags.warmups} warm-up + ${flags.repeat} repetitions (profile ${flags.profile}); results in ${store.dir}`);

    let opened: OpenedRuntime | undefined;
    const clusterDistributions = engines.filter((e): e is 'spark' | 'flink' => e === 'spark' || e === 'flink');
    try {
      await runBatch({
        engines,
        workloads,
        scale: flags.scale,
        seed: flags.seed,
        repeat: flags.repeat,
        warmups: flags.warmups,
        timeoutMs: flags.timeout,
        budget,
        startTimeoutMs: flags.startTimeout,
        store,
        progress: say,
        openRuntime: async () => {
          opened = await openRuntime({ choice: flags.runtime, runId, runDir: store.dir, distributions: clusterDistributions, baseImage: flags.baseImage, onProgress: say });
          const described = await opened.runtime.describe();
          store.updateProvenance({
            runtime: { kind: described.kind, details: { ...described.details, choice: opened.choiceReason }, images: { ...described.images } },
            distributions: Object.values(opened.distributions).map((d) => ({
              name: d.name,
              version: d.version,
              components: Object.entries(d.components).map(([name, version]) => ({ name, version })),
              artifacts: d.artifacts.map((a) => ({ file: a.file, algorithm: 'sha256', checksum: a.sha256 })),
            })),
          });
          return opened;
        },
      });
      store.setStatus('completed');
    } catch (error) {
      if (store.status === 'running') store.setStatus('failed');
      throw error;
    } finally {
      await opened?.close();
      unregister();
    }
    const doc = store.document;
    process.stdout.write(`\n${summaryTable(doc)}\n\nresults: ${path.relative(process.cwd(), store.file) || store.file}\n`);
    if (flags.report) process.stdout.write(describeWritten(reportFor([doc], path.join(reportsDir(), runId))));
    if (flags.publish) {
      const outcome = await publishToUrl(runId, flags.publish, { endpoint: flags.s3Endpoint });
      process.stdout.write(`published to ${outcome.target}: ${outcome.uploaded.length} object(s) uploaded (${outcome.bytesUploaded} bytes), ${outcome.unchanged.length} unchanged, in ${Math.round(outcome.durationMs)} ms\n`);
    }
    const bad = doc.measurements.filter((m) => m.status !== 'completed');
    if (bad.length > 0) throw new ExitError(`${bad.length} of ${doc.measurements.length} measurement(s) did not complete: ${bad.map((m) => `${m.workload}/${m.engine} ${m.status}`).join(', ')}`, EXIT_INVALID);
  });
}
