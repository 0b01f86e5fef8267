// `bench up spark|flink|kafka…`: start clusters, print their URLs, stay up until Ctrl-C or
// `bench down` (which signals this process, so the same teardown runs).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CLUSTER_NAMES, startCluster, type AnyStartedCluster, type ClusterName } from '../../engines/clusters.ts';
import { newRunId } from '../../results/store.ts';
import { openRuntime } from '../../runtime/open-runtime.ts';
import { onTeardown } from '../../runtime/teardown.ts';
import { processStartTime } from '../../runtime/proc.ts';
import { resultsDir, stateDir } from '../../paths.ts';
import { BenchError, UsageError } from '../../errors.ts';
import { addClusterOptions, budgetFrom, addOptions, versionsFrom, type ClusterOptions } from '../shared-options.ts';

export interface UpRecord {
  pid: number;
  /** The `up` process's start time (/proc/<pid>/stat field 22): tells it from a later process with its pid. Absent in older records. */
  startTime?: string;
  runId: string;
  runtime: string;
  clusters: string[];
  urls: Record<string, string>;
  startedAt: string;
}

export const upStateDir = () => path.join(stateDir(), 'up');

export function parseClusterNames(names: readonly string[]): ClusterName[] {
  if (names.length === 0) throw new UsageError(`name at least one of ${CLUSTER_NAMES.join(', ')} (e.g. \`npx bench up flink\`)`);
  for (const name of names) {
    if (!(CLUSTER_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`unknown engine '${name}': choose from ${CLUSTER_NAMES.join(', ')}`);
    }
  }
  return [...new Set(names)] as ClusterName[];
}

export function registerUp(program: Command): void {
  const command = program
    .command('up')
    .description('start Spark, Flink and/or Kafka and keep them up until Ctrl-C or `bench down`')
    .argument('<engines...>', `one or more of ${CLUSTER_NAMES.join(', ')}`);
  addClusterOptions(command);
  addOptions(command, 'randomPorts');
  command.action(async (names: string[], options: ClusterOptions & { randomPorts: boolean }) => {
    const clusters = parseClusterNames(names);
    const budget = budgetFrom(options);
    const runId = newRunId();
    const runDir = path.join(resultsDir(), runId);
    const opened = await openRuntime({
      choice: options.runtime,
      runId,
      runDir,
      distributions: clusters,
      versions: versionsFrom(options),
      baseImage: options.baseImage,
      fixedHostPorts: !options.randomPorts,
    });
    const record = path.join(upStateDir(), `${runId}.json`);
    onTeardown(async () => fs.rmSync(record, { force: true }));
    const started: AnyStartedCluster[] = [];
    const urls: Record<string, string> = {};
    for (const name of clusters) {
      const cluster = await startCluster(name, opened, { budget, startTimeoutMs: options.startTimeout });
      started.push(cluster);
      Object.assign(urls, cluster.urls());
    }
    fs.mkdirSync(upStateDir(), { recursive: true });
    const state: UpRecord = { pid: process.pid, startTime: processStartTime(process.pid), runId, runtime: opened.runtime.kind, clusters, urls, startedAt: new Date().toISOString() };
    fs.writeFileSync(record, JSON.stringify(state, null, 2));
    process.stdout.write(`\n${clusters.join(', ')} up (run ${runId}, ${opened.choiceReason}); logs under ${runDir}/services\n`);
    for (const [what, url] of Object.entries(urls)) process.stdout.write(`  ${what.padEnd(36)} ${url}\n`);
    process.stdout.write('\nCtrl-C (or `npx bench down` from another terminal) stops everything.\n');
    // Stay up: the teardown registered by openRuntime runs on SIGINT/SIGTERM and exits.
    await new Promise(() => {});
  });
}
