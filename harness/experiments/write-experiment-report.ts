// Writes an experiment's report: reports/experiments/<result file name>/index.html with its specs.
import fs from 'node:fs';
import path from 'node:path';
import { renderHtml } from '../report/render-html.ts';
import { reportCharts } from '../report/build-report.ts';
import { reportsDir } from '../paths.ts';
import type { ExperimentResult } from './experiment-result.ts';
import { experimentReport } from './claims-section.ts';
import type { NotRunExperiment } from './latest-results.ts';

export function writeExperimentReport(results: readonly ExperimentResult[], name: string, now = new Date(), notRun: readonly NotRunExperiment[] = [], outDir = path.join(reportsDir(), 'experiments', name)): string {
  const report = experimentReport(results, notRun);
  fs.mkdirSync(path.join(outDir, 'specs'), { recursive: true });
  for (const chart of reportCharts(report)) fs.writeFileSync(path.join(outDir, 'specs', `${chart.id}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`);
  const file = path.join(outDir, 'index.html');
  fs.writeFileSync(`${file}.tmp`, renderHtml(report, { generatedAt: now.toISOString() }));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
