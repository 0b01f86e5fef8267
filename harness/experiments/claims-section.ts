// The report's "Claims checked" section (pure): per experiment, the claim, its verdict with why,
// and a chart of the ratio per workload against the range the claim allows.
import type { TopLevelSpec } from 'vega-lite';
import type { Cell, Chart, Report, Section } from '../report/model.ts';
import type { ExperimentResult } from './experiment-result.ts';
import type { NotRunExperiment } from './latest-results.ts';
import { describeRange } from './verdict.ts';

const ratioText = (x: number | null) => (x === null ? '—' : x.toFixed(2));

function verdictCell(verdict: ExperimentResult['verdict'], title: string): Cell {
  // Styled like measurement statuses: supported reads as completed, contradicted as invalid.
  return { text: verdict, title, status: verdict === 'supported' ? 'completed' : verdict === 'contradicted' ? 'invalid' : 'unsupported' };
}

export function claimChart(result: ExperimentResult): Chart {
  const [low, high] = result.rule.supported;
  const ratioName = `${result.rule.numerator} / ${result.rule.denominator}`;
  const rows = result.workloads.filter((w) => w.ratio !== null).map((w) => ({ workload: w.workload, ratio: w.ratio!, low: w.spread![0], high: w.spread![1], verdict: w.verdict }));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 360,
    title: { text: `${ratioName}: ${result.metricLabel}`, subtitle: `claim holds in ${describeRange(result.rule.supported)}; bars span every pairing of the repetitions` },
    layer: [
      {
        data: { values: [{ low: low ?? 0, high: high ?? Math.max(2, ...rows.map((r) => r.high)) }] },
        mark: { type: 'rect', opacity: 0.15, color: '#2a9d8f' },
        encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
      {
        data: { values: rows },
        layer: [
          { mark: { type: 'rule' }, encoding: { y: { field: 'workload', type: 'nominal', title: null }, x: { field: 'low', type: 'quantitative', title: ratioName, scale: { zero: true } }, x2: { field: 'high' } } },
          {
            mark: { type: 'point', filled: true, size: 80 },
            encoding: {
              y: { field: 'workload', type: 'nominal' },
              x: { field: 'ratio', type: 'quantitative' },
              color: { field: 'verdict', type: 'nominal', scale: { domain: ['supported', 'contradicted', 'inconclusive'], range: ['#2a9d8f', '#e63946', '#8d99ae'] } },
              tooltip: [{ field: 'workload' }, { field: 'ratio', format: '.2f' }, { field: 'low', format: '.2f' }, { field: 'high', format: '.2f' }, { field: 'verdict' }],
            },
          },
        ],
      },
    ],
  };
  return {
    id: `claim-${result.experiment}`,
    title: result.claim,
    caption: `${result.source}. ${result.form} form: ${result.formText}. Verdict: ${result.verdict} — ${result.why}.`,
    spec,
    table: {
      columns: [{ header: 'Workload' }, { header: `Ratio ${ratioName}`, numeric: true }, { header: 'Spread', numeric: true }, { header: 'p (Mann-Whitney)', numeric: true }, { header: 'Verdict' }, { header: 'Why' }],
      rows: result.workloads.map((w) => [w.workload, ratioText(w.ratio), w.spread ? `${ratioText(w.spread[0])}–${ratioText(w.spread[1])}` : '—', w.pTwoSided === null ? '—' : w.pTwoSided.toFixed(3), verdictCell(w.verdict, w.why), w.why]),
    },
  };
}

/** `notRun`: experiments defined here without a result, listed with what they need and how to run them. */
export function claimsSection(results: readonly ExperimentResult[], notRun: readonly NotRunExperiment[] = []): Section {
  return {
    id: 'claims',
    title: 'Claims checked',
    blocks: [
      {
        kind: 'text',
        paragraphs: [
          'Each claim from the seed documents is an experiment (experiments/<id>/experiment.yaml): arms that differ in one thing, the same workloads and answers checked, and a verdict rule fixed before the run. Supported: the ratio lies in the claimed range and, where the claim says the arms differ, the exact Mann-Whitney test says they do (p < 0.05). Contradicted: the ratio and every pairing of the repetitions lie outside the range. Anything else is inconclusive, with why.',
        ],
      },
      {
        kind: 'table',
        table: {
          id: 'claims-table',
          columns: [{ header: 'Experiment' }, { header: 'Claim' }, { header: 'Source' }, { header: 'Form' }, { header: 'Verdict' }, { header: 'Why' }, { header: 'Arm runs' }],
          rows: results.map((r) => [r.experiment, r.claim, r.source, `${r.form}: ${r.formText}`, verdictCell(r.verdict, r.why), r.why, r.arms.map((a) => `${a.id}: ${a.runs.map((run) => run.runId ?? 'not run').join(' + ') || 'not run'}`).join(', ')]),
        },
      },
      ...(notRun.length === 0
        ? []
        : [
            {
              kind: 'table' as const,
              title: 'Not run yet: no verdict is drawn for these',
              table: {
                id: 'claims-not-run',
                columns: [{ header: 'Experiment' }, { header: 'Claim' }, { header: 'Source' }, { header: 'Needs' }, { header: 'Run it with' }],
                rows: notRun.map((e) => [e.id, e.claim, e.source, e.needs, `npx bench experiment run ${e.id} --quick`]),
              },
            },
          ]),
      ...results.map((r) => ({ kind: 'chart' as const, chart: claimChart(r) })),
    ],
  };
}

export function experimentReport(results: readonly ExperimentResult[], notRun: readonly NotRunExperiment[] = []): Report {
  const first = results[0];
  return {
    title: results.length === 1 && first && notRun.length === 0 ? `Claim checked — ${first.experiment}` : 'Claims checked',
    subtitle: [...results.map((r) => `${r.experiment}: ${r.verdict}`), ...(notRun.length > 0 ? [`${notRun.length} not run`] : [])].join(' · '),
    sections: [claimsSection(results, notRun)],
  };
}
