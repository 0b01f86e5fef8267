// A small client for the Flink SQL Gateway REST API (v1): sessions, statements, paged
// results. Statement errors come back with the engine's own message.
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:flink');

export class FlinkSqlError extends Error {
  constructor(
    message: string,
    /** Flink's own error text (root cause first). */
    readonly engineMessage: string,
  ) {
    super(message);
  }
}

export interface StatementResult {
  readonly columns: string[];
  readonly rows: unknown[][];
  /** Set for statements that submit a job (INSERT, or a SELECT on a cluster). */
  readonly jobId?: string;
}

interface ResultPage {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  results?: { columns?: { name: string }[]; data?: { kind: string; fields: unknown[] }[] };
  nextResultUri?: string;
  jobID?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Flink's REST errors carry a Java stack trace per entry; keep the lines that say what went wrong. */
export function engineMessageFrom(body: unknown): string {
  const errors = (body as { errors?: unknown[] })?.errors;
  if (!Array.isArray(errors)) return JSON.stringify(body).slice(0, 2000);
  const text = errors.map(String).join('\n');
  const causes = text.split('\n').filter((l) => /^(Caused by: |[a-zA-Z.]+(Exception|Error): )/.test(l.trim()));
  return (causes.length ? causes : text.split('\n').slice(0, 5)).map((l) => l.trim()).join('\n').slice(0, 4000);
}

export class FlinkSqlGatewayClient {
  constructor(private readonly baseUrl: string) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : {};
    if (!response.ok) {
      const engineMessage = engineMessageFrom(parsed);
      throw new FlinkSqlError(`Flink SQL Gateway ${method} ${path} answered ${response.status}: ${engineMessage.split('\n').at(-1)}`, engineMessage);
    }
    return parsed as T;
  }

  async openSession(properties: Record<string, string> = {}): Promise<string> {
    const { sessionHandle } = await this.request<{ sessionHandle: string }>('POST', '/v1/sessions', { properties });
    log.debug(`opened SQL Gateway session ${sessionHandle}`);
    return sessionHandle;
  }

  async closeSession(session: string): Promise<void> {
    await this.request('DELETE', `/v1/sessions/${session}`).catch(() => undefined);
  }

  /** Execute one statement and read its whole result (all pages). */
  async execute(session: string, statement: string, options: { timeoutMs?: number } = {}): Promise<StatementResult> {
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    const { operationHandle } = await this.request<{ operationHandle: string }>('POST', `/v1/sessions/${session}/statements`, { statement });
    let next: string | undefined = `/v1/sessions/${session}/operations/${operationHandle}/result/0?rowFormat=JSON`;
    const columns: string[] = [];
    const rows: unknown[][] = [];
    let jobId: string | undefined;
    while (next) {
      if (Date.now() > deadline) throw new Error(`Flink statement did not finish within ${options.timeoutMs} ms`);
      const page: ResultPage = await this.request<ResultPage>('GET', next);
      jobId ??= page.jobID;
      if (page.results?.columns && columns.length === 0) columns.push(...page.results.columns.map((c) => c.name));
      for (const row of page.results?.data ?? []) if (row.kind === 'INSERT' || row.kind === 'UPDATE_AFTER') rows.push(row.fields);
      if (page.resultType === 'EOS') break;
      if (page.resultType === 'NOT_READY') await sleep(100);
      next = page.nextResultUri ?? next;
    }
    return { columns, rows, jobId };
  }
}
