// Report → one self-contained HTML file: vega, vega-lite and vega-embed inlined from
// node_modules, specs embedded as JSON, no network (a CSP forbids it), opens from file://.
// Every string that came from results (workload names, reasons, settings) is escaped here.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { escapeHtml, jsonForScript } from './format.ts';
import { reportCharts } from './build-report.ts';
import type { Block, Cell, Chart, Report, Section, Table } from './model.ts';

const LIBRARIES = [
  { name: 'vega', file: 'build/vega.min.js' },
  { name: 'vega-lite', file: 'build/vega-lite.min.js' },
  { name: 'vega-embed', file: 'build/vega-embed.min.js' },
] as const;

let libraryCache: string[] | undefined;

/** The minified browser bundles, as found in node_modules (cached per process). */
export function chartLibraries(): string[] {
  if (libraryCache) return libraryCache;
  const require = createRequire(import.meta.url);
  libraryCache = LIBRARIES.map(({ name, file }) => {
    const packageDir = packageRoot(name, require.resolve(name));
    const location = path.join(packageDir, file);
    let code: string;
    try {
      code = readFileSync(location, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the ${name} browser bundle ${location}: ${(error as Error).message} (is ${name} installed? run npm install)`);
    }
    // Source-map comments would point at files that are not shipped with the report.
    code = code.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
    if (/<\/script|<!--/i.test(code)) {
      throw new Error(`${location} contains "</script" or "<!--", which would break out of an inline <script>; the report cannot inline it`);
    }
    return code;
  });
  return libraryCache;
}

// Some packages do not export ./package.json: walk up from the entry point instead.
function packageRoot(name: string, entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return dir;
  }
  throw new Error(`Cannot find the ${name} package directory above ${entry}`);
}

// No network at all: data, scripts and styles are inline. Vega compiles expressions with
// Function(), hence 'unsafe-eval'.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

const STYLE = `
:root { --fg: #1d1d1f; --muted: #5f6368; --line: #dadce0; --bg-alt: #f7f7f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
header, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 10px; }
nav { display: flex; flex-wrap: wrap; gap: 14px; padding: 8px 0 12px; }
nav a { color: #1a56b0; text-decoration: none; }
section { padding: 8px 0 16px; border-bottom: 1px solid var(--line); }
h2 { font-size: 18px; margin: 18px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
figure { margin: 0 0 20px; }
.caption { color: var(--muted); margin: 0 0 8px; max-width: 900px; }
.vega-chart { overflow-x: auto; min-height: 40px; }
.vega-chart[data-rendered="error"] { color: #b00020; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td[title] { text-decoration: underline dotted; cursor: help; }
.status-completed { color: #1b5e20; }
.status-invalid { color: #b71c1c; font-weight: 600; }
.status-failed { color: #bf360c; font-weight: 600; }
.status-timed-out { color: #8d6e00; font-weight: 600; }
.status-unsupported { color: #616161; font-style: italic; }
details > summary { cursor: pointer; color: var(--muted); margin: 4px 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; max-width: 1000px; }
dt { font-weight: 600; }
dd { margin: 0; }
footer { color: var(--muted); padding: 12px 20px 30px; }
`;

// Renders every chart container; marks each as rendered or error so a reader (and the
// browser test) can tell. A chart that fails leaves its table, which has the same numbers.
const BOOT_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('report-specs').textContent);
  // Page-level styling only (fonts); the specs beside the report carry the content.
  var CHART_CONFIG = {
    font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
    axis: { labelFontSize: 12, titleFontSize: 12 },
    legend: { labelFontSize: 12, titleFontSize: 12 },
    header: { labelFontSize: 13, titleFontSize: 12 },
    title: { fontSize: 15, subtitleFontSize: 12, anchor: 'start' }
  };
  var containers = document.querySelectorAll('[data-spec-id]');
  var pending = [];
  for (var i = 0; i < containers.length; i++) {
    (function (el) {
      var spec = specs[el.getAttribute('data-spec-id')];
      pending.push(vegaEmbed(el, spec, { actions: false, renderer: 'svg', mode: 'vega-lite', config: CHART_CONFIG }).then(function () {
        el.setAttribute('data-rendered', 'true');
      }).catch(function (error) {
        el.setAttribute('data-rendered', 'error');
        el.textContent = 'This chart could not be drawn (' + error.message + '); the table below has the same numbers.';
        console.error(error);
      }));
    })(containers[i]);
  }
  Promise.all(pending).then(function () { document.body.setAttribute('data-charts-done', 'true'); });
})();
`;

export interface RenderOptions {
  /** Printed in the footer; omitted when not given (keeps output reproducible in tests). */
  generatedAt?: string;
  harnessVersion?: string;
}

export function renderHtml(report: Report, options: RenderOptions = {}): string {
  const specs = Object.fromEntries(reportCharts(report).map((chart) => [chart.id, chart.spec]));
  const scripts = chartLibraries().map((code) => `<script>${code}</script>`).join('\n');
  const footer = [
    'Generated by spark-flink-bench',
    options.harnessVersion ? ` ${escapeHtml(options.harnessVersion)}` : '',
    options.generatedAt ? ` at ${escapeHtml(options.generatedAt)}` : '',
    '. The chart specs are in specs/ beside this file.',
  ].join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<title>${escapeHtml(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(report.title)}</h1>
<p class="subtitle">${escapeHtml(report.subtitle)}</p>
<nav>${report.sections.map((s) => `<a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a>`).join('')}</nav>
</header>
<main>
${report.sections.map(renderSection).join('\n')}
</main>
<footer>${footer}</footer>
${scripts}
<script type="application/json" id="report-specs">${jsonForScript(specs)}</script>
<script>${BOOT_SCRIPT}</script>
</body>
</html>
`;
}

function renderSection(section: Section): string {
  return `<section id="${escapeHtml(section.id)}">
<h2>${escapeHtml(section.title)}</h2>
${section.blocks.map(renderBlock).join('\n')}
</section>`;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'chart':
      return renderChart(block.chart);
    case 'table':
      return `${block.title ? `<h3>${escapeHtml(block.title)}</h3>\n` : ''}${renderTable(block.table, block.table.id)}`;
    case 'text':
      return block.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
    case 'definitions':
      return `<dl>${block.items.map((item) => `<dt>${escapeHtml(item.term)}</dt><dd>${escapeHtml(item.description)}</dd>`).join('')}</dl>`;
  }
}

function renderChart(chart: Chart): string {
  const id = escapeHtml(chart.id);
  return `<figure id="figure-${id}">
<h3>${escapeHtml(chart.title)}</h3>
${chart.caption ? `<p class="caption">${escapeHtml(chart.caption)}</p>\n` : ''}<div class="vega-chart" id="chart-${id}" data-spec-id="${id}" role="img" aria-label="${escapeHtml(chart.title)}"></div>
<details${chart.table.collapsed ? '' : ' open'}><summary>Table: the numbers in this chart (${chart.table.rows.length} rows)</summary>
${renderTable(chart.table, `table-${chart.id}`)}
</details>
</figure>`;
}

function renderTable(table: Table, id: string | undefined): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, i) => renderCell(cell, table.columns[i]?.numeric === true)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap"><table${id ? ` id="${escapeHtml(id)}"` : ''}><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function renderCell(cell: Cell, numeric: boolean): string {
  const text = typeof cell === 'string' ? cell : cell.text;
  const classes = [numeric ? 'num' : '', typeof cell !== 'string' && cell.status ? `status-${cell.status}` : ''].filter(Boolean);
  const title = typeof cell !== 'string' && cell.title ? ` title="${escapeHtml(cell.title)}"` : '';
  return `<td${classes.length ? ` class="${escapeHtml(classes.join(' '))}"` : ''}${title}>${escapeHtml(text)}</td>`;
}
