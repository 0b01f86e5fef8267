// What one `bench run` will do, per mode: which engines and which workloads. `--mode all` (the
// nightly profile) runs the batch part and then the streaming part into the same results
// document; an engine id belongs to every mode that knows it (`flink` is a batch engine and a
// streaming variant), a workload to every mode its workload.yaml lists.
import { BATCH_ENGINE_IDS, STREAMING_VARIANT_IDS, SUBMISSION_PATHS } from '../engines/index.ts';
import type { SubmissionFamily } from '../engines/engine.ts';
import type { Workload } from '../workloads/load.ts';
import { UsageError } from '../errors.ts';

export const RUN_MODES = ['batch', 'streaming', 'all'] as const;
export type RunMode = (typeof RUN_MODES)[number];
export type MeasurementMode = Exclude<RunMode, 'all'>;

const ENGINES_OF: Readonly<Record<MeasurementMode, readonly string[]>> = { batch: BATCH_ENGINE_IDS, streaming: STREAMING_VARIANT_IDS };

export interface ModePlan {
  readonly mode: MeasurementMode;
  readonly engines: readonly string[];
  readonly workloads: readonly Workload[];
  /** Batch: the submission path ids to run (`--submission`); absent = every path of the engines. */
  readonly paths?: readonly string[];
}

/** The family names `--submission` accepts besides path ids (every family some path has). */
export const SUBMISSION_FAMILIES: readonly SubmissionFamily[] = ['session', 'job', 'client', 'in-process'];

/**
 * `--submission LIST` to path ids: each name is a path id (`spark-submit`) or a family
 * (`session`, `job`, `client`, `in-process`) standing for every path of that family. Ids come back in the
 * engines' own order, each once; an unknown name is a usage error naming the choices.
 */
export function selectSubmissionPaths(names: readonly string[]): string[] {
  const ids = SUBMISSION_PATHS.map((p) => p.path.id);
  for (const name of names) {
    if (!ids.includes(name) && !(SUBMISSION_FAMILIES as readonly string[]).includes(name)) {
      throw new UsageError(`--submission: unknown path or family '${name}'; choose from ${[...ids, ...SUBMISSION_FAMILIES].join(', ')}`);
    }
  }
  return SUBMISSION_PATHS.filter((p) => names.includes(p.path.id) || names.includes(p.path.family)).map((p) => p.path.id);
}

/**
 * The parts of the run in order (batch before streaming); a part with no engine or no workload
 * is left out. `workloadsFromProfile`: the ids are a profile's list, not the user's — ids of
 * another mode are then skipped (`--profile nightly --mode batch` keeps its batch workloads)
 * instead of refused.
 */
export function planRun(
  mode: RunMode,
  engineIds: readonly string[] | undefined,
  workloadIds: readonly string[] | undefined,
  available: readonly Workload[],
  workloadsFromProfile = false,
  submissions?: readonly string[],
): ModePlan[] {
  const paths = submissions ? selectSubmissionPaths(submissions) : undefined;
  // A batch engine none of whose paths is chosen is left out of the batch part.
  const hasChosenPath = (engine: string) => !paths || SUBMISSION_PATHS.some((p) => p.engine.id === engine && paths.includes(p.path.id));
  const modes: MeasurementMode[] = mode === 'all' ? ['batch', 'streaming'] : [mode];
  const known = [...new Set(modes.flatMap((m) => ENGINES_OF[m]))];
  for (const engine of engineIds ?? []) {
    if (!known.includes(engine)) throw new UsageError(`--engines: '${engine}' is not a ${modes.join(' or ')} engine; choose from ${known.join(', ')}`);
  }
  const candidates = available.filter((w) => modes.some((m) => w.spec.modes.includes(m)));
  const chosen = workloadIds
    ? workloadIds.filter((id) => !workloadsFromProfile || candidates.some((w) => w.id === id)).map((id) => {
        const found = candidates.find((w) => w.id === id);
        if (!found) throw new UsageError(`--workloads: no ${modes.join(' or ')} workload '${id}'; available: ${candidates.map((w) => w.id).join(', ')}`);
        return found;
      })
    : candidates;
  const plans = modes
    .map((m) => ({
      mode: m,
      engines: (engineIds ? engineIds.filter((e) => ENGINES_OF[m].includes(e)) : [...ENGINES_OF[m]]).filter((e) => m !== 'batch' || hasChosenPath(e)),
      workloads: chosen.filter((w) => w.spec.modes.includes(m)),
      ...(m === 'batch' && paths ? { paths } : {}),
    }))
    .filter((p) => p.engines.length > 0 && p.workloads.length > 0);
  if (plans.length === 0) {
    if (paths && modes.includes('batch')) {
      throw new UsageError(`nothing to run: no engine in --engines (${(engineIds ?? BATCH_ENGINE_IDS).join(', ')}) has a path chosen by --submission (${(submissions ?? []).join(', ')}) and runs any of the chosen workloads (${chosen.map((w) => w.id).join(', ')})`);
    }
    throw new UsageError(`nothing to run: no ${modes.join(' or ')} engine in --engines (${(engineIds ?? []).join(', ')}) runs any of the chosen workloads (${chosen.map((w) => w.id).join(', ')})`);
  }
  return plans;
}
