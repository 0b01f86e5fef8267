import { describe, expect, it } from 'vitest';
import { escapeHtml, formatBytes, formatNumber, formatRatio, formatSeconds, jsonForScript } from './format.ts';

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  });
});

describe('jsonForScript', () => {
  it('cannot close or comment out a script block, and parses back to the same value', () => {
    const value = { name: '</script><script>alert(1)</script>', comment: '<!-- x -->', amp: 'a&b', separators: '\u2028\u2029' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('number formatting', () => {
  it('keeps three significant digits without exponents', () => {
    expect([4.5, 10, 1234.5, 0.012345, 0, -2.5].map((v) => formatNumber(v))).toEqual(['4.50', '10.0', '1,235', '0.0123', '0', '-2.50']);
  });
  it('formats seconds, ratios and bytes with units', () => {
    expect(formatSeconds(4500)).toBe('4.50 s');
    expect([2.2222, 28.31, 4214.67].map(formatRatio)).toEqual(['2.22×', '28.3×', '4,215×']);
    expect([512, 1536, 3 * 2 ** 20].map(formatBytes)).toEqual(['512 B', '1.50 KiB', '3.00 MiB']);
  });
});
