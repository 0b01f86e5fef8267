// The CI workflow checked before it runs: actionlint (built by .ci/install-actionlint.sh, pinned
// in actionlint.version) on a workflow file, with shellcheck for its `run:` blocks. actionlint
// silently skips shellcheck when it cannot find it, so both tools are located here and the
// shellcheck path is passed explicitly; a missing tool is reported, never a clean result.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { cacheDir, REPO_ROOT } from '../paths.ts';

export const ACTIONLINT_VERSION_FILE = path.join(REPO_ROOT, 'harness', 'ci', 'actionlint.version');
export const NIGHTLY_WORKFLOW = path.join(REPO_ROOT, '.github', 'workflows', 'nightly.yml');

export function pinnedActionlintVersion(): string {
  return fs.readFileSync(ACTIONLINT_VERSION_FILE, 'utf8').trim();
}

export interface LintTools {
  readonly actionlint: string;
  readonly shellcheck: string;
}

export type LintToolsLookup = ({ readonly found: true } & LintTools) | { readonly found: false; readonly missing: string };

async function whichOnPath(command: string): Promise<string | undefined> {
  const result = await execa('sh', ['-c', `command -v ${command}`], { reject: false });
  return result.exitCode === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
}

/** actionlint at the pinned version (the cache build first, then PATH) and shellcheck on PATH. */
export async function findLintTools(): Promise<LintToolsLookup> {
  const wanted = pinnedActionlintVersion();
  const candidates = [path.join(cacheDir(), 'bin', 'actionlint'), await whichOnPath('actionlint')].filter((c): c is string => c !== undefined);
  const seen: string[] = [];
  let actionlint: string | undefined;
  for (const candidate of candidates) {
    const result = await execa(candidate, ['-version'], { reject: false });
    if (result.exitCode !== 0) continue;
    const version = result.stdout.split('\n')[0].trim();
    if (version === wanted) {
      actionlint = candidate;
      break;
    }
    seen.push(`${candidate} is ${version}`);
  }
  const shellcheck = await whichOnPath('shellcheck');
  const missing = [
    ...(actionlint ? [] : [`actionlint ${wanted} (${seen.length ? `${seen.join('; ')}; ` : ''}build it: .ci/install-actionlint.sh)`]),
    ...(shellcheck ? [] : ['shellcheck on PATH (apt-get install shellcheck)']),
  ];
  if (!actionlint || !shellcheck) return { found: false, missing: `missing ${missing.join(' and ')}` };
  return { found: true, actionlint, shellcheck };
}

export interface WorkflowFinding {
  readonly line: number;
  readonly column: number;
  /** actionlint's rule: 'shellcheck', 'expression', 'syntax-check', 'action', … */
  readonly kind: string;
  readonly message: string;
}

/** Every finding of actionlint (and, through it, shellcheck) on one workflow file; [] when clean. */
export async function lintWorkflow(file: string, tools: LintTools): Promise<WorkflowFinding[]> {
  // -pyflakes= : no Python run: blocks here, and a result must not depend on whether pyflakes happens to be installed.
  const result = await execa(tools.actionlint, ['-no-color', '-format', '{{json .}}', `-shellcheck=${tools.shellcheck}`, '-pyflakes=', file], { reject: false, all: true });
  // 0: clean, 1: findings; anything else (2 bad flags, 3 fatal, e.g. unreadable file) is not a lint result.
  if (result.exitCode !== 0 && result.exitCode !== 1) {
    throw new Error(`${tools.actionlint} on ${file} exited with ${result.exitCode}: ${result.all}`);
  }
  const parsed = JSON.parse(result.stdout) as { line: number; column: number; kind: string; message: string }[];
  return parsed.map(({ line, column, kind, message }) => ({ line, column, kind, message }));
}

/** One line per finding, the way an editor shows it. */
export function formatFindings(file: string, findings: readonly WorkflowFinding[]): string {
  return findings.map((f) => `${path.relative(REPO_ROOT, file)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`).join('\n');
}
