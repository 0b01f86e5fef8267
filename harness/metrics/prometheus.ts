// Prometheus text exposition format (0.0.4) → samples, and a scraper for such endpoints (the
// Flink Prometheus reporter, Spark's PrometheusServlet). Small on purpose: name, labels,
// value; timestamps and HELP text are dropped, TYPE is kept.
import type { Reading, Scraper } from './sampler.ts';

export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusText {
  readonly samples: PrometheusSample[];
  /** metric family → counter | gauge | summary | histogram | untyped */
  readonly types: Readonly<Record<string, string>>;
}

function parseValue(text: string, line: number): number {
  switch (text) {
    case '+Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    case 'NaN':
      return NaN;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`Prometheus text line ${line}: value '${text}' is not a number`);
  return value;
}

/** Labels `{a="x",b="y\"z"}` starting at text[start] === '{'; returns them and the index after '}'. */
function parseLabels(text: string, start: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, end: i + 1 };
    const eq = text.indexOf('=', i);
    if (eq < 0 || text[eq + 1] !== '"') throw new Error(`Prometheus text line ${line}: malformed labels in '${text}'`);
    const name = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        const next = text[++j];
        value += next === 'n' ? '\n' : next;
      } else value += text[j];
    }
    if (j >= text.length) throw new Error(`Prometheus text line ${line}: unterminated label value in '${text}'`);
    labels[name] = value;
    i = j + 1;
  }
}

function parseSampleLine(line: string, lineNumber: number, nameEnd: number): PrometheusSample {
  const name = line.slice(0, nameEnd);
  let rest = line.slice(nameEnd);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest, 0, lineNumber);
    labels = parsed.labels;
    rest = rest.slice(parsed.end);
  }
  const [valueText] = rest.trim().split(/\s+/);
  return { name, labels, value: parseValue(valueText ?? '', lineNumber) };
}

/**
 * Samples (and TYPE lines), optionally only those whose metric name `include` matches: the name
 * is tested before labels and value are parsed, since a TaskManager running a job exposes
 * thousands of series of which a scraper keeps a few dozen.
 */
export function parsePrometheusText(text: string, include?: RegExp): PrometheusText {
  const samples: PrometheusSample[] = [];
  const types: Record<string, string> = {};
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type && (!include || include.test(type[1]))) types[type[1]] = type[2];
      continue;
    }
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) throw new Error(`Prometheus text line ${n + 1}: no value in '${line}'`);
    if (include && !include.test(line.slice(0, nameEnd))) continue;
    samples.push(parseSampleLine(line, n + 1, nameEnd));
  }
  return { samples, types };
}

/** `name{a="x",b="y"}` with labels sorted: a stable series key. */
export function seriesKey(sample: PrometheusSample): string {
  const labels = Object.keys(sample.labels)
    .sort()
    .map((k) => `${k}="${sample.labels[k]}"`)
    .join(',');
  return labels ? `${sample.name}{${labels}}` : sample.name;
}

export interface PrometheusScraperOptions {
  readonly name: string;
  readonly url: string;
  /** Keep only samples whose name matches (endpoints expose thousands of series). */
  readonly include: RegExp;
  /** Labels to drop from keys (per-process ids that make keys long). */
  readonly dropLabels?: readonly string[];
}

export function prometheusScraper(options: PrometheusScraperOptions): Scraper {
  const drop = new Set(options.dropLabels ?? []);
  return {
    name: options.name,
    kind: 'prometheus',
    async sample(signal): Promise<Reading> {
      let response: Response;
      try {
        response = await fetch(options.url, { signal });
      } catch (error) {
        throw new Error(`GET ${options.url} failed: ${(error as Error).cause ? String((error as { cause: Error }).cause.message) : (error as Error).message}`);
      }
      if (!response.ok) throw new Error(`GET ${options.url} answered ${response.status}`);
      const reading: Record<string, number> = {};
      for (const sample of parsePrometheusText(await response.text(), options.include).samples) {
        const labels = Object.fromEntries(Object.entries(sample.labels).filter(([k]) => !drop.has(k)));
        reading[seriesKey({ ...sample, labels })] = sample.value;
      }
      return reading;
    },
  };
}
