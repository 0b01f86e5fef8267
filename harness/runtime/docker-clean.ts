// Removal by label: what `bench clean` and the docker runtime's close() use, so a crashed run
// never leaks containers or networks.
import Docker from 'dockerode';
import { LABEL_RUN_ID, LABEL_SERVICE, LABEL_TOOL, LABEL_TOOL_VALUE } from './runtime.ts';

const isStatus = (error: unknown, ...codes: number[]) => codes.includes((error as { statusCode?: number }).statusCode ?? 0);

/** Force-remove; a container already gone (404) or already being removed (409) is fine. */
export async function removeQuietly(container: Docker.Container): Promise<void> {
  await container.remove({ force: true, v: true }).catch((error) => {
    if (!isStatus(error, 404, 409)) throw error;
  });
}

/**
 * Remove every container and network labelled as ours (one run, or all runs), containers first
 * (a network with endpoints cannot be removed). Returns one line per removed or failed thing.
 */
export async function removeRunResources(docker: Docker, filter: { runId?: string } = {}): Promise<string[]> {
  const label = [`${LABEL_TOOL}=${LABEL_TOOL_VALUE}`, ...(filter.runId ? [`${LABEL_RUN_ID}=${filter.runId}`] : [])];
  const lines: string[] = [];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map(async (info) => {
      const name = info.Names[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12);
      try {
        await removeQuietly(docker.getContainer(info.Id));
        lines.push(`removed container ${name} (run ${info.Labels[LABEL_RUN_ID]}, service ${info.Labels[LABEL_SERVICE]}, was ${info.State})`);
      } catch (error) {
        lines.push(`could not remove container ${name}: ${(error as Error).message}`);
      }
    }),
  );
  const networks = await docker.listNetworks({ filters: { label } });
  for (const info of networks) {
    try {
      await docker.getNetwork(info.Id).remove();
      lines.push(`removed network ${info.Name} (run ${info.Labels?.[LABEL_RUN_ID]})`);
    } catch (error) {
      if (isStatus(error, 404)) continue;
      lines.push(`could not remove network ${info.Name}: ${(error as Error).message}`);
    }
  }
  return lines;
}

/** Remove every container and network labelled bench.tool=spark-flink-bench (optionally of one run). */
export async function cleanDocker(filter: { runId?: string } = {}, docker = new Docker()): Promise<string[]> {
  return removeRunResources(docker, filter);
}
