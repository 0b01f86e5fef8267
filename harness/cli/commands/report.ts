// `bench report <run-id|dir…> [--out DIR]`: results documents → reports/<run-id>/index.html
// (+ specs/). Several runs (or a directory of runs) add the trend across them; the newest
// run is the one the report is about.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { reportsDir, resultsDir } from '../../paths.ts';
import { currentDocument } from '../../report/build-report.ts';
import { writeReport, type WrittenReport } from '../../report/write-report.ts';
import { RESULTS_FILE, ResultsStore } from '../../results/store.ts';
import type { ResultsDocument } from '../../results/schema.ts';
import { ExitError, EXIT_USAGE } from '../exit-error.ts';

/**
 * Each argument is a run id (under results/), a run directory, a results.json, or a
 * directory of run directories (a results history: every run in it is loaded).
 */
export function loadDocuments(args: readonly string[], resultsRoot: string = resultsDir()): ResultsDocument[] {
  if (args.length === 0) throw new ExitError('name at least one run id or results directory (e.g. `npx bench report 20261122-031500-ab12`)', EXIT_USAGE);
  const documents: ResultsDocument[] = [];
  for (const arg of args) {
    if (isHistoryDirectory(arg)) {
      const runs = readdirSync(arg)
        .filter((name) => existsSync(path.join(arg, name, RESULTS_FILE)))
        .sort();
      if (runs.length === 0) throw new ExitError(`${arg} holds no run directories with a ${RESULTS_FILE}`, EXIT_USAGE);
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

export function reportFor(documents: readonly ResultsDocument[], outDir?: string): WrittenReport {
  const target = outDir ?? path.join(reportsDir(), currentDocument(documents).runId);
  return writeReport(documents, target);
}

export function describeWritten(written: WrittenReport): string {
  const kib = (written.htmlBytes / 1024).toFixed(0);
  return `report: ${written.htmlFile} (${kib} KiB; ${written.specFiles.length} chart spec(s) in specs/ beside it; ${written.elapsedMs.toFixed(0)} ms)\n`;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write reports/<run-id>/index.html (self-contained, offline) from one or more runs; several runs add trends')
    .argument('<runs...>', 'run ids under results/, run directories, results.json files, or a directory of runs')
    .option('--out <dir>', 'output directory (default: reports/<newest run id>)')
    .action((runs: string[], flags: { out?: string }) => {
      const documents = loadDocuments(runs);
      process.stdout.write(describeWritten(reportFor(documents, flags.out)));
    });
}
