// Flink's engine-side figures from the JobManager REST API. While a job runs: per vertex the
// records in/out per second and busy / back-pressured time per second (aggregated over
// subtasks), and checkpoint counts and the latest checkpoint's duration and sizes. After the
// measurement: each job's final state, duration, vertex I/O totals (read/write bytes and
// records — the bytes a vertex wrote to its downstream exchanges are Flink's shuffle bytes)
// and the checkpoint statistics with history. The jobs are those that started after this
// scraper was created (a session cluster may hold earlier ones).
import type { Reading, Scraper } from './sampler.ts';

interface JobOverview {
  jid: string;
  name: string;
  state: string;
  'start-time': number;
  /** Subtask counts per state: while they stay the same, so do the vertices' states. */
  tasks?: Record<string, number>;
}

interface JobDetails {
  jid: string;
  name: string;
  state: string;
  duration: number;
  vertices: { id: string; name: string; parallelism: number; status: string; metrics?: Record<string, number | boolean> }[];
}

interface AggregatedMetric {
  id: string;
  min?: number;
  max?: number;
  avg?: number;
  sum?: number;
}

interface CheckpointStats {
  counts?: { completed?: number; failed?: number; in_progress?: number; total?: number; restored?: number };
  summary?: Record<string, unknown>;
  latest?: { completed?: { id: number; end_to_end_duration: number; state_size: number; checkpointed_size?: number } | null };
  history?: { id: number; status: string; end_to_end_duration: number; state_size: number; checkpointed_size?: number; trigger_timestamp: number; is_savepoint?: boolean }[];
}

export const FLINK_LIVE_VERTEX_METRICS = ['numRecordsInPerSecond', 'numRecordsOutPerSecond', 'busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond'] as const;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);

/** Vertex I/O totals of a job: write-bytes of all vertices = bytes sent through exchanges (sinks write none). */
export function flinkJobTotals(job: JobDetails): { readBytes: number; writeBytes: number; readRecords: number; writeRecords: number } {
  const sum = (key: string) => job.vertices.reduce((a, v) => a + (typeof v.metrics?.[key] === 'number' ? (v.metrics[key] as number) : 0), 0);
  return { readBytes: sum('read-bytes'), writeBytes: sum('write-bytes'), readRecords: sum('read-records'), writeRecords: sum('write-records') };
}

async function getJson<T>(baseUrl: string, path: string, signal: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, { signal });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause;
    throw new Error(`Flink REST GET ${baseUrl}${path} failed: ${cause?.message ?? (error as Error).message}`);
  }
  if (!response.ok) throw new Error(`Flink REST GET ${baseUrl}${path} answered ${response.status}`);
  return (await response.json()) as T;
}

export function flinkRestScraper(restUrl: string, options: { name?: string } = {}): Scraper {
  const baseUrl = restUrl.replace(/\/+$/, '');
  const createdAt = Date.now();
  const ours = async (signal: AbortSignal) => {
    const { jobs } = await getJson<{ jobs: JobOverview[] }>(baseUrl, '/jobs/overview', signal);
    return jobs.filter((j) => j['start-time'] >= createdAt - 1000);
  };
  const short = (jid: string) => jid.slice(0, 8);
  // /jobs/:id is the largest answer (it carries the plan); while a job's task counts stay the
  // same its vertices and their states do too, so it is asked again only when they change.
  const detailsCache = new Map<string, { tasks: string; details: JobDetails }>();
  const liveDetails = async (job: JobOverview, signal: AbortSignal): Promise<JobDetails> => {
    const tasks = JSON.stringify(job.tasks ?? null);
    const cached = detailsCache.get(job.jid);
    if (cached && job.tasks && cached.tasks === tasks) return cached.details;
    const details = await getJson<JobDetails>(baseUrl, `/jobs/${job.jid}`, signal);
    // Only settled vertex states are kept: the overview's counts can move before the vertex statuses do.
    if (details.vertices.every((v) => v.status === 'RUNNING' || TERMINAL.has(v.status))) detailsCache.set(job.jid, { tasks, details });
    else detailsCache.delete(job.jid);
    return details;
  };
  return {
    name: options.name ?? 'flink-rest',
    kind: 'flink-rest',
    async sample(signal): Promise<Reading> {
      const reading: Record<string, number> = {};
      const jobs = await ours(signal);
      reading.jobs_running = jobs.filter((j) => j.state === 'RUNNING').length;
      await Promise.all(
        jobs
          .filter((j) => !TERMINAL.has(j.state))
          .map(async (job) => {
            const details = await liveDetails(job, signal);
            const get = FLINK_LIVE_VERTEX_METRICS.join(',');
            await Promise.all(
              details.vertices
                .map((vertex, index) => ({ vertex, index }))
                .filter(({ vertex }) => vertex.status === 'RUNNING')
                .map(async ({ vertex, index }) => {
                  const metrics = await getJson<AggregatedMetric[]>(baseUrl, `/jobs/${job.jid}/vertices/${vertex.id}/subtasks/metrics?get=${get}&agg=avg,max,sum`, signal);
                  for (const m of metrics) {
                    const prefix = `${short(job.jid)}/v${index}/${m.id}`;
                    if (m.avg !== undefined) reading[`${prefix}.avg`] = m.avg;
                    if (m.max !== undefined) reading[`${prefix}.max`] = m.max;
                    if (m.sum !== undefined && m.id.startsWith('numRecords')) reading[`${prefix}.sum`] = m.sum;
                  }
                }),
            );
            const checkpoints = await getJson<CheckpointStats>(baseUrl, `/jobs/${job.jid}/checkpoints`, signal).catch(() => undefined);
            if (checkpoints?.counts) {
              reading[`${short(job.jid)}/checkpoints_completed`] = checkpoints.counts.completed ?? 0;
              reading[`${short(job.jid)}/checkpoints_failed`] = checkpoints.counts.failed ?? 0;
              const latest = checkpoints.latest?.completed;
              if (latest) {
                reading[`${short(job.jid)}/checkpoint_duration_ms`] = latest.end_to_end_duration;
                reading[`${short(job.jid)}/checkpoint_state_bytes`] = latest.state_size;
                if (latest.checkpointed_size !== undefined) reading[`${short(job.jid)}/checkpoint_checkpointed_bytes`] = latest.checkpointed_size;
              }
            }
          }),
      );
      return reading;
    },
    async finish(_collected, signal) {
      const jobs = await ours(signal);
      const out = await Promise.all(
        jobs.map(async (job) => {
          const details = await getJson<JobDetails>(baseUrl, `/jobs/${job.jid}`, signal);
          const checkpoints = await getJson<CheckpointStats>(baseUrl, `/jobs/${job.jid}/checkpoints`, signal).catch((e: Error) => ({ missing: true, reason: e.message }));
          return {
            jobId: job.jid,
            seriesPrefix: short(job.jid),
            name: details.name,
            state: details.state,
            durationMs: details.duration,
            totals: flinkJobTotals(details),
            vertices: details.vertices.map((v, i) => ({ index: i, name: v.name, parallelism: v.parallelism, status: v.status, metrics: v.metrics ?? {} })),
            checkpoints: 'missing' in checkpoints ? checkpoints : { counts: checkpoints.counts, summary: checkpoints.summary, latest: checkpoints.latest, history: checkpoints.history },
          };
        }),
      );
      if (out.length === 0) throw new Error(`no Flink job started on ${baseUrl} during the measurement`);
      return {
        source: 'Flink JobManager REST (vertex metrics: read/write bytes and records after the job; live rates from subtask metrics)',
        shuffleWriteBytes: out.reduce((a, j) => a + j.totals.writeBytes, 0),
        jobs: out,
      };
    },
  };
}
