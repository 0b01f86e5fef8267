// Writes a report directory: index.html (self-contained) and specs/<chart-id>.vl.json (the
// vega-lite specs, to open in any vega-lite tool). Used by `bench report` and `bench run`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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
  const html = renderHtml(report, { generatedAt: now.toISOString(), harnessVersion: currentDocument(documents, options.currentRunId).provenance.harness.version });
  mkdirSync(outDir, { recursive: true });
  const specsDir = path.join(outDir, 'specs');
  // Specs of an earlier report into the same directory would otherwise linger.
  rmSync(specsDir, { recursive: true, force: true });
  mkdirSync(specsDir);
  const specFiles = reportCharts(report).map((chart) => {
    const file = path.join(specsDir, `${chart.id}.vl.json`);
    writeFileSync(file, `${JSON.stringify(chart.spec, null, 2)}\n`);
    return file;
  });
  const htmlFile = path.join(outDir, 'index.html');
  writeFileSync(htmlFile, html);
  return { htmlFile, specFiles, htmlBytes: Buffer.byteLength(html), elapsedMs: performance.now() - started };
}

/** Spec files currently in a report directory (for tests and messages). */
export function listSpecFiles(outDir: string): string[] {
  return readdirSync(path.join(outDir, 'specs')).sort();
}
