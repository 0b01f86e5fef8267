// `bench list`: what can be run — workloads (with modes and data sizes), engines and
// variants, scales and profiles.
import type { Command } from 'commander';
import { PROFILES } from '../../config/profiles.ts';
import { BATCH_ENGINE_IDS, STREAMING_VARIANT_IDS } from '../../engines/index.ts';
import { listWorkloads } from '../../workloads/load.ts';
import { SCALES } from '../../workloads/workload-spec.ts';
import { DISTRIBUTION_NAMES, describeLockedVersions, loadLock } from '../../distributions/lock.ts';

/** 'spark  4.2.0 (default), 4.1.1' per engine: what --spark-version / --flink-version choose from. */
export function lockedVersionLines(lock = loadLock()): string[] {
  return DISTRIBUTION_NAMES.map((name) => `${name.padEnd(6)} ${describeLockedVersions(lock.distributions[name])}`);
}

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
  lines.push('', 'Engine versions (distributions lock; choose with --spark-version / --flink-version):', ...lockedVersionLines().map((line) => `  ${line}`));
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
