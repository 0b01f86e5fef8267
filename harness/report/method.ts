// The method section: what each number means (a summary of the project's measurement rules,
// ../shared/METHOD.md, kept here because the report must stand alone), then the facts of
// this run: warm-ups and repetitions actually used, the resource budget, every engine
// setting that differs from its default.
import type { ResultsDocument } from '../results/schema.ts';
import { ALL_SUBMISSION_PATHS } from '../engines/submission-paths.ts';
import { submissionOf } from '../results/submission.ts';
import type { Block, Cell, Section } from './model.ts';
import { orderEngines } from './palette.ts';

export const NUMBER_DEFINITIONS: readonly { term: string; description: string }[] = [
  { term: 'Wall time', description: 'Harness-side time from submitting the query to its completion, per measured repetition; the bar is the median, whiskers the fastest and slowest repetition.' },
  { term: 'Engine-reported time', description: "The engine's own run time for the query, when it reports one; shown as missing (with why) otherwise." },
  { term: '× fastest / × duckdb', description: 'Median wall time divided by that of the fastest engine (or of DuckDB, the single-machine baseline that answers "is a cluster worth it?").' },
  { term: 'Verified', description: 'The answer equals an independent reference (DuckDB for batch; the generator-derived final state for streaming), ordered where the query orders, with a tolerance for floating sums. A wrong answer makes the measurement invalid.' },
  { term: 'invalid / failed / timed-out / unsupported', description: 'invalid = ran but broke a rule (wrong answer, generator fell behind…); failed = the engine or job failed; timed-out = no result within the limit; unsupported = the engine variant cannot express the workload (its own reason is shown). None of them is ever shown as a number.' },
  { term: 'Latency', description: "Event-time: the output record's Kafka log-append time minus the time the schedule intended the newest input behind it to be sent (not when the generator happened to hand it to the Kafka client, so generator delays are not hidden), one host clock; how late the generator handed each record over is a separate histogram, full histogram (p50, p95, p99, p99.9, max). A negative latency is reported as an error, not clamped." },
  { term: 'Sustainable throughput', description: 'The highest input rate at which the generator achieved ≥ 99 % of the target rate, the engine drained after the input stopped, its final state equalled the oracle, consumer lag did not grow (the slope of its floor — the least lag per block of a few seconds, immune to the sawtooth of commits — < 1 % of the rate) and p99 latency stayed under the bound over the measurement window, found by stepping up and bisecting; each step records the condition that decided it. When the harness itself could not drive the next rate (its generator fell behind, the input rate was missed, the generator’s own process neared a full core, or the event loop of the run process — output consumer, lag sampler, scrapers — was busy ≥ 90 % of the time) the figure is a lower bound, shown as "≥ N rec/s (harness limit)", never as the engine\'s limit.' },
  {
    term: 'Faults (--fault)',
    description:
      "A fault is injected at its time on each streaming measurement's axis (t=0 at the start of the input). Engine noticed: the first poll (every 250 ms) after it at which the engine itself reported trouble (Flink: the job or any of its tasks not RUNNING; Spark: the master's alive workers fewer than started). Recovered: the output rate, over windows of two commit intervals, back within 10 % of its pre-fault median and the lag's floor back to its pre-fault floor, held 3 s. Lost and written twice: from the final-state check against the oracle, the output read with read_committed. Each variant's promised delivery guarantee is shown beside what was observed; a broken promise is a finding, shown in red.",
  },
  { term: 'CPU-seconds, peak memory', description: "Read from the operating system (cgroups / procfs) per engine container or process, not only the engine's own JVM metrics. A figure that could not be read is shown as missing with the reason, never as 0." },
];

export const METHOD_RULES: readonly string[] = [
  'Load comes from outside the engine on a fixed schedule; a generator that falls behind (beyond 1 % of the run or 1 s) makes the run invalid.',
  'Latency is event-time latency on one clock; negative latencies are errors.',
  'Latencies go into full histograms; no sampling reservoir.',
  'Warm-up is dropped: at least one unmeasured execution per batch workload and engine; the first seconds of a stream are excluded.',
  'Streaming steady state vs start-up: the measured window starts at the first whole second after the warm-up once the start-up backlog has drained (the lag back within one second of input — two commit intervals if longer — of the run\'s floor, the least lag per block over the last half of the window); time to first output, catch-up time and the start-up latency are reported apart. A run whose backlog drains only in the second half of the window has no steady-state latency (missing, with the reason).',
  'Batch: at least 3 measured repetitions (quick profile), 5 (nightly), with fresh inputs and outputs each time; median, min, max and a 95 % confidence interval are reported.',
  'Streaming throughput is the sustainable rate, not the peak.',
  'Correctness before timing: a wrong answer makes the measurement invalid.',
  'Resources are read from the operating system.',
  'Fresh state per run: new topics, output paths and checkpoint directories; clusters restarted between engines.',
  'Every engine gets the same resource budget; every setting that differs from an engine default is recorded and shown below.',
  'Provenance (versions, checksums, images, configs, host, commit, seed, scale) is recorded with every run.',
  'No silent zeros: an unreadable metric is recorded as missing with the reason.',
  'Like with like: batch measurements are ranked only against measurements of the same submission family. session (warm) = one long-lived application or session (Spark Connect / Thrift server, Flink SQL Gateway on a session cluster) serves the warm-ups and every repetition; job (cold) = a fresh application, its workers included, per execution (spark-submit, Flink application mode); client = a cold client per execution on a warm cluster whose workers stay up (Flink\'s SQL client), ranked only against its own kind; in-process = the DuckDB baseline, never ranked. On cold paths every repetition is cold by design: the warm-up there warms nothing but the file cache. Each engine is ranked by one path per family chosen before any time is seen (Spark\'s warm one: Spark Connect), never the fastest of its paths. A client that is the user\'s side (the JDBC client of Spark\'s servers, the Flink SQL client) runs as its own job, outside the engine\'s resource figures.',
  'The harness is measured too: the stream generator runs in a process of its own, and what it and the run process (output consumer, lag sampler, scrapers) used while the input ran is recorded; a rate-search step where either event loop was busy ≥ 90 % of the time is the harness\'s limit, never credited to the engine.',
];

/**
 * What each batch path's times span (METHOD rule 13), for the paths this run measured, in the
 * order paths are listed; a path id the harness no longer knows says so instead of guessing.
 */
export function pathSpanRows(document: ResultsDocument): Cell[][] {
  const used = new Set(document.measurements.flatMap((m) => (m.mode === 'batch' && submissionOf(m) ? [submissionOf(m)!.path] : [])));
  const known = ALL_SUBMISSION_PATHS.filter((p) => used.has(p.id));
  const unknown = [...used].filter((id) => !ALL_SUBMISSION_PATHS.some((p) => p.id === id));
  return [
    ...known.map((p): Cell[] => [p.id, p.family, p.spans.wall, p.spans.engine, p.spans.clientStart ?? '— (no client start-up of its own)']),
    ...unknown.map((id): Cell[] => [id, '', 'not known to this version of the harness', '', '']),
  ];
}

/** "3 measured + 1 warm-up" per engine, from what the measurements actually did. */
export function repetitionsUsed(document: ResultsDocument): { engine: string; text: string }[] {
  const engines = orderEngines(document.measurements.map((m) => m.engine));
  return engines.flatMap((engine) => {
    const used = new Set(
      document.measurements.flatMap((m) =>
        m.engine === engine && m.status === 'completed' ? [`${m.repetitions.length} measured + ${m.warmups} warm-up${m.warmups === 1 ? '' : 's'}`] : [],
      ),
    );
    return used.size === 0 ? [] : [{ engine, text: [...used].join('; ') }];
  });
}

export function methodSection(document: ResultsDocument): Section {
  const blocks: Block[] = [
    { kind: 'definitions', items: [...NUMBER_DEFINITIONS] },
    { kind: 'text', paragraphs: ['The rules every measurement follows (a run that breaks one is marked invalid, with the reason):', ...METHOD_RULES.map((rule, i) => `${i + 1}. ${rule}`)] },
  ];
  const repetitions = repetitionsUsed(document);
  if (repetitions.length > 0) {
    blocks.push({
      kind: 'table',
      title: 'Warm-ups and repetitions used in this run',
      table: { columns: [{ header: 'Engine' }, { header: 'Executions per workload' }], rows: repetitions.map((r) => [r.engine, r.text]) },
    });
  }
  const spans = pathSpanRows(document);
  if (spans.length > 0) {
    blocks.push({
      kind: 'table',
      title: "What each path's times span (wall and engine time; client start-up is kept out of the wall and shown apart)",
      table: { columns: [{ header: 'Path' }, { header: 'Family' }, { header: 'Wall time' }, { header: 'Engine time' }, { header: 'Client start (apart)' }], rows: spans },
    });
  }
  const budget = document.budget;
  blocks.push({
    kind: 'table',
    title: 'Resource budget (identical for every engine)',
    table: {
      columns: [{ header: 'Cores', numeric: true }, { header: 'Memory (MiB)', numeric: true }, { header: 'Parallelism', numeric: true }, { header: 'Workers', numeric: true }],
      rows: [[String(budget.cores), String(budget.memoryMiB), String(budget.parallelism), String(budget.workers)]],
    },
  });
  const settings = Object.entries(document.provenance.engineSettings);
  const settingRows: Cell[][] = settings.flatMap(([engine, values]) => Object.entries(values).map(([key, value]) => [engine, key, String(value)]));
  blocks.push({
    kind: 'table',
    title: 'Engine settings that differ from the engine defaults',
    table: {
      columns: [{ header: 'Engine' }, { header: 'Setting' }, { header: 'Value' }],
      rows: settingRows.length > 0 ? settingRows : [['(none recorded)', '', '']],
    },
  });
  const configRows = flatten(document.config).map(([key, value]): Cell[] => [key, value]);
  if (configRows.length > 0) {
    blocks.push({ kind: 'table', title: 'Effective configuration (flags over profile)', table: { columns: [{ header: 'Option' }, { header: 'Value' }], rows: configRows } });
  }
  if (document.notes?.length) blocks.push({ kind: 'text', paragraphs: ['Notes recorded during the run:', ...document.notes] });
  return { id: 'method', title: 'Method', blocks };
}

/** Nested config as dotted keys with JSON-ish values, in document order. */
export function flatten(value: unknown, prefix = ''): [string, string][] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}
