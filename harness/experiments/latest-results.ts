// Every experiment's newest verdict, for one "Claims checked" report over all of them: the result
// files under results/experiments/ (one per `bench experiment run`), the newest per experiment,
// and the experiments defined here that have no result yet (with what they would need).
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { displayPath } from '../workloads/load.ts';
import { EXPERIMENT_RESULT_VERSION, experimentResultSchema, type ExperimentResult } from './experiment-result.ts';
import type { Experiment } from './experiment-spec.ts';

export interface StoredExperimentResult {
  readonly file: string;
  readonly result: ExperimentResult;
}

export interface ExperimentResultsRead {
  readonly stored: readonly StoredExperimentResult[];
  /** Files of another result version (an older or newer harness): left alone, named so the user can re-run them. */
  readonly otherVersion: readonly string[];
}

/** Reads every result file in `dir` (none when it does not exist). A file that is not a result is an error naming it. */
export function readExperimentResults(dir: string): ExperimentResultsRead {
  if (!fs.existsSync(dir)) return { stored: [], otherVersion: [] };
  const stored: StoredExperimentResult[] = [];
  const otherVersion: string[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${displayPath(file)}: not JSON (${(error as Error).message}); delete it or re-run its experiment`);
    }
    const version = (raw as { experimentResultVersion?: unknown } | null)?.experimentResultVersion;
    if (typeof version === 'number' && version !== EXPERIMENT_RESULT_VERSION) {
      otherVersion.push(file);
      continue;
    }
    const parsed = experimentResultSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new UsageError(`${displayPath(file)}: not an experiment result: ${issue.path.join('.') || '(top level)'}: ${issue.message}; delete it or re-run its experiment`);
    }
    stored.push({ file, result: parsed.data });
  }
  return { stored, otherVersion };
}

/** The newest result of each experiment (by start time), ordered by experiment id. Pure. */
export function newestPerExperiment(stored: readonly StoredExperimentResult[]): StoredExperimentResult[] {
  const newest = new Map<string, StoredExperimentResult>();
  for (const one of stored) {
    const seen = newest.get(one.result.experiment);
    if (!seen || one.result.startedAt > seen.result.startedAt) newest.set(one.result.experiment, one);
  }
  return [...newest.values()].sort((a, b) => a.result.experiment.localeCompare(b.result.experiment));
}

export interface NotRunExperiment {
  readonly id: string;
  readonly claim: string;
  readonly source: string;
  readonly needs: string;
}

/** The defined experiments with no result among `results`. Pure. */
export function experimentsNotRun(defined: readonly Experiment[], results: readonly ExperimentResult[]): NotRunExperiment[] {
  const run = new Set(results.map((r) => r.experiment));
  return defined.filter((e) => !run.has(e.id)).map((e) => ({ id: e.id, claim: e.spec.claim, source: e.spec.source, needs: e.spec.needs }));
}
