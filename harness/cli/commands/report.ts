// `bench report <run-id|dir…> [--out DIR] [--history s3://…|DIR [--limit N]]`: results
// documents → reports/<run-id>/index.html (+ specs/). Several runs (or a directory of runs,
// or the last N runs of a history) add the trend across them; the report is about the newest
// run given, or the newest in the history when no run is given.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { reportsDir, resultsDir } from '../../paths.ts';
import { loadRecentRuns } from '../../publish/load-runs.ts';
import { PUBLISH_OPTIONS } from '../../publish/options.ts';
import { currentDocument } from '../../report/build-report.ts';
import { writeReport, type WrittenReport } from '../../report/write-report.ts';
import { RESULTS_FILE, ResultsStore } from '../../results/store.ts';
import type { ResultsDocument } from '../../results/schema.ts';
import { BenchError, UsageError } from '../../errors.ts';
import { toCommanderOption } from '../shared-options.ts';

/** Runs a history trend shows when --limit is not given. */
export const DEFAULT_TREND_RUNS = 10;

/**
 * Each argument is a run id (under results/), a run directory, a results.json, or a
 * directory of run directories (a results history: every run in it is loaded).
 */
export function loadDocuments(args: readonly string[], resultsRoot: string = resultsDir()): ResultsDocument[] {
  if (args.length === 0) throw new UsageError('name at least one run id or results directory (e.g. `npx bench report 20261122-031500-ab12`)');
  const documents: ResultsDocument[] = [];
  for (const arg of args) {
    if (isHistoryDirectory(arg)) {
      const runs = readdirSync(arg)
        .filter((name) => existsSync(path.join(arg, name, RESULTS_FILE)))
        .sort();
      if (runs.length === 0) throw new UsageError(`${arg} holds no run directories with a ${RESULTS_FILE}`);
      documents.push(...runs.map((name) => ResultsStore.load(path.join(arg, name))));
    } else {
      documents.push(ResultsStore.load(arg, { resultsDir: resultsRoot }));
    }
  }
  const seen = new Set<string>();
  return documents.filter((d) => (seen.has(d.runId) ? false : (seen.add(d.runId), true)));
}

function isHistoryDirectory(arg: string): boolean {
  return existsSync(arg) && statSync(arg).isDirectory() && !existsSync(path.join(arg, RESULTS_FILE));
}

export interface ReportSources {
  /** Run ids, run directories, results.json files or directories of runs (loadDocuments). */
  runs: readonly string[];
  /** A results directory or s3://bucket/prefix whose last `limit` runs feed the trend. */
  history?: string;
  limit?: number;
  s3Endpoint?: string;
  resultsDir?: string;
}

/**
 * The documents a report draws on and the run it is about: the newest run given, or — with
 * only a history — the newest run in it. Runs given and history runs are merged by run id.
 */
export async function gatherDocuments(sources: ReportSources): Promise<{ documents: ResultsDocument[]; currentRunId: string }> {
  if (sources.runs.length === 0 && sources.history === undefined) {
    throw new UsageError('name at least one run id or results directory, or --history s3://bucket/prefix|DIR (e.g. `npx bench report 20261122-031500-ab12`)');
  }
  const given = sources.runs.length > 0 ? loadDocuments(sources.runs, sources.resultsDir) : [];
  const limit = sources.limit ?? DEFAULT_TREND_RUNS;
  if (limit < 1) throw new UsageError(`--limit: ${limit} runs leaves nothing to draw; give 1 or more`);
  const history = sources.history === undefined ? [] : await loadRecentRuns(sources.history, { limit, s3: { endpoint: sources.s3Endpoint } });
  if (sources.history !== undefined && history.length === 0 && given.length === 0) {
    throw new UsageError(`${sources.history} holds no runs (\`npx bench history ${sources.history}\` lists what is there)`);
  }
  const currentRunId = currentDocument(given.length > 0 ? given : history).runId;
  const byRunId = new Map<string, ResultsDocument>();
  for (const document of [...given, ...history]) if (!byRunId.has(document.runId)) byRunId.set(document.runId, document);
  return { documents: [...byRunId.values()], currentRunId };
}

export function reportFor(documents: readonly ResultsDocument[], outDir?: string, currentRunId?: string): WrittenReport {
  const target = outDir ?? path.join(reportsDir(), currentDocument(documents, currentRunId).runId);
  return writeReport(documents, target, new Date(), { currentRunId });
}

export function describeWritten(written: WrittenReport): string {
  const kib = (written.htmlBytes / 1024).toFixed(0);
  return `report: ${written.htmlFile} (${kib} KiB; ${written.specFiles.length} chart spec(s) in specs/ beside it; ${written.elapsedMs.toFixed(0)} ms)\n`;
}

export function registerReport(program: Command): void {
  const command = program
    .command('report')
    .description('write reports/<run-id>/index.html (self-contained, offline) from one or more runs; several runs or --history add trends')
    .argument('[runs...]', 'run ids under results/, run directories, results.json files, or a directory of runs')
    .option('--out <dir>', 'output directory (default: reports/<current run id>)')
    .option('--history <source>', `s3://bucket/prefix (published runs) or a results directory: draw trends across its last --limit runs (default ${DEFAULT_TREND_RUNS}); the report is about the newest run given, else the newest in the history`);
  for (const key of ['limit', 's3Endpoint'] as const) command.addOption(toCommanderOption(PUBLISH_OPTIONS[key]));
  command.action(async (runs: string[], flags: { out?: string; history?: string; limit?: number; s3Endpoint?: string }) => {
    const { documents, currentRunId } = await gatherDocuments({ runs, history: flags.history, limit: flags.limit, s3Endpoint: flags.s3Endpoint });
    process.stdout.write(describeWritten(reportFor(documents, flags.out, currentRunId)));
  });
}
