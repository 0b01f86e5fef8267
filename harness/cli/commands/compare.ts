// `bench compare <baseline> <candidate>` | `bench compare --previous-in SOURCE <candidate>`:
// per workload × engine, the change in median time and a Mann-Whitney U test; exit 4 on a
// regression, 5 when the runs were not set up alike (cli/main.ts maps the error kinds).
import type { Command } from 'commander';
import { compareCommand } from '../../compare/compare-command.ts';
import { BenchError } from '../../errors.ts';
import { PUBLISH_OPTIONS, parseAlpha, parseThreshold } from '../../publish/options.ts';
import { toCommanderOption } from '../shared-options.ts';

interface CompareFlags {
  threshold: string;
  alpha: string;
  metric: 'wall' | 'engine';
  previousIn?: string;
  s3Endpoint?: string;
  acrossVersions: boolean;
}

export function registerCompare(program: Command): void {
  const command = program
    .command('compare')
    .argument('<runs...>', 'baseline and candidate: run ids (under results/), run directories, or s3://bucket/prefix/runs/<run-id>')
    .description(
      'compare two runs per workload × engine: change in median and a Mann-Whitney U test over the repetitions; ' +
        'exit 4 when a change is significant and beyond --threshold (or a measurement stopped completing), 5 when the runs are not alike',
    );
  for (const key of ['threshold', 'alpha', 'metric', 'acrossVersions', 'previousIn', 's3Endpoint'] as const) command.addOption(toCommanderOption(PUBLISH_OPTIONS[key]));
  command.action(async (runs: string[], flags: CompareFlags) => {
    const outcome = await compareCommand({
      runs,
      previousIn: flags.previousIn,
      threshold: parseThreshold(flags.threshold),
      alpha: parseAlpha(flags.alpha),
      metric: flags.metric,
      acrossVersions: flags.acrossVersions,
      s3: { endpoint: flags.s3Endpoint },
    });
    if (outcome.verdict === 'not-comparable') throw new BenchError(outcome.text, 'not-comparable');
    process.stdout.write(`${outcome.text}\n`);
    if (outcome.verdict === 'regression') {
      const count = outcome.comparison?.regressions.length ?? 0;
      throw new BenchError(`${count} regression${count === 1 ? '' : 's'} (see the table above)`, 'regression');
    }
  });
}
