// Environment and provenance: everything needed to reproduce the run, as tables.
import { isMissing, type ResultsDocument } from '../results/schema.ts';
import type { Cell, Section } from './model.ts';
import { flatten } from './method.ts';

function orMissing(value: string | { missing: true; reason: string }): Cell {
  return isMissing(value) ? { text: `missing: ${value.reason}` } : value;
}

export function provenanceSection(document: ResultsDocument): Section {
  const p = document.provenance;
  const git = isMissing(p.git) ? `missing: ${p.git.reason}` : `${p.git.commit}${p.git.dirty ? ' (with uncommitted changes)' : ''}`;
  const rows: Cell[][] = [
    ['Run id', document.runId],
    ['Run status', document.status],
    ['Started', document.startedAt],
    ['Finished', document.finishedAt ?? '(not finished)'],
    ['Command', document.command.join(' ')],
    ['Profile', document.profile],
    ['Mode', document.mode],
    ['Seed', String(p.seed)],
    ['Scale', String(p.scale)],
    ['Harness version', p.harness.version],
    ['Git commit', git],
    ['Host OS', p.host.os],
    ['Architecture / kernel', `${p.host.arch} / ${p.host.kernel}`],
    ['CPU', orMissing(p.host.cpuModel)],
    ['Logical CPUs', String(p.host.cores)],
    ['Host memory (MiB)', String(p.host.memoryMiB)],
    ['Node.js', p.node.version],
    ['Java', isMissing(p.java) ? `missing: ${p.java.reason}` : p.java.description],
    ['Runtime', p.runtime.kind],
    ...flatten(p.runtime.details).map(([key, value]): Cell[] => [`Runtime ${key}`, value]),
  ];
  const distributionRows: Cell[][] = p.distributions.map((d) => [d.name, d.version, d.components.map((c) => `${c.name} ${c.version}`).join(', ') || '—']);
  const artifactRows: Cell[][] = p.distributions.flatMap((d) => d.artifacts.map((a): Cell[] => [d.name, a.file, `${a.algorithm}:${a.checksum}`]));
  const imageRows: Cell[][] = Object.entries(p.runtime.images).map(([tag, id]) => [tag, id]);
  return {
    id: 'environment',
    title: 'Environment and provenance',
    blocks: [
      { kind: 'table', table: { columns: [{ header: 'What' }, { header: 'Value' }], rows } },
      { kind: 'table', title: 'Engine distributions', table: { columns: [{ header: 'Distribution' }, { header: 'Version' }, { header: 'Components' }], rows: distributionRows.length ? distributionRows : [['(none recorded)', '', '']] } },
      ...(artifactRows.length
        ? [{ kind: 'table' as const, title: 'Artifacts and checksums', table: { columns: [{ header: 'Distribution' }, { header: 'File' }, { header: 'Checksum' }], rows: artifactRows, collapsed: true } }]
        : []),
      ...(imageRows.length ? [{ kind: 'table' as const, title: 'Container images', table: { columns: [{ header: 'Tag' }, { header: 'Image id' }], rows: imageRows } }] : []),
    ],
  };
}
