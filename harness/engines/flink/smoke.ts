// Flink's smoke check: one tiny query through the SQL Gateway.
import { SMOKE_EXPECTED, smokeAnswerMatches, type SmokeOutcome } from '../smoke.ts';
import type { StartedFlinkCluster } from './cluster.ts';

export async function smokeFlink(cluster: StartedFlinkCluster, timeoutMs = 180_000): Promise<SmokeOutcome> {
  const started = Date.now();
  const session = await cluster.gateway.openSession({ 'execution.runtime-mode': 'batch' });
  try {
    await cluster.gateway.execute(
      session,
      "CREATE TEMPORARY TABLE numbers (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '999', 'number-of-rows' = '1000')",
    );
    const result = await cluster.gateway.execute(session, 'SELECT SUM(id) AS total, COUNT(*) AS n FROM numbers', { timeoutMs });
    const ms = Date.now() - started;
    const row = result.rows[0];
    return smokeAnswerMatches(row)
      ? { ok: true, ms, detail: `SQL Gateway answered ${JSON.stringify(row)}${result.jobId ? ` (job ${result.jobId})` : ''}` }
      : { ok: false, ms, detail: `SQL Gateway answered ${JSON.stringify(result.rows)}, expected [${SMOKE_EXPECTED.join(', ')}]` };
  } finally {
    await cluster.gateway.closeSession(session);
  }
}
