// Real engines, tiny scale, on BOTH runtimes: start Spark / Flink / Kafka, run the smoke
// query through each engine's own submission path, stop, and check nothing of ours is left.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceBudget } from '../config/budget.ts';
import { dockerAvailable } from '../runtime/docker-runtime.ts';
import { listRecorded } from '../runtime/process-registry.ts';
import { openRuntime, type OpenedRuntime } from '../runtime/open-runtime.ts';
import { LABEL_RUN_ID } from '../runtime/runtime.ts';
import { newRunId } from '../results/store.ts';
import { smokeEngine } from '../cli/commands/smoke.ts';
import { CLUSTER_NAMES } from './clusters.ts';

const budget = resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 });
const haveDocker = await dockerAvailable();
// In CI Docker is installed by .ci/run, so a missing engine there is a failure, not a skip.
const runtimes = (['local', 'docker'] as const).filter((kind) => kind === 'local' || haveDocker || process.env.CI);

async function leftovers(runId: string): Promise<string[]> {
  const found = listRecorded({ runId }).map((p) => `process ${p.pid} (${p.service})`);
  if (haveDocker) {
    const docker = new Docker();
    const filters = JSON.stringify({ label: [`${LABEL_RUN_ID}=${runId}`] });
    found.push(...(await docker.listContainers({ all: true, filters })).map((c) => `container ${c.Names[0]}`));
    found.push(...(await docker.listNetworks({ filters })).map((n) => `network ${n.Name}`));
  }
  return found;
}

describe.each(runtimes)('engines on the %s runtime', (kind) => {
  let opened: OpenedRuntime;
  const runId = newRunId();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-engines-${kind}-`));

  beforeAll(async () => {
    opened = await openRuntime({ choice: kind, runId, runDir, distributions: [...CLUSTER_NAMES] });
  }, 1_800_000);

  afterAll(async () => {
    await opened?.close();
    expect(await leftovers(runId)).toEqual([]);
  });

  for (const name of CLUSTER_NAMES) {
    it(`${name}: starts, answers the smoke check, stops without leftovers`, async () => {
      const outcome = await smokeEngine(name, opened, budget, 180_000);
      expect(outcome.detail).not.toMatch(/expected|missing|exited/);
      expect(outcome.ok).toBe(true);
      // The cluster is stopped by smokeEngine; only the run network (docker) may remain until close().
      const left = (await leftovers(runId)).filter((l) => !l.startsWith('network'));
      expect(left).toEqual([]);
    }, 600_000);
  }
});
