// Writes a report directory: index.html (self-contained) and specs/<chart-id>.vl.json (the
// vega-lite specs, to open in any vega-lite tool). Used by `bench report` and `bench run`.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { asFileSystemError } from '../file-system-error.ts';
import type { ResultsDocument } from '../results/schema.ts';
import { buildReport, currentDocument, reportCharts, type ReportOptions } from './build-report.ts';
import { renderHtml } from './render-html.ts';

export interface WrittenReport {
  htmlFile: string;
  specFiles: string[];
  htmlBytes: number;
  /** Time to build and render (ms), for the record. */
  elapsedMs: number;
}

export function writeReport(documents: readonly ResultsDocument[], outDir: string, now: Date = new Date(), options: ReportOptions = {}): WrittenReport {
  const started = performance.now();
  const report = buildReport(documents, options);
  const current = currentDocument(documents, options.currentRunId);
  const html = renderHtml(report, { generatedAt: now.toISOString(), harnessVersion: current.provenance.harness.version });
  const specsDir = path.join(outDir, 'specs');
  const htmlFile = path.join(outDir, 'index.html');
  // The page goes to a temp name first: a full disk leaves no half page where a reader looks.
  const temporary = `${htmlFile}.${process.pid}.tmp`;
  let target = outDir;
  let operation = 'create directory';
  try {
    mkdirSync(outDir, { recursive: true });
    // Specs of an earlier report into the same directory would otherwise linger.
    rmSync(specsDir, { recursive: true, force: true });
    target = specsDir;
    mkdirSync(specsDir);
    operation = 'write';
    const specFiles = reportCharts(report).map((chart) => {
      const file = path.join(specsDir, `${chart.id}.vl.json`);
      target = file;
      writeFileSync(file, `${JSON.stringify(chart.spec, null, 2)}\n`);
      return file;
    });
    target = htmlFile;
    writeFileSync(temporary, html);
    renameSync(temporary, htmlFile);
    return { htmlFile, specFiles, htmlBytes: Buffer.byteLength(html), elapsedMs: performance.now() - started };
  } catch (error) {
    rmSync(temporary, { force: true });
    const failure = asFileSystemError(error, { operation, path: target, lost: 'the report was not written', hint: `then run \`npx bench report ${current.runId}\`` });
    if (!failure) throw error;
    // Half a report (specs without their page) would pass for a report: leave none.
    rmSync(specsDir, { recursive: true, force: true });
    throw failure;
  }
}

/** Spec files currently in a report directory (for tests and messages). */
export function listSpecFiles(outDir: string): string[] {
  return readdirSync(path.join(outDir, 'specs')).sort();
}
