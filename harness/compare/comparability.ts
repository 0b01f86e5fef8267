// Like with like: two runs are only compared when what they measured was set up the same way —
// mode, profile, scale, resource budget, runtime kind and the exact engine distributions
// (versions, connector versions, artifact checksums). Differences that do not change what was
// measured but may move the numbers (host, harness commit) are reported as notes.
// Comparing across engine versions is a choice (acrossVersions): then a distribution whose
// version changed is the point of the comparison (its components and artifacts change with it);
// everything else must still be alike, including the distributions whose version did not change.
import type { ResultsDocument } from '../results/schema.ts';

/** One engine distribution whose version differs between the runs. */
export interface VersionChange {
  readonly name: string;
  readonly baseline: string;
  readonly candidate: string;
}

export interface Comparability {
  /** Why the runs cannot be compared; empty when they can. */
  readonly refusals: string[];
  /** Differences worth knowing that do not prevent the comparison. */
  readonly notes: string[];
  /** Distributions whose version differs (a refusal unless comparing across versions). */
  readonly versionChanges: VersionChange[];
}

export interface ComparableOptions {
  /** Engine version changes are what is being compared, not a reason to refuse. */
  readonly acrossVersions?: boolean;
}

export function checkComparable(baseline: ResultsDocument, candidate: ResultsDocument, options: ComparableOptions = {}): Comparability {
  const refusals: string[] = [];
  const notes: string[] = [];
  const differ = (what: string, a: unknown, b: unknown, into: string[]) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) into.push(`${what} differs: baseline ${JSON.stringify(a)}, candidate ${JSON.stringify(b)}`);
  };
  differ('mode', baseline.mode, candidate.mode, refusals);
  differ('profile', baseline.profile, candidate.profile, refusals);
  differ('scale', baseline.provenance.scale, candidate.provenance.scale, refusals);
  differ('resource budget', baseline.budget, candidate.budget, refusals);
  differ('runtime', baseline.provenance.runtime.kind, candidate.provenance.runtime.kind, refusals);
  const versionChanges: VersionChange[] = [];
  for (const difference of distributionDifferences(baseline, candidate)) {
    if (typeof difference === 'string') refusals.push(difference);
    else {
      versionChanges.push(difference);
      if (!options.acrossVersions) refusals.push(`${difference.name} version differs: baseline ${difference.baseline}, candidate ${difference.candidate}`);
    }
  }

  const host = (d: ResultsDocument) => {
    const { cpuModel, cores, memoryMiB } = d.provenance.host;
    return { cpuModel: typeof cpuModel === 'string' ? cpuModel : 'unknown', cores, memoryMiB };
  };
  differ('host', host(baseline), host(candidate), notes);
  const commit = (d: ResultsDocument) => ('commit' in d.provenance.git ? d.provenance.git.commit : 'unknown');
  differ('harness commit', commit(baseline), commit(candidate), notes);
  differ('engine settings', baseline.provenance.engineSettings, candidate.provenance.engineSettings, notes);
  for (const [name, document] of [['baseline', baseline], ['candidate', candidate]] as const) {
    if (document.status !== 'completed') notes.push(`${name} run ${document.runId} is '${document.status}', not completed: only what it finished is compared`);
  }
  return { refusals, notes, versionChanges };
}

/** Per distribution (by name): a version change, or why the two are not the same bits (a refusal). */
function distributionDifferences(baseline: ResultsDocument, candidate: ResultsDocument): (string | VersionChange)[] {
  const describe = (d: ResultsDocument['provenance']['distributions'][number]) => ({
    version: d.version,
    components: Object.fromEntries(d.components.map((c) => [c.name, c.version])),
    artifacts: Object.fromEntries(d.artifacts.map((a) => [a.file, `${a.algorithm}:${a.checksum}`])),
  });
  const before = new Map(baseline.provenance.distributions.map((d) => [d.name, describe(d)]));
  const after = new Map(candidate.provenance.distributions.map((d) => [d.name, describe(d)]));
  const out: (string | VersionChange)[] = [];
  for (const name of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) {
      out.push(`distribution '${name}' is only in the ${a ? 'baseline' : 'candidate'}`);
      continue;
    }
    if (a.version !== b.version) {
      out.push({ name, baseline: a.version, candidate: b.version });
      continue;
    }
    for (const component of [...new Set([...Object.keys(a.components), ...Object.keys(b.components)])].sort()) {
      if (a.components[component] !== b.components[component]) {
        out.push(`${name} component ${component} differs: baseline ${a.components[component] ?? 'absent'}, candidate ${b.components[component] ?? 'absent'}`);
      }
    }
    for (const file of [...new Set([...Object.keys(a.artifacts), ...Object.keys(b.artifacts)])].sort()) {
      if (a.artifacts[file] !== b.artifacts[file]) {
        out.push(`${name} artifact ${file} differs: baseline ${a.artifacts[file] ?? 'absent'}, candidate ${b.artifacts[file] ?? 'absent'}`);
      }
    }
  }
  return out;
}
