// Spark's engine-side figures from its event log (spark.eventLog.enabled, one JSON event per
// line). The driver's REST API dies with each batch application; the event log stays, so it
// is read after the application ends. Per stage, summed over its successful tasks'
// "Task Metrics": executor run/CPU/GC time, shuffle read/write bytes and records, bytes
// spilled (memory and disk), input/output, and the largest peak execution memory of a task.
import fs from 'node:fs';
import path from 'node:path';
import type { Scraper } from './sampler.ts';

export interface SparkStageFigures {
  readonly stageId: number;
  readonly attempt: number;
  readonly name: string | null;
  readonly tasks: number;
  readonly failedTasks: number;
  readonly durationMs: number | null;
  readonly executorRunTimeMs: number;
  readonly executorCpuTimeMs: number;
  readonly jvmGcTimeMs: number;
  readonly shuffleReadBytes: number;
  readonly shuffleReadRecords: number;
  readonly shuffleWriteBytes: number;
  readonly shuffleWriteRecords: number;
  readonly memoryBytesSpilled: number;
  readonly diskBytesSpilled: number;
  readonly inputBytes: number;
  readonly inputRecords: number;
  readonly outputBytes: number;
  readonly outputRecords: number;
  /** Largest "Peak Execution Memory" of one task in the stage. */
  readonly peakExecutionMemoryBytes: number;
}

type SummedKey = Exclude<keyof SparkStageFigures, 'stageId' | 'attempt' | 'name' | 'tasks' | 'failedTasks' | 'durationMs' | 'peakExecutionMemoryBytes'>;
const SUMMED: readonly SummedKey[] = [
  'executorRunTimeMs', 'executorCpuTimeMs', 'jvmGcTimeMs', 'shuffleReadBytes', 'shuffleReadRecords', 'shuffleWriteBytes',
  'shuffleWriteRecords', 'memoryBytesSpilled', 'diskBytesSpilled', 'inputBytes', 'inputRecords', 'outputBytes', 'outputRecords',
];

export interface SparkApplicationFigures {
  readonly appId: string | null;
  readonly appName: string | null;
  readonly durationMs: number | null;
  readonly completed: boolean;
  readonly stages: SparkStageFigures[];
  readonly totals: Record<SummedKey, number> & { tasks: number; failedTasks: number; stages: number; peakExecutionMemoryBytes: number };
}

type Json = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : 0);

/** Figures of one task's "Task Metrics" object. */
function taskFigures(metrics: Json): Record<SummedKey, number> & { peak: number } {
  const read = (metrics['Shuffle Read Metrics'] ?? {}) as Json;
  const write = (metrics['Shuffle Write Metrics'] ?? {}) as Json;
  const input = (metrics['Input Metrics'] ?? {}) as Json;
  const output = (metrics['Output Metrics'] ?? {}) as Json;
  return {
    executorRunTimeMs: num(metrics['Executor Run Time']),
    executorCpuTimeMs: num(metrics['Executor CPU Time']) / 1e6,
    jvmGcTimeMs: num(metrics['JVM GC Time']),
    shuffleReadBytes: num(read['Remote Bytes Read']) + num(read['Local Bytes Read']),
    shuffleReadRecords: num(read['Total Records Read']),
    shuffleWriteBytes: num(write['Shuffle Bytes Written']),
    shuffleWriteRecords: num(write['Shuffle Records Written']),
    memoryBytesSpilled: num(metrics['Memory Bytes Spilled']),
    diskBytesSpilled: num(metrics['Disk Bytes Spilled']),
    inputBytes: num(input['Bytes Read']),
    inputRecords: num(input['Records Read']),
    outputBytes: num(output['Bytes Written']),
    outputRecords: num(output['Records Written']),
    peak: num(metrics['Peak Execution Memory']),
  };
}

/** Parse an event log's text (JSON lines). Lines that are not JSON (a torn last line) are skipped. */
export function parseSparkEventLog(text: string): SparkApplicationFigures {
  const stages = new Map<string, { figures: Record<SummedKey, number>; tasks: number; failedTasks: number; peak: number; stageId: number; attempt: number; name: string | null; durationMs: number | null }>();
  const stageOf = (stageId: number, attempt: number) => {
    const key = `${stageId}.${attempt}`;
    let stage = stages.get(key);
    if (!stage) {
      stage = { figures: Object.fromEntries(SUMMED.map((k) => [k, 0])) as Record<SummedKey, number>, tasks: 0, failedTasks: 0, peak: 0, stageId, attempt, name: null, durationMs: null };
      stages.set(key, stage);
    }
    return stage;
  };
  let appId: string | null = null;
  let appName: string | null = null;
  let startMs: number | null = null;
  let endMs: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let event: Json;
    try {
      event = JSON.parse(line) as Json;
    } catch {
      continue;
    }
    switch (event.Event) {
      case 'SparkListenerApplicationStart':
        appId = (event['App ID'] as string) ?? null;
        appName = (event['App Name'] as string) ?? null;
        startMs = num(event.Timestamp);
        break;
      case 'SparkListenerApplicationEnd':
        endMs = num(event.Timestamp);
        break;
      case 'SparkListenerTaskEnd': {
        const stage = stageOf(num(event['Stage ID']), num(event['Stage Attempt ID']));
        const reason = (event['Task End Reason'] as Json | undefined)?.Reason;
        if (reason !== 'Success') {
          stage.failedTasks += 1;
          break;
        }
        stage.tasks += 1;
        const metrics = event['Task Metrics'] as Json | undefined;
        if (!metrics) break;
        const task = taskFigures(metrics);
        for (const key of SUMMED) stage.figures[key] += task[key];
        stage.peak = Math.max(stage.peak, task.peak);
        break;
      }
      case 'SparkListenerStageCompleted': {
        const info = event['Stage Info'] as Json;
        const stage = stageOf(num(info['Stage ID']), num(info['Stage Attempt ID']));
        stage.name = (info['Stage Name'] as string) ?? null;
        if (info['Submission Time'] !== undefined && info['Completion Time'] !== undefined) stage.durationMs = num(info['Completion Time']) - num(info['Submission Time']);
        break;
      }
    }
  }
  const list = [...stages.values()]
    .sort((a, b) => a.stageId - b.stageId || a.attempt - b.attempt)
    .map((s): SparkStageFigures => ({ stageId: s.stageId, attempt: s.attempt, name: s.name, tasks: s.tasks, failedTasks: s.failedTasks, durationMs: s.durationMs, ...s.figures, peakExecutionMemoryBytes: s.peak }));
  const totals = Object.fromEntries(SUMMED.map((k) => [k, list.reduce((a, s) => a + s[k], 0)])) as Record<SummedKey, number>;
  return {
    appId,
    appName,
    durationMs: startMs !== null && endMs !== null ? endMs - startMs : null,
    completed: endMs !== null,
    stages: list,
    totals: {
      ...totals,
      tasks: list.reduce((a, s) => a + s.tasks, 0),
      failedTasks: list.reduce((a, s) => a + s.failedTasks, 0),
      stages: list.length,
      peakExecutionMemoryBytes: list.reduce((a, s) => Math.max(a, s.peakExecutionMemoryBytes), 0),
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One application's log in `dir`: a single file (`<appId>`, `.inprogress` while running) or,
 * with rolling event logs (Spark 4's default), a folder `eventlog_v2_<appId>` holding
 * `events_<n>_<appId>` parts and an `appstatus_<appId>` marker (`.inprogress` while running).
 */
export function readEventLog(entry: string): { text: string; inProgress: boolean } {
  if (!fs.statSync(entry).isDirectory()) return { text: fs.readFileSync(entry, 'utf8'), inProgress: entry.endsWith('.inprogress') };
  const names = fs.readdirSync(entry);
  const parts = names
    .map((n) => ({ n, index: /^events_(\d+)_/.exec(n)?.[1] }))
    .filter((p): p is { n: string; index: string } => p.index !== undefined)
    .sort((a, b) => Number(a.index) - Number(b.index));
  if (parts.length === 0) throw new Error(`Spark event log folder ${entry} has no events_<n>_ files`);
  return {
    text: parts.map((p) => fs.readFileSync(path.join(entry, p.n), 'utf8')).join('\n'),
    inProgress: names.some((n) => n.startsWith('appstatus_') && n.endsWith('.inprogress')),
  };
}

/**
 * Details-only scraper: after the measurement, parse every event log written to `dir` since
 * this was called. An application still in progress is waited for (up to `waitMs`) and then
 * read as it is, marked `completed: false`. No event log at all is a failure (missing).
 */
export function sparkEventLogScraper(dir: string, options: { name?: string; waitMs?: number; maxStagesPerApplication?: number } = {}): Scraper {
  fs.mkdirSync(dir, { recursive: true });
  const stem = (f: string) => f.replace(/\.inprogress$/, '');
  const before = new Set(fs.readdirSync(dir).map(stem));
  const waitMs = options.waitMs ?? 15_000;
  // A streaming application runs a few stages per micro-batch: keep the per-stage list bounded
  // (totals still cover every stage).
  const maxStages = options.maxStagesPerApplication ?? 200;
  return {
    name: options.name ?? 'spark-event-log',
    kind: 'spark-event-log',
    async finish(_collected, signal) {
      const fresh = () => fs.readdirSync(dir).filter((f) => !before.has(stem(f)) && !f.startsWith('.')).map((f) => path.join(dir, f));
      const deadline = Date.now() + waitMs;
      while (fresh().some((f) => readEventLog(f).inProgress) && Date.now() < deadline && !signal.aborted) await sleep(250);
      const files = fresh();
      if (files.length === 0) throw new Error(`no Spark event log appeared in ${dir} during the measurement (is spark.eventLog.enabled set on the submission?)`);
      const applications = files.sort().map((file) => {
        const app = parseSparkEventLog(readEventLog(file).text);
        return app.stages.length <= maxStages ? { file, ...app } : { file, ...app, stages: app.stages.slice(0, maxStages), stagesOmitted: app.stages.length - maxStages };
      });
      const sum = (key: keyof SparkApplicationFigures['totals']) => applications.reduce((a, app) => a + app.totals[key], 0);
      return {
        source: 'Spark event log (sums over successful tasks per stage)',
        totals: {
          shuffleReadBytes: sum('shuffleReadBytes'),
          shuffleWriteBytes: sum('shuffleWriteBytes'),
          shuffleWriteRecords: sum('shuffleWriteRecords'),
          memoryBytesSpilled: sum('memoryBytesSpilled'),
          diskBytesSpilled: sum('diskBytesSpilled'),
          executorRunTimeMs: sum('executorRunTimeMs'),
          executorCpuTimeMs: sum('executorCpuTimeMs'),
          jvmGcTimeMs: sum('jvmGcTimeMs'),
          peakExecutionMemoryBytes: applications.reduce((a, app) => Math.max(a, app.totals.peakExecutionMemoryBytes), 0),
        },
        applications,
      };
    },
  };
}
