// `bench smoke`: start each engine, run one tiny query through its own submission path,
// pass 1,000 records through Kafka, check the answers, tear down. Exit 0 only if all held.
import path from 'node:path';
import type { Command } from 'commander';
import { CLUSTER_NAMES, smokeCluster, type ClusterName } from '../../engines/clusters.ts';
import type { SmokeOutcome } from '../../engines/smoke.ts';
import { newRunId } from '../../results/store.ts';
import { openRuntime, type OpenedRuntime } from '../../runtime/open-runtime.ts';
import { resultsDir } from '../../paths.ts';
import { BenchError } from '../../errors.ts';
import { addClusterOptions, budgetFrom, versionsFrom, type ClusterOptions } from '../shared-options.ts';
import type { ResourceBudget } from '../../config/budget.ts';

/** Start one cluster, run its check, stop it (always). */
export function smokeEngine(name: ClusterName, opened: OpenedRuntime, budget: ResourceBudget, startTimeoutMs: number): Promise<SmokeOutcome> {
  return smokeCluster(name, opened, { budget, startTimeoutMs });
}

export function registerSmoke(program: Command): void {
  const command = program.command('smoke').description('start each engine, run one tiny query through its own submission path and 1,000 records through Kafka, check, tear down');
  addClusterOptions(command);
  command.action(async (options: ClusterOptions) => {
    const budget = budgetFrom(options);
    const runId = newRunId();
    const opened = await openRuntime({ choice: options.runtime, runId, runDir: path.join(resultsDir(), runId), distributions: [...CLUSTER_NAMES], versions: versionsFrom(options), baseImage: options.baseImage });
    const failures: string[] = [];
    try {
      for (const name of CLUSTER_NAMES) {
        process.stderr.write(`smoke: ${name} …\n`);
        const outcome = await smokeEngine(name, opened, budget, options.startTimeout);
        process.stdout.write(`${outcome.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(6)} ${(outcome.ms / 1000).toFixed(1).padStart(6)} s  ${outcome.detail}\n`);
        if (!outcome.ok) failures.push(name);
      }
    } finally {
      await opened.close();
    }
    if (failures.length) throw new BenchError(`smoke failed for ${failures.join(', ')} (logs under ${opened.runtime.context.runDir}/services)`);
    process.stdout.write(`smoke passed on ${opened.runtime.kind} (run ${runId})\n`);
  });
}
