// `bench list`: what can be run — workloads (with modes and data sizes), engines and
// variants, scales and profiles.
import type { Command } from 'commander';
import { PROFILES } from '../../config/profiles.ts';
import { BATCH_ENGINE_IDS, STREAMING_VARIANT_IDS } from '../../engines/index.ts';
import { listWorkloads } from '../../workloads/load.ts';
import { SCALES } from '../../workloads/workload-spec.ts';

export function listText(): string {
  const lines: string[] = ['Workloads:'];
  for (const w of listWorkloads()) {
    lines.push(`  ${w.id.padEnd(20)} ${w.spec.modes.join('+').padEnd(10)} ${w.spec.title}`);
    for (const [name, dataset] of Object.entries(w.spec.datasets ?? {})) {
      lines.push(`  ${''.padEnd(31)} ${name}: ${SCALES.map((s) => `${s} ${dataset.rows[s].toLocaleString('en')}`).join(', ')} rows`);
    }
  }
  lines.push('', 'Engines:', `  batch      ${BATCH_ENGINE_IDS.join(', ')}  (duckdb: in-process single-machine baseline and the reference answer)`);
  lines.push(`  streaming  ${STREAMING_VARIANT_IDS.join(', ')}`);
  lines.push('', `Scales: ${SCALES.join(', ')}`, '', 'Profiles:');
  for (const [name, profile] of Object.entries(PROFILES)) lines.push(`  ${name.padEnd(8)} ${profile.description}`);
  return lines.join('\n') + '\n';
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('show workloads, engines and variants, scales and profiles')
    .action(() => {
      process.stdout.write(listText());
    });
}
