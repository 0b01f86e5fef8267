// Flink JobManager REST (the engine's own view of jobs: state and duration).
export interface FlinkJobStatus {
  readonly jid: string;
  readonly state: string;
  /** Engine-reported duration in ms (end-time − start-time). */
  readonly duration: number;
  readonly startTime: number;
  readonly endTime: number;
  /** Per operator chain: RUNNING, or SCHEDULED / DEPLOYING / CANCELING … while a region restarts. */
  readonly vertices?: readonly { readonly name: string; readonly status: string }[];
}

const TERMINAL = new Set(['FINISHED', 'FAILED', 'CANCELED']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node's fetch says only "fetch failed"; the cause (ECONNRESET, ECONNREFUSED …) is what tells. */
export function describeFetchError(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message} (${e.cause.code ?? e.cause.message ?? 'no cause'})` : e.message;
}

export class FlinkRestClient {
  constructor(private readonly baseUrl: string) {}

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`Flink REST GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
    return (await response.json()) as T;
  }

  job(jobId: string): Promise<FlinkJobStatus> {
    return this.get<FlinkJobStatus>(`/jobs/${jobId}`);
  }

  /**
   * Poll until the job is FINISHED / FAILED / CANCELED or the timeout passes (then undefined).
   * A poll that fails is retried for up to 10 s (a JobManager busy failing a job over can drop a
   * connection); only then is it an error.
   */
  async waitForJob(jobId: string, timeoutMs: number): Promise<FlinkJobStatus | undefined> {
    const deadline = Date.now() + timeoutMs;
    let failingSince: number | undefined;
    for (;;) {
      let status: FlinkJobStatus | undefined;
      try {
        status = await this.job(jobId);
        failingSince = undefined;
      } catch (error) {
        failingSince ??= Date.now();
        if (Date.now() - failingSince > 10_000) throw new Error(`polling Flink job ${jobId} on the JobManager REST API failed for 10 s: ${describeFetchError(error)}`, { cause: error });
      }
      if (status && TERMINAL.has(status.state)) return status;
      if (Date.now() > deadline) return undefined;
      await sleep(200);
    }
  }

  /** The job's root exception, its first `lines` lines (Infinity: all, where the deepest cause is wanted). */
  async exceptions(jobId: string, lines = 8): Promise<string> {
    const body = await this.get<{ 'root-exception'?: string; exceptionHistory?: { entries?: { exceptionName: string; stacktrace: string }[] } }>(`/jobs/${jobId}/exceptions`).catch(() => undefined);
    const entry = body?.exceptionHistory?.entries?.[0];
    return (entry?.stacktrace ?? body?.['root-exception'] ?? 'no exception recorded').split('\n').slice(0, lines).join('\n');
  }

  async cancel(jobId: string): Promise<void> {
    await fetch(`${this.baseUrl}/jobs/${jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
  }
}
