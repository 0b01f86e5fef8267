// Spark's smoke check: one tiny query through spark-submit.
import path from 'node:path';
import { SMOKE_EXPECTED, smokeAnswerMatches, type SmokeOutcome } from '../smoke.ts';
import { failureExcerpt, type StartedSparkCluster } from './cluster.ts';

export async function smokeSpark(cluster: StartedSparkCluster, runDir: string, timeoutMs = 180_000): Promise<SmokeOutcome> {
  const started = Date.now();
  const result = await cluster.submitSql({ statements: ['SELECT SUM(id) AS total, COUNT(*) AS n FROM range(1000)'], workDir: path.join(runDir, 'smoke', 'spark'), printRows: 10, timeoutMs });
  const ms = Date.now() - started;
  if (result.exitCode !== 0 || !result.result) {
    return { ok: false, ms, detail: `spark-submit exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}:\n${failureExcerpt(result.output)}` };
  }
  const row = result.result.rows?.[0];
  return smokeAnswerMatches(row)
    ? { ok: true, ms, detail: `spark-submit answered ${JSON.stringify(row)} (app ${result.result.appId}, engine ${result.result.engineMs} ms)` }
    : { ok: false, ms, detail: `spark-submit answered ${JSON.stringify(result.result.rows)}, expected [${SMOKE_EXPECTED.join(', ')}]` };
}
