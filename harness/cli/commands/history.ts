// `bench history s3://bucket/prefix|DIR`: the runs published under a prefix (its index.json)
// or kept in a results directory, oldest first.
import type { Command } from 'commander';
import { formatHistory } from '../../publish/format-history.ts';
import { listRuns } from '../../publish/load-runs.ts';
import { PUBLISH_OPTIONS } from '../../publish/options.ts';
import { toCommanderOption } from '../shared-options.ts';

export function registerHistory(program: Command): void {
  const command = program
    .command('history')
    .argument('<source>', 's3://bucket/prefix (where runs were published) or a results directory')
    .description('list runs: id, start time, status, profile, mode, scale, engines, measurements');
  for (const key of ['limit', 'json', 's3Endpoint'] as const) command.addOption(toCommanderOption(PUBLISH_OPTIONS[key]));
  command.action(async (source: string, flags: { limit?: number; json: boolean; s3Endpoint?: string }) => {
    const all = await listRuns(source, { s3: { endpoint: flags.s3Endpoint } });
    const runs = flags.limit === undefined ? all : all.slice(-flags.limit);
    process.stdout.write(flags.json ? `${JSON.stringify(runs, null, 2)}\n` : `${formatHistory(runs, source)}\n`);
  });
}
