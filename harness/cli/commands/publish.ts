// `bench publish <run> s3://bucket/prefix`: upload results/<run-id>/results.json and the
// report (reports/<run-id>/), verified and idempotent, and update <prefix>/index.json.
import type { Command } from 'commander';
import { publishToUrl } from '../../publish/publish-command.ts';
import { PUBLISH_OPTIONS } from '../../publish/options.ts';
import { toCommanderOption } from '../shared-options.ts';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .argument('<run>', 'run id (under results/) or run directory')
    .argument('<target>', 's3://bucket/prefix')
    .description('upload a run (results.json + its HTML report) to S3 and list it in <prefix>/index.json; re-publishing an unchanged run uploads nothing')
    .addOption(toCommanderOption(PUBLISH_OPTIONS.s3Endpoint))
    .action(async (run: string, target: string, flags: { s3Endpoint?: string }) => {
      const outcome = await publishToUrl(run, target, { endpoint: flags.s3Endpoint });
      process.stdout.write(
        `${outcome.target}: ${outcome.uploaded.length} object${outcome.uploaded.length === 1 ? '' : 's'} uploaded (${outcome.bytesUploaded} bytes), ` +
          `${outcome.unchanged.length} unchanged, index ${outcome.indexUpdated ? 'updated' : 'unchanged'} (${outcome.durationMs} ms)\n`,
      );
    });
}
