// `bench run`: the benchmark. Plans engines × workloads × repetitions from flags over a
// profile, runs them (harness/run/run.ts), writes results/<run-id>/ as it goes, prints the
// summary table, and exits non-zero when any measurement is not completed.
import path from 'node:path';
import { Option, type Command } from 'commander';
import { parseDuration, parseEngineSetting, parseInteger, parseList } from '../../config/options.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../config/profiles.ts';
import { BATCH_ENGINE_IDS, STREAMING_VARIANT_IDS, SUBMISSION_PATHS, engineById, variantById } from '../../engines/index.ts';
import { FAULT_ACTION_MEANING, FAULT_ACTIONS, engineOfService, parseFaults, type FaultSpec } from '../../faults/fault-spec.ts';
import { distributionsFor, executeRun, planGroups, type RunRequest } from '../../run/run.ts';
import { estimateWallTime } from '../../run/estimate.ts';
import { describePlan } from '../../run/describe-plan.ts';
import { loadRecentRuns } from '../../publish/load-runs.ts';
import type { ResultsDocument } from '../../results/schema.ts';
import { createProgress } from '../../progress/progress.ts';
import { captureBaseProvenance } from '../../results/provenance.ts';
import { newRunId, ResultsStore } from '../../results/store.ts';
import { summaryTable } from '../../results/summary-table.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import { interruptSignal, onTeardown } from '../../runtime/teardown.ts';
import { listWorkloads } from '../../workloads/load.ts';
import { SCALES, type Scale } from '../../workloads/workload-spec.ts';
import { reportsDir, resultsDir } from '../../paths.ts';
import { BenchError, UsageError } from '../../errors.ts';
import { addClusterOptions, addOptions, budgetFrom, versionsFrom, type ClusterOptions } from '../shared-options.ts';
import type { Provenance } from '../../results/schema.ts';
import { describeWritten, reportFor } from './report.ts';
import { publishToUrl } from '../../publish/publish-command.ts';
import { PUBLISH_OPTIONS } from '../../publish/options.ts';
import { toCommanderOption } from '../shared-options.ts';
import { RUN_MODES, SUBMISSION_FAMILIES, planRun, type RunMode } from '../../run/plan.ts';

interface RunFlags extends ClusterOptions {
  profile: ProfileName;
  mode: RunMode;
  engines?: string[];
  workloads?: string[];
  submission?: string[];
  scale: Scale;
  repeat: number;
  warmups: number;
  seed: number;
  timeout: number;
  report: boolean;
  rate: number;
  duration: number;
  warmup: number;
  searchRate: boolean;
  p99Bound: number;
  triggerInterval?: number;
  checkpointInterval: number;
  stateBackend: 'hashmap' | 'rocksdb';
  metrics: boolean;
  metricsInterval: number;
  publish?: string;
  s3Endpoint?: string;
  engineSetting?: Record<string, Record<string, string>>;
  dryRun: boolean;
  history?: string;
  fault?: string;
}

/** The plan of a request and its expected wall time from earlier runs: nothing is started, no data made. */
export function dryRunText(request: RunRequest, history: readonly ResultsDocument[]): string {
  const refuse = () => {
    throw new Error('a dry run runs no unit');
  };
  const { groups } = planGroups(request, { resultsDir: '(dry run)', openRuntime: refuse }, refuse);
  const parts = request.plans.map((plan) =>
    plan.mode === 'batch'
      ? `batch at scale ${request.batch.scale}: ${request.batch.warmups} warm-up${request.batch.warmups === 1 ? '' : 's'} + ${request.batch.repeat} repetition${request.batch.repeat === 1 ? '' : 's'} per unit`
      : `streaming: ${request.streaming.durationMs / 1000} s of input per ${request.streaming.search ? `rate step, a rate search from ${request.streaming.search.initialRate} rec/s (at most ${request.streaming.search.maxSteps} steps)` : `unit at ${request.streaming.rate} rec/s`}, ${request.streaming.warmupMs / 1000} s warm-up`,
  );
  const estimate = estimateWallTime(groups.flatMap((g) => g.units.map((u) => ({ identity: u.identity, group: g.label }))), history);
  return describePlan({ parts, groups: groups.map((g) => ({ label: g.label, units: g.units.map((u) => u.label) })) }, estimate);
}

/**
 * `--fault` checked against the run before anything starts: each fault before the end of the
 * measurements it goes into (streaming: --duration; batch: --timeout), each service belonging
 * to an engine of the run (Kafka only with a streaming part).
 */
export function faultsFor(value: string, engines: { batch?: readonly string[]; streaming?: readonly string[] }, run: { workers: number; durationMs: number; timeoutMs: number }): FaultSpec[] {
  const horizon = engines.streaming ? { horizonMs: run.durationMs, horizonName: '--duration' } : { horizonMs: run.timeoutMs, horizonName: '--timeout' };
  const faults = parseFaults(value, { workers: run.workers, ...horizon });
  const owners = new Set([...(engines.batch ?? []), ...(engines.streaming ?? []).map((id) => variantById(id).engine.id)]);
  for (const fault of faults) {
    const owner = engineOfService(fault.service);
    if (owner === undefined && !engines.streaming) throw new UsageError(`--fault: '${fault.text}': ${fault.service} runs only for streaming; add --mode streaming (or all), or fault an engine service`);
    if (owner !== undefined && !owners.has(owner)) {
      throw new UsageError(`--fault: '${fault.text}': no ${owner} engine runs in this run (${[...owners].join(', ') || 'none'}); choose a service of theirs${engines.streaming ? ' or kafka' : ''}`);
    }
  }
  return faults;
}

/** Values from the profile for every option the user did not give on the command line. */
export function applyProfile(command: Command, flags: RunFlags): RunFlags {
  const profile = PROFILES[flags.profile];
  const fromProfile = Object.fromEntries(Object.entries(profile.values).filter(([key]) => command.getOptionValueSource(key) !== 'cli'));
  // Profile keys are option keys (profiles.ts declares them for these flags).
  return { ...flags, ...fromProfile } as RunFlags;
}

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('run the benchmark: the same workloads on each engine, answers checked, results written to results/<run-id>/')
    .addOption(new Option('--profile <name>', `named option values: ${PROFILE_NAMES.map((p) => `${p} (${PROFILES[p].description})`).join('; ')}`).choices(PROFILE_NAMES).default('quick'))
    .addOption(new Option('--mode <mode>', 'batch, streaming, or all (batch then streaming, one results document)').choices(RUN_MODES).default('batch'))
    .addOption(new Option('--engines <list>', `engines, comma-separated (batch: ${BATCH_ENGINE_IDS.join(', ')}; streaming: ${STREAMING_VARIANT_IDS.join(', ')}; default all of the mode)`).argParser((v: string) => parseList(v, 'engines')))
    .addOption(new Option('--workloads <list>', 'workload ids, comma-separated (default: every workload of the mode; `npx bench list`)').argParser((v: string) => parseList(v, 'workloads')))
    .addOption(
      new Option('--submission <list>', `batch submission paths, comma-separated: path ids (${SUBMISSION_PATHS.map((p) => p.path.id).join(', ')}) or families (${SUBMISSION_FAMILIES.join(', ')}); default the profile's (quick: the warm paths), else every path of the chosen engines`).argParser((v: string) =>
        parseList(v, 'submission'),
      ),
    )
    .addOption(new Option('--scale <scale>', 'data scale factor').choices(SCALES).default('small'))
    .addOption(new Option('--repeat <n>', 'measured repetitions per workload × engine').argParser((v: string) => parseInteger(v, 'repeat')).default(3))
    .addOption(new Option('--warmups <n>', 'warm-up executions before the measured ones (not counted)').argParser((v: string) => parseInteger(v, 'warmups', 0)).default(1))
    .addOption(new Option('--seed <n>', 'data generator seed').argParser((v: string) => parseInteger(v, 'seed', 0)).default(42));
  addClusterOptions(command);
  addOptions(command, 'timeout');
  command
    .addOption(new Option('--rate <records/s>', 'streaming: input rate (constant; the start rate with --search-rate)').argParser((v: string) => parseInteger(v, 'rate')).default(1000))
    .addOption(new Option('--duration <duration>', 'streaming: generation time per measurement (e.g. 60s)').argParser((v: string) => parseDuration(v, 'duration')).default(60_000, '60s'))
    .addOption(new Option('--warmup <duration>', 'streaming: first part of each measurement excluded from latency, rates and lag').argParser((v: string) => parseDuration(v, 'warmup')).default(10_000, '10s'))
    .option('--search-rate', 'streaming: search the highest sustainable rate (step up, then bisect) instead of one fixed rate', false)
    .addOption(new Option('--p99-bound <duration>', 'streaming: a rate is sustainable only while p99 latency stays under this').argParser((v: string) => parseDuration(v, 'p99-bound')).default(5_000, '5s'))
    .addOption(new Option('--trigger-interval <duration>', "spark-microbatch trigger interval (default: Spark's default, back-to-back batches)").argParser((v: string) => parseDuration(v, 'trigger-interval')))
    .addOption(new Option('--checkpoint-interval <duration>', 'flink checkpoint interval; also spark-continuous epoch interval').argParser((v: string) => parseDuration(v, 'checkpoint-interval')).default(1_000, '1s'))
    .addOption(new Option('--state-backend <name>', 'flink state backend').choices(['hashmap', 'rocksdb']).default('hashmap'))
    .option('--no-metrics', 'do not sample resource and engine metrics (to measure the sampler against)')
    .addOption(new Option('--metrics-interval <duration>', 'metrics sampling interval').argParser((v: string) => parseDuration(v, 'metrics-interval')).default(1_000, '1s'))
    .option('--no-report', 'do not write the HTML report at the end (reports/<run-id>/index.html)')
    .option('--publish <s3-url>', 'after the run, upload results and report to s3://bucket/prefix (see `npx bench publish --help`)')
    .addOption(toCommanderOption(PUBLISH_OPTIONS.s3Endpoint))
    .addOption(
      new Option(
        '--fault <list>',
        `inject faults, ACTION:SERVICE@TIME[+DURATION],… on each measurement's axis (streaming: t=0 at generation start, every measurement; batch: t=0 at submission, one extra execution per workload); actions: ${FAULT_ACTIONS.map((a) => `${a} (${FAULT_ACTION_MEANING[a]})`).join('; ')}; e.g. restart:flink-taskmanager-1@20s, pause:kafka@15s+5s`,
      ),
    )
    .option('--dry-run', 'print the plan (groups, units, repetitions, rate searches) and its expected wall time from earlier runs, start nothing', false)
    .option('--history <s3-url|dir>', 'with --dry-run: earlier runs to estimate the wall time from (a results directory or s3://bucket/prefix)')
    .addOption(
      new Option('--engine-setting <engine:key=value>', 'an engine setting on top of the harness\'s own, repeatable (Spark: --conf of every submission; Flink: config.yaml), e.g. spark:spark.sql.adaptive.enabled=false; recorded')
        .argParser((v: string, previous?: Record<string, Record<string, string>>) => parseEngineSetting(v, previous)),
    );
  command.action(async (rawFlags: RunFlags) => {
    const flags = applyProfile(command, rawFlags);
    for (const engine of Object.keys(flags.engineSetting ?? {})) engineById(engine); // an unknown engine is a usage error naming the choices
    const plans = planRun(flags.mode, flags.engines, flags.workloads, listWorkloads(), command.getOptionValueSource('workloads') !== 'cli', flags.submission);
    const batchPlan = plans.find((p) => p.mode === 'batch');
    const streamingPlan = plans.find((p) => p.mode === 'streaming');
    const engines = [...new Set(plans.flatMap((p) => p.engines))];
    const workloads = plans.flatMap((p) => p.workloads);
    const budget = budgetFrom(flags);
    const faults = flags.fault === undefined ? undefined : faultsFor(flags.fault, { batch: batchPlan?.engines, streaming: streamingPlan?.engines }, { workers: budget.workers, durationMs: flags.duration, timeoutMs: flags.timeout });
    const runId = newRunId();
    const say = (m: string) => process.stderr.write(`${m}\n`);

    const metricsIntervalMs = flags.metrics ? flags.metricsInterval : undefined;
    const request: RunRequest = {
      plans,
      batch: { scale: flags.scale, seed: flags.seed, repeat: flags.repeat, warmups: flags.warmups, timeoutMs: flags.timeout, ...(metricsIntervalMs !== undefined ? { metricsIntervalMs } : {}) },
      streaming: {
        rate: flags.rate,
        durationMs: flags.duration,
        warmupMs: flags.warmup,
        parameters: { triggerIntervalMs: flags.triggerInterval, checkpointIntervalMs: flags.checkpointInterval, stateBackend: flags.stateBackend },
        ...(flags.searchRate ? { search: { initialRate: flags.rate, maxRate: 300_000, precision: 0.1, maxSteps: 10, p99BoundMs: flags.p99Bound, maxLagSlopeFraction: 0.01 } } : {}),
      },
      ...(faults ? { faults } : {}),
      budget,
      startTimeoutMs: flags.startTimeout,
      seed: flags.seed,
      scale: flags.scale,
      ...(metricsIntervalMs !== undefined ? { metricsIntervalMs } : {}),
      ...(flags.engineSetting ? { engineSettings: flags.engineSetting } : {}),
    };
    if (flags.dryRun) {
      const history = flags.history ? await loadRecentRuns(flags.history, { limit: 10, s3: { endpoint: flags.s3Endpoint } }) : [];
      process.stdout.write(dryRunText(request, history));
      return;
    }

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
    const common = { profile: flags.profile, mode: flags.mode, engines, ...(batchPlan?.paths ? { submission: [...batchPlan.paths] } : {}), workloads: workloads.map((w) => w.id), seed: flags.seed, runtime: flags.runtime, startTimeoutMs: flags.startTimeout, metrics: flags.metrics, metricsIntervalMs: flags.metricsInterval, ...(flags.baseImage ? { baseImage: flags.baseImage } : {}) };
    const config = {
      ...common,
      ...(flags.engineSetting ? { engineSettings: flags.engineSetting } : {}),
      ...(batchPlan ? { scale: flags.scale, repeat: flags.repeat, warmups: flags.warmups, timeoutMs: flags.timeout } : {}),
      ...(streamingPlan
        ? { rate: flags.rate, durationMs: flags.duration, warmupMs: flags.warmup, searchRate: flags.searchRate, p99BoundMs: flags.p99Bound, checkpointIntervalMs: flags.checkpointInterval, stateBackend: flags.stateBackend, ...(flags.triggerInterval !== undefined ? { triggerIntervalMs: flags.triggerInterval } : {}), ...(flags.fault ? { fault: flags.fault } : {}) }
        : {}),
    };
    const store = ResultsStore.create(runId, {
      resultsDir: resultsDir(),
      run: { startedAt: new Date().toISOString(), command: process.argv.slice(2), profile: flags.profile, mode: flags.mode, config, budget: { cores: budget.cores, memoryMiB: budget.memoryMiB, parallelism: budget.parallelism, workers: budget.workers }, provenance },
    });
    const unregister = onTeardown(async () => {
      if (store.status === 'running') store.setStatus('interrupted');
    });
    say(`run ${runId} (profile ${flags.profile}); results in ${store.dir}`);
    if (batchPlan) say(`  batch: ${batchPlan.engines.join(', ')} × ${batchPlan.workloads.map((w) => w.id).join(', ')} at scale ${flags.scale}, ${flags.warmups} warm-up + ${flags.repeat} repetitions`);
    if (faults) say(`  faults: ${faults.map((f) => f.text).join(', ')}, on every streaming measurement and one extra batch execution per workload whose engine has the service`);
    if (streamingPlan) {
      say(`  streaming: ${streamingPlan.engines.join(', ')} × ${streamingPlan.workloads.map((w) => w.id).join(', ')} at ${flags.searchRate ? `a searched rate from ${flags.rate}` : flags.rate} records/s for ${flags.duration / 1000} s each (${flags.warmup / 1000} s warm-up)`);
    }

    // One runtime for the whole run, opened on first need with every distribution the run needs.
    const distributions = distributionsFor(plans);
    let opened: OpenedRuntime | undefined;
    const open = async () => {
      if (opened) return opened;
      opened = await openRuntime({ choice: flags.runtime, runId, runDir: store.dir, distributions, versions: versionsFrom(flags), baseImage: flags.baseImage, onProgress: say });
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
    };
    try {
      const summary = await executeRun(
        request,
        { store, openRuntime: open, progress: createProgress({ stream: process.stderr }), signal: interruptSignal() },
      );
      if (!summary.interrupted) store.setStatus('completed');
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
    // `unsupported` is an answer about the engine (e.g. aggregations in Spark's continuous mode), not a failed run.
    const bad = doc.measurements.filter((m) => m.status !== 'completed' && m.status !== 'unsupported');
    if (bad.length > 0) throw new BenchError(`${bad.length} of ${doc.measurements.length} measurement(s) did not complete: ${bad.map((m) => `${m.workload}/${m.engine} ${m.status}`).join(', ')}`, 'invalid-run');
  });
}
