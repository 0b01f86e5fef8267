// The report in a real browser: headless Debian chromium (playwright-core, no downloads),
// offline, from file://. Every chart container must hold a rendered SVG, nothing may log an
// error or request anything, the headline must read as expected, and hostile strings must
// stay text. A screenshot is kept for a human look.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../results/schema.ts';
import { ResultsStore } from '../results/store.ts';
import { HOSTILE, batchDocumentWithMetrics, hostileDocument, olderBatchDocument, streamingDocument } from './test-fixtures.ts';
import { writeReport } from './write-report.ts';
import { headlineTable } from './specs/headline.ts';
import { cellText } from './model.ts';
import { orderEngines } from './palette.ts';

const CHROMIUM = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const OUTPUT_DIR = path.join(os.tmpdir(), 'spark-flink-bench-report-test');
const TESTDATA = path.join(import.meta.dirname, 'testdata');

/** Results documents of real runs committed as test data (testdata/*.json). */
function realRuns(): ResultsDocument[] {
  if (!existsSync(TESTDATA)) return [];
  return readdirSync(TESTDATA)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ResultsStore.load(path.join(TESTDATA, f)));
}

interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  requests: string[];
  dialogs: string[];
}

async function openReport(browser: Browser, htmlFile: string): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], requests: [], dialogs: [] };
  const self = pathToFileURL(htmlFile).href;
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  page.on('request', (request) => {
    if (request.url() !== self) problems.requests.push(request.url());
  });
  page.on('requestfailed', (request) => problems.requests.push(`FAILED ${request.url()}`));
  page.on('dialog', (dialog) => {
    problems.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(self);
  await page.waitForSelector('body[data-charts-done="true"]', { timeout: 60_000 });
  return { page, problems };
}

/** Per chart container: render state and how many SVG shapes it drew. */
async function chartStates(page: Page) {
  return page.$$eval('[data-spec-id]', (elements) =>
    elements.map((el) => ({
      id: el.getAttribute('data-spec-id'),
      rendered: el.getAttribute('data-rendered'),
      shapes: el.querySelectorAll('svg path, svg rect, svg line, svg text').length,
    })),
  );
}

async function tableCells(page: Page, tableId: string): Promise<string[][]> {
  return page.$$eval(`#${tableId} tr`, (rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));
}

describe('report in headless chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install the Debian package \`chromium\` (apt-get install -y chromium), or set BENCH_CHROMIUM`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(OUTPUT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart of a batch run (fixture + older run for trends) offline, without errors', async () => {
    const written = writeReport([olderBatchDocument(), batchDocumentWithMetrics()], path.join(OUTPUT_DIR, 'batch'));
    const { page, problems } = await openReport(browser, written.htmlFile);
    const states = await chartStates(page);
    expect(states.map((s) => s.id)).toEqual(['batch-time', 'batch-time-split', 'resource-cpuSeconds', 'resource-peakMemory', 'resource-shuffleReadBytes', 'resource-shuffleWriteBytes', 'resource-spilledBytes', 'resource-shuffleSpillFiles', 'resource-shuffleSpillFileBytes', 'support-matrix', 'trends']);
    for (const state of states) {
      expect(state.rendered, state.id ?? '').toBe('true');
      expect(state.shapes, state.id ?? '').toBeGreaterThan(5);
    }
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], requests: [], dialogs: [] });
    const headline = await tableCells(page, 'headline-table');
    // The page shows exactly the headline table the pure builder makes (its strings are tested in headline.test.ts).
    const current = batchDocumentWithMetrics();
    const expected = headlineTable(current.measurements, orderEngines(current.measurements.map((m) => m.engine)));
    expect(headline).toEqual([expected.columns.map((c) => c.header), ...expected.rows.map((row) => row.map(cellText))]);
    const screenshot = path.join(OUTPUT_DIR, 'batch-report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`report screenshot: ${screenshot}\n`);
    await page.context().close();
  });

  it('renders every streaming chart', async () => {
    const written = writeReport([streamingDocument()], path.join(OUTPUT_DIR, 'streaming'));
    const { page, problems } = await openReport(browser, written.htmlFile);
    const states = await chartStates(page);
    expect(states.map((s) => s.id)).toEqual(['streaming-latency-percentiles', 'streaming-latency-cdf', 'streaming-rate-search', 'streaming-startup', 'streaming-time-series-passthrough', 'streaming-checkpoints-passthrough', 'resource-cpuSeconds', 'resource-peakMemory', 'resource-shuffleWriteBytes', 'support-matrix']);
    for (const state of states) expect([state.id, state.rendered, state.shapes > 5]).toEqual([state.id, 'true', true]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], requests: [], dialogs: [] });
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'streaming-report.png'), fullPage: true });
    await page.context().close();
  });

  it('shows hostile names from results as text and runs none of them', async () => {
    const written = writeReport([hostileDocument()], path.join(OUTPUT_DIR, 'hostile'));
    const { page, problems } = await openReport(browser, written.htmlFile);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], requests: [], dialogs: [] });
    const headline = await tableCells(page, 'headline-table');
    expect(headline[1].slice(0, 2)).toEqual([HOSTILE, 'batch']);
    expect(await page.$$eval('img', (images) => images.length)).toBe(0);
    // The only scripts are the report's own five (three libraries, the specs, the boot script).
    expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(5);
    // The chart drew the hostile workload name as SVG text, not markup.
    const facetTitles = await page.$$eval('#chart-batch-time svg text', (texts) => texts.map((t) => t.textContent));
    expect(facetTitles).toContain(HOSTILE);
    await page.context().close();
  });

  const real = realRuns();
  it.skipIf(real.length === 0)('renders a report of a real run (testdata/)', async () => {
    const written = writeReport(real, path.join(OUTPUT_DIR, 'real'));
    const { page, problems } = await openReport(browser, written.htmlFile);
    const states = await chartStates(page);
    expect(states.length).toBeGreaterThan(1);
    for (const state of states) expect([state.id, state.rendered, state.shapes > 5]).toEqual([state.id, 'true', true]);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], requests: [], dialogs: [] });
    const headline = await tableCells(page, 'headline-table');
    const current = real.at(-1)!;
    const workloads = [...new Set(current.measurements.map((m) => m.workload))];
    expect([...new Set(headline.slice(1).map((row) => row[0]))]).toEqual(workloads);
    await page.screenshot({ path: path.join(OUTPUT_DIR, 'real-report.png'), fullPage: true });
    await page.context().close();
  });
});
