import { describe, expect, it } from 'vitest';
import { buildReport, reportCharts } from './build-report.ts';
import { renderHtml } from './render-html.ts';
import { HOSTILE, batchDocumentWithMetrics, hostileDocument } from './test-fixtures.ts';

const scriptBlocks = (html: string) => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attributes: m[1], body: m[2] }));

describe('renderHtml', () => {
  it('escapes every string from results: a hostile workload name renders as text', () => {
    const html = renderHtml(buildReport([hostileDocument()]));
    // Outside the five script blocks, no markup from the results survives unescaped.
    const outsideScripts = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(outsideScripts).not.toContain('<script');
    expect(outsideScripts).not.toContain('<img');
    expect(outsideScripts).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(outsideScripts).toContain('title="boom &lt;script&gt;alert(1)&lt;/script&gt; &lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"');
    expect(outsideScripts).toContain('&quot;&#39;&gt;&lt;img src=x onerror=alert(3)&gt;');
    // The specs JSON cannot end its script block early, and reads back to the same specs.
    const blocks = scriptBlocks(html);
    expect(blocks.map((b) => b.attributes)).toEqual(['', '', '', ' type="application/json" id="report-specs"', '']);
    const specsJson = blocks[3].body;
    expect(specsJson).not.toMatch(/[<>]/);
    const specs = JSON.parse(specsJson) as Record<string, unknown>;
    expect(JSON.stringify(specs)).toContain(HOSTILE);
    expect(specs).toEqual(Object.fromEntries(reportCharts(buildReport([hostileDocument()])).map((c) => [c.id, c.spec])));
  });

  it('is self-contained: libraries inline, nothing loaded from anywhere, a CSP that forbids it', () => {
    const html = renderHtml(buildReport([batchDocumentWithMetrics()]));
    const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
    expect(markup.match(/<(script|img|link|iframe|object|embed)[^>]+(src|href|data)=/gi)).toBeNull();
    expect(markup.match(/href="[^#][^"]*"/g)).toBeNull();
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    expect(html.includes('sourceMappingURL')).toBe(false);
    const libraries = scriptBlocks(html).slice(0, 3).map((b) => b.body);
    expect(libraries[0]).toContain('.vega={}');
    expect(libraries[1]).toContain('.vegaLite={}');
    expect(libraries[2]).toContain('.vegaEmbed=');
  });

  it('puts one chart container per chart and a table beneath each', () => {
    const report = buildReport([batchDocumentWithMetrics()]);
    const html = renderHtml(report);
    for (const chart of reportCharts(report)) {
      const at = html.indexOf(`data-spec-id="${chart.id}"`);
      expect(at).toBeGreaterThan(0);
      expect(html.indexOf(`<table id="table-${chart.id}">`)).toBeGreaterThan(at);
    }
  });
});

describe('a run with a faulted batch measurement', () => {
  it('keeps it out of the headline and the batch charts and shows it under Faults beside the unfaulted median', () => {
    const document = batchDocumentWithMetrics();
    const unfaulted = document.measurements.find((m) => m.status === 'completed' && m.engine === 'spark')!;
    const faulted = {
      ...unfaulted,
      params: { ...unfaulted.params, faults: 'kill:spark-worker-1@3s' },
      fault: { injected: [{ text: 'kill:spark-worker-1@3s', action: 'kill' as const, service: 'spark-worker-1', atMs: 3000, injectedAtMs: 1_000_003_000 }], executionStartedAtMs: 1_000_000_000 },
    };
    const report = buildReport([{ ...document, measurements: [...document.measurements, faulted] }]);
    const section = (id: string) => report.sections.find((s) => s.id === id);
    const text = (id: string) => JSON.stringify(section(id));
    expect(text('headline')).not.toContain('kill:spark-worker-1@3s');
    expect(text('batch')).not.toContain('kill:spark-worker-1@3s');
    expect(section('faults')!.blocks.map((b) => b.kind)).toEqual(['table']);
    expect(text('faults')).toContain('kill:spark-worker-1@3s');
    expect(JSON.stringify(buildReport([document]).sections.find((s) => s.id === 'headline'))).toBe(text('headline'));
  });
});
