// The smoke checks: one tiny query through each engine's own submission path, and 1,000
// records through Kafka, each compared with the known answer.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { StartedFlinkCluster } from './flink/cluster.ts';
import type { StartedKafka } from './kafka/cluster.ts';
import { consumeFromStart, createTopics, produceAll } from './kafka/client.ts';
import { failureExcerpt, type StartedSparkCluster } from './spark/cluster.ts';

export interface SmokeOutcome {
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

/** sum(0..999) and count: the same answer both engines must give. */
export const SMOKE_EXPECTED = [499500, 1000] as const;

const matches = (row: unknown[] | undefined) => !!row && Number(row[0]) === SMOKE_EXPECTED[0] && Number(row[1]) === SMOKE_EXPECTED[1];

export async function smokeSpark(cluster: StartedSparkCluster, runDir: string, timeoutMs = 180_000): Promise<SmokeOutcome> {
  const started = Date.now();
  const sqlFile = path.join(runDir, 'smoke', 'spark.sql');
  fs.mkdirSync(path.dirname(sqlFile), { recursive: true });
  fs.writeFileSync(sqlFile, 'SELECT SUM(id) AS total, COUNT(*) AS n FROM range(1000)\n');
  const result = await cluster.submitSql({ sqlFile, printRows: 10, timeoutMs });
  const ms = Date.now() - started;
  if (result.exitCode !== 0 || !result.result) {
    return { ok: false, ms, detail: `spark-submit exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}:\n${failureExcerpt(result.output)}` };
  }
  const row = result.result.rows?.[0];
  return matches(row)
    ? { ok: true, ms, detail: `spark-submit answered ${JSON.stringify(row)} (app ${result.result.appId}, engine ${result.result.engineMs} ms)` }
    : { ok: false, ms, detail: `spark-submit answered ${JSON.stringify(result.result.rows)}, expected [${SMOKE_EXPECTED.join(', ')}]` };
}

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
    return matches(row)
      ? { ok: true, ms, detail: `SQL Gateway answered ${JSON.stringify(row)}${result.jobId ? ` (job ${result.jobId})` : ''}` }
      : { ok: false, ms, detail: `SQL Gateway answered ${JSON.stringify(result.rows)}, expected [${SMOKE_EXPECTED.join(', ')}]` };
  } finally {
    await cluster.gateway.closeSession(session);
  }
}

export async function smokeKafka(kafka: StartedKafka, count = 1000, timeoutMs = 60_000): Promise<SmokeOutcome> {
  const started = Date.now();
  const topic = `smoke-${crypto.randomBytes(4).toString('hex')}`;
  await createTopics(kafka.bootstrap, [{ name: topic, partitions: 2 }]);
  const sent = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `record-${i}` }));
  await produceAll(kafka.bootstrap, topic, sent);
  const received = await consumeFromStart(kafka.bootstrap, topic, count, timeoutMs);
  const ms = Date.now() - started;
  const want = new Set(sent.map((r) => `${r.key}=${r.value}`));
  const got = new Set(received.map((r) => `${r.key}=${r.value}`));
  const missing = [...want].filter((r) => !got.has(r));
  const extra = received.length - got.size + [...got].filter((r) => !want.has(r)).length;
  return missing.length === 0 && extra === 0
    ? { ok: true, ms, detail: `produced and consumed ${count} records on ${topic}` }
    : { ok: false, ms, detail: `on ${topic}: ${missing.length} of ${count} records missing, ${extra} extra or duplicated` };
}
