// Benchmark script (not a test): cluster up time per engine per runtime, median of N starts.
// Usage: npx tsx harness/run/cluster-up-times.ts [runs=3] [runtimes=local,docker]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resourceBudget } from '../config/budget.ts';
import { CLUSTER_NAMES, startCluster } from '../engines/clusters.ts';
import { newRunId } from '../results/store.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { summarize } from '../stats/summary.ts';

const runs = Number(process.argv[2] ?? 3);
const runtimes = (process.argv[3] ?? 'local,docker').split(',') as ('local' | 'docker')[];
const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 4096 });

for (const kind of runtimes) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-up-times-${kind}-`));
  const opened = await openRuntime({ choice: kind, runId: newRunId(), runDir, distributions: [...CLUSTER_NAMES] });
  try {
    for (const name of CLUSTER_NAMES) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = Date.now();
        const cluster = await startCluster(name, opened, { budget, startTimeoutMs: 180_000 });
        times.push(Date.now() - started);
        await cluster.stop();
      }
      const s = summarize(times);
      console.log(`${kind.padEnd(6)} ${name.padEnd(6)} up in median ${(s.median / 1000).toFixed(1)} s (min ${(s.min / 1000).toFixed(1)}, max ${(s.max / 1000).toFixed(1)}; ${runs} starts)`);
    }
  } finally {
    await opened.close();
  }
}
