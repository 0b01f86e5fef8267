// `bench compare` without the command-line parsing: resolve the two runs (ids, directories,
// S3 URLs, or "the previous run published in …"), refuse unlike runs, compare, and say the
// verdict (the CLI maps it to an exit code).
import { UsageError } from '../errors.ts';
import { loadRun, previousRun, type LoadOptions } from '../publish/load-runs.ts';
import { checkComparable } from './comparability.ts';
import { compareRuns, type CompareOptions, type Comparison } from './compare-runs.ts';
import { formatComparison } from './format-comparison.ts';
import { describeVersionChanges, versionVerdictLines } from './across-versions.ts';

export interface CompareRequest extends CompareOptions, LoadOptions {
  /** [baseline, candidate], or [candidate] with previousIn. */
  runs: string[];
  previousIn?: string;
  /** The engine versions differ on purpose: compare them (with verdict lines naming both versions) instead of refusing. */
  acrossVersions?: boolean;
}

export interface CompareOutcome {
  /** ok: compared, no regression (or nothing to compare with); regression: significant and beyond the threshold; not-comparable: refused. */
  verdict: 'ok' | 'regression' | 'not-comparable';
  /** What to print on stdout. */
  text: string;
  comparison?: Comparison;
}

export async function compareCommand(request: CompareRequest): Promise<CompareOutcome> {
  const { runs, previousIn } = request;
  const expected = previousIn ? 1 : 2;
  if (runs.length !== expected) {
    throw new UsageError(
      previousIn
        ? `compare --previous-in takes one run (the candidate), got ${runs.length}`
        : `compare takes two runs (baseline, candidate), got ${runs.length}; or one run with --previous-in s3://bucket/prefix|DIR`);
  }
  const candidate = await loadRun(runs.at(-1)!, request);
  let baseline;
  if (previousIn) {
    const previous = await previousRun(previousIn, candidate, request);
    if (!previous.document) return { verdict: 'ok', text: `nothing to compare ${candidate.runId} with: ${previous.reason}` };
    baseline = previous.document;
  } else {
    baseline = await loadRun(runs[0], request);
  }
  const { refusals, notes, versionChanges } = checkComparable(baseline, candidate, { acrossVersions: request.acrossVersions });
  const noteLines = notes.map((note) => `note: ${note}`);
  if (refusals.length > 0) {
    return {
      verdict: 'not-comparable',
      text: [
        `not comparing ${baseline.runId} with ${candidate.runId}: they were not set up alike`,
        ...refusals.map((reason) => `  - ${reason}`),
        ...(versionChanges.length && !request.acrossVersions ? ['(to compare engine versions on purpose, add --across-versions)'] : []),
        ...noteLines,
      ].join('\n'),
    };
  }
  // The flag allows a version change; it does not require one (a nightly can always pass it).
  if (request.acrossVersions && versionChanges.length === 0) {
    const versions = candidate.provenance.distributions.map((d) => `${d.name} ${d.version}`).join(', ') || 'none recorded';
    noteLines.push(`note: --across-versions: both runs have the same engine versions (${versions}); compared as usual`);
  }
  const comparison = compareRuns(baseline, candidate, request);
  const versionLines = request.acrossVersions && versionChanges.length
    ? [
        `across engine versions: ${describeVersionChanges(
          versionChanges,
          candidate.provenance.distributions.filter((d) => !versionChanges.some((c) => c.name === d.name)),
        )}`,
        '',
      ]
    : [];
  const verdicts = request.acrossVersions && versionChanges.length ? ['', 'by engine version:', ...versionVerdictLines(comparison, versionChanges).map((line) => `  ${line}`)] : [];
  return {
    verdict: comparison.regressions.length > 0 ? 'regression' : 'ok',
    text: [...noteLines, ...(noteLines.length ? [''] : []), ...versionLines, formatComparison(comparison), ...verdicts].join('\n'),
    comparison,
  };
}
