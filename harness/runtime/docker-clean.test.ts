import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ensureImages } from '../distributions/images.ts';
import { cleanDocker } from './docker-clean.ts';
import { dockerAvailable } from './docker-runtime.ts';
import { LABEL_RUN_ID, LABEL_SERVICE, LABEL_TOOL, LABEL_TOOL_VALUE } from './runtime.ts';

const docker = new Docker();

// In CI Docker is installed by .ci/run: a missing engine there fails instead of skipping.
describe.skipIf(!(await dockerAvailable()) && !process.env.CI)('cleanDocker (real Docker)', () => {
  it('removes the containers and network of one run, leaving other runs alone', async () => {
    const { base } = (await ensureImages([])).tags;
    const labels = (runId: string, service: string) => ({ [LABEL_TOOL]: LABEL_TOOL_VALUE, [LABEL_RUN_ID]: runId, [LABEL_SERVICE]: service });
    const suffix = Date.now().toString(36);
    const [runA, runB] = [`clean-a-${suffix}`, `clean-b-${suffix}`];
    const created: Docker.Container[] = [];
    try {
      for (const runId of [runA, runB]) {
        await docker.createNetwork({ Name: `bench-${runId}`, Labels: labels(runId, 'network') });
        const running = await docker.createContainer({
          name: `bench-${runId}-sleeper`,
          Image: base,
          Cmd: ['sleep', '300'],
          Labels: labels(runId, 'sleeper'),
          HostConfig: { Init: true, NetworkMode: `bench-${runId}` },
        });
        await running.start();
        created.push(running, await docker.createContainer({ name: `bench-${runId}-never-started`, Image: base, Labels: labels(runId, 'idle') }));
      }

      const lines = await cleanDocker({ runId: runA });
      expect(lines.sort()).toEqual([
        `removed container bench-${runA}-never-started (run ${runA}, service idle, was created)`,
        `removed container bench-${runA}-sleeper (run ${runA}, service sleeper, was running)`,
        `removed network bench-${runA} (run ${runA})`,
      ]);
      const left = await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${runB}`] } });
      expect(left.map((c) => c.Names[0]).sort()).toEqual([`/bench-${runB}-never-started`, `/bench-${runB}-sleeper`]);
      expect(await cleanDocker({ runId: runA })).toEqual([]);

      // Not the unfiltered form here: it would also remove other runs' containers on this machine.
      expect(await cleanDocker({ runId: runB })).toContain(`removed network bench-${runB} (run ${runB})`);
      expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN_ID}=${runB}`] } })).toEqual([]);
    } finally {
      await Promise.allSettled(created.map((c) => c.remove({ force: true })));
      await Promise.allSettled([runA, runB].map((r) => docker.getNetwork(`bench-${r}`).remove()));
    }
  }, 60_000);
});
