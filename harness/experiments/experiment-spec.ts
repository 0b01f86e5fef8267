// An experiment is data (experiments/<id>/experiment.yaml): a claim from the seeds, quoted with
// its source, the arms that test it (engine, submission path, engine settings), what is measured
// and the verdict rule. A new experiment is a new folder; this file is the only schema.
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
  wallMs: { label: 'wall time', unit: 'ms' },
  engineMs: { label: 'engine time', unit: 'ms' },
  cpuSeconds: { label: 'CPU time of the engine services', unit: 'core-s' },
  filesCreated: { label: "files created in the engines' local dirs", unit: 'files' },
  shuffleWriteBytes: { label: 'shuffle bytes written', unit: 'bytes' },
  peakMemoryBytes: { label: 'peak memory of the engine services', unit: 'bytes' },
} as const;
export type MetricId = keyof typeof METRICS;
const METRIC_IDS = Object.keys(METRICS) as [MetricId, ...MetricId[]];

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

const formSchema = z.strictObject({
  scale: z.enum(SCALES),
  repeat: z.int().min(1).max(50),
  warmups: z.int().min(0).max(10).default(1),
});

const armSchema = z.strictObject({
  id,
  engine: z.string().min(1).describe('a batch engine id (`npx bench list`)'),
  submission: z.string().min(1).optional().describe('a submission path id or family of that engine (default: all its paths)'),
  settings: z.record(z.string(), z.string()).default({}).describe("engine settings on top of the harness's own (as --engine-setting)"),
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
  mode: z.literal('batch'),
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
