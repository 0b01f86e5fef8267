// An experiment is data (experiments/<id>/experiment.yaml): a claim from the seeds, quoted with
// its source, the arms that test it (batch: engine, submission path, engine settings; streaming:
// variant, run options such as the checkpoint interval, engine settings), what is measured and
// the verdict rule. A new experiment is a new folder; this file is the only schema.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { REPO_ROOT } from '../paths.ts';
import { displayPath, formatIssue } from '../workloads/load.ts';
import { SCALES } from '../workloads/workload-spec.ts';

export const EXPERIMENTS_DIR = path.join(REPO_ROOT, 'experiments');
const SPEC_FILE = 'experiment.yaml';

/**
 * What an arm's measurements are compared on: every repetition's value (wall and engine time
 * always; resource figures when metrics were sampled), so the verdict sees the spread.
 */
export const METRICS = {
  wallMs: { label: 'wall time', unit: 'ms', mode: 'batch' },
  engineMs: { label: 'engine time', unit: 'ms', mode: 'batch' },
  cpuSeconds: { label: 'CPU time of the engine services', unit: 'core-s', mode: 'batch' },
  filesCreated: { label: "files created in the engines' local dirs", unit: 'files', mode: 'batch' },
  shuffleWriteBytes: { label: 'shuffle bytes written', unit: 'bytes', mode: 'batch' },
  peakMemoryBytes: { label: 'peak memory of the engine services', unit: 'bytes', mode: 'batch' },
  diskWriteBytes: { label: 'bytes the engine services wrote to storage (OS)', unit: 'bytes', mode: 'batch' },
  diskReadBytes: { label: 'bytes the engine services read from storage (OS)', unit: 'bytes', mode: 'batch' },
  // Streaming: one figure per run of the arm (the steady-state window's), so an arm runs `runs` times for a spread.
  latencyP50Ms: { label: 'steady-state latency p50', unit: 'ms', mode: 'streaming' },
  latencyP99Ms: { label: 'steady-state latency p99', unit: 'ms', mode: 'streaming' },
} as const;
export type MetricId = keyof typeof METRICS;
const METRIC_IDS = Object.keys(METRICS) as [MetricId, ...MetricId[]];

/** The `bench run` options a streaming arm may set (each one flag of `bench run`). */
export const STREAMING_ARM_OPTIONS = ['checkpoint-interval', 'trigger-interval'] as const;
const durationText = z.string().regex(/^\d+(ms|s|m)$/, 'a duration such as 200ms, 10s or 2m');

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

const batchFormSchema = z.strictObject({
  scale: z.enum(SCALES),
  repeat: z.int().min(1).max(50),
  warmups: z.int().min(0).max(10).default(1),
});

const streamingFormSchema = z.strictObject({
  rate: z.int().positive().describe('input records per second'),
  duration: durationText.describe('measured stream length (--duration)'),
  warmup: durationText.describe('unmeasured start of each stream (--warmup)'),
  runs: z.int().min(1).max(20).describe('runs of each arm: each run gives one value, the runs give the spread'),
});

const formSchema = z.union([batchFormSchema, streamingFormSchema]);

const armSchema = z.strictObject({
  id,
  engine: z.string().min(1).describe('batch: an engine id; streaming: a streaming variant (`npx bench list`)'),
  submission: z.string().min(1).optional().describe("batch only: a submission path id or family of that engine (default: the quick profile's paths; name one when the engine has several)"),
  settings: z.record(z.string(), z.string()).default({}).describe("engine settings on top of the harness's own (as --engine-setting)"),
  options: z.partialRecord(z.enum(STREAMING_ARM_OPTIONS), durationText).default({}).describe('streaming only: `bench run` options of this arm, e.g. checkpoint-interval: 200ms'),
  description: z.string().min(1).optional(),
});

const ratioRuleSchema = z.strictObject({
  kind: z.literal('ratio'),
  /** Arm ids: the claim is about numerator / denominator. */
  numerator: id,
  denominator: id,
  /** The claim holds when the ratio lies in [low, high] (null: unbounded). */
  supported: z.tuple([z.number().positive().nullable(), z.number().positive().nullable()]),
});

export const ExperimentSpecSchema = z.strictObject({
  id,
  claim: z.string().min(1).describe("the seed's statement, quoted (translated where the seed is in Chinese)"),
  source: z.string().min(1).describe('where the claim is made, e.g. "seed 000, §3.2"'),
  mode: z.enum(['batch', 'streaming']),
  workloads: z.array(id).min(1),
  metric: z.enum(METRIC_IDS),
  arms: z.array(armSchema).min(2),
  verdict: ratioRuleSchema,
  forms: z.strictObject({ quick: formSchema, full: formSchema }),
  needs: z.string().min(1).describe('resources the full form needs, in words'),
});
export type ExperimentSpec = z.infer<typeof ExperimentSpecSchema>;
export type ExperimentArm = ExperimentSpec['arms'][number];
export type ExperimentForm = z.infer<typeof formSchema>;
export type BatchForm = z.infer<typeof batchFormSchema>;
export type StreamingForm = z.infer<typeof streamingFormSchema>;

export const isStreamingForm = (form: ExperimentForm): form is StreamingForm => 'rate' in form;

/** How many `bench run`s one arm is: streaming arms run `runs` times (one value each), batch arms once (a value per repetition). */
export const runsPerArm = (form: ExperimentForm): number => (isStreamingForm(form) ? form.runs : 1);

/** "scale small × 4 repetitions" / "1000 rec/s for 30s after a 10s warm-up, 3 runs per arm". */
export function describeForm(form: ExperimentForm): string {
  return isStreamingForm(form) ? `${form.rate} rec/s for ${form.duration} after a ${form.warmup} warm-up, ${form.runs} run${form.runs === 1 ? '' : 's'} per arm` : `scale ${form.scale} × ${form.repeat} repetition${form.repeat === 1 ? '' : 's'}`;
}

export interface Experiment {
  readonly id: string;
  readonly dir: string;
  readonly file: string;
  readonly spec: ExperimentSpec;
}

function parseExperiment(file: string): ExperimentSpec {
  if (!fs.existsSync(file)) throw new UsageError(`${displayPath(file)}: file not found (an experiment directory needs ${SPEC_FILE})`);
  const text = fs.readFileSync(file, 'utf8');
  const first = text.split('\n').find((line) => line.trim() !== '');
  if (!first?.trimStart().startsWith('#')) throw new UsageError(`${displayPath(file)}: must open with a banner comment (the claim in a sentence, what the arms vary, what would refute it)`);
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new UsageError(`${displayPath(file)}: invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
  const raw: unknown = document.toJS();
  const parsed = ExperimentSpecSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => formatIssue(file, raw, issue)).join('\n'));
  const spec = parsed.data;
  const armIds = spec.arms.map((a) => a.id);
  const duplicate = armIds.find((a, i) => armIds.indexOf(a) !== i);
  if (duplicate) throw new UsageError(`${displayPath(file)}: arms: arm id '${duplicate}' appears twice`);
  for (const field of ['numerator', 'denominator'] as const) {
    if (!armIds.includes(spec.verdict[field])) {
      throw new UsageError(`${displayPath(file)}: verdict.${field}: '${spec.verdict[field]}' is not an arm (arms: ${armIds.join(', ')})`);
    }
  }
  for (const name of ['quick', 'full'] as const) {
    if (isStreamingForm(spec.forms[name]) !== (spec.mode === 'streaming')) {
      const want = spec.mode === 'streaming' ? '{ rate, duration, warmup, runs }' : '{ scale, repeat, warmups }';
      throw new UsageError(`${displayPath(file)}: forms.${name}: a ${spec.mode} experiment's form is ${want}`);
    }
  }
  if (METRICS[spec.metric].mode !== spec.mode) {
    const fitting = METRIC_IDS.filter((m) => METRICS[m].mode === spec.mode);
    throw new UsageError(`${displayPath(file)}: metric: '${spec.metric}' is a ${METRICS[spec.metric].mode} metric; a ${spec.mode} experiment measures one of ${fitting.join(', ')}`);
  }
  const withOptions = spec.mode === 'batch' ? spec.arms.find((a) => Object.keys(a.options).length > 0) : undefined;
  if (withOptions) throw new UsageError(`${displayPath(file)}: arms: '${withOptions.id}': options (${Object.keys(withOptions.options).join(', ')}) are for streaming arms; batch arms vary settings or submission`);
  const [low, high] = spec.verdict.supported;
  if (low === null && high === null) throw new UsageError(`${displayPath(file)}: verdict.supported: at least one bound must be a number`);
  if (low !== null && high !== null && low > high) throw new UsageError(`${displayPath(file)}: verdict.supported: [${low}, ${high}] is empty (low above high)`);
  return spec;
}

/** Loads one experiment by id (under `root`) or by directory path. */
export function loadExperiment(idOrDir: string, root: string = EXPERIMENTS_DIR): Experiment {
  const dir = fs.existsSync(idOrDir) && fs.statSync(idOrDir).isDirectory() ? path.resolve(idOrDir) : path.join(root, idOrDir);
  if (!fs.existsSync(dir)) {
    throw new UsageError(`experiment '${idOrDir}' not found: no directory ${displayPath(dir)} (known experiments: ${listExperimentIds(root).join(', ') || '(none)'})`);
  }
  const file = path.join(dir, SPEC_FILE);
  const spec = parseExperiment(file);
  if (spec.id !== path.basename(dir)) throw new UsageError(`${displayPath(file)}: id: '${spec.id}' must equal the directory name '${path.basename(dir)}'`);
  return { id: spec.id, dir, file, spec };
}

function listExperimentIds(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, SPEC_FILE)))
    .map((e) => e.name)
    .sort();
}

export function listExperiments(root: string = EXPERIMENTS_DIR): Experiment[] {
  return listExperimentIds(root).map((id) => loadExperiment(id, root));
}
