// The nightly workflow is linted in `npm test`: actionlint on the committed file must be clean,
// and deliberately broken copies must fail — one broken for actionlint itself, one only
// shellcheck can see (so a clean result cannot come from shellcheck being skipped). In CI
// (process.env.CI) missing tools fail the test; elsewhere the lint is skipped with the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../paths.ts';
import { findLintTools, formatFindings, type LintTools, lintWorkflow, NIGHTLY_WORKFLOW } from './workflow-lint.ts';

const lookup = await findLintTools();
if (!lookup.found && !process.env.CI) console.warn(`workflow-lint.test.ts: the actionlint checks are skipped: ${lookup.missing}`);

function tools(): LintTools {
  if (!lookup.found) throw new Error(`CI must lint .github/workflows/nightly.yml, but ${lookup.missing}; .ci/run installs both`);
  return lookup;
}

const committed = fs.readFileSync(NIGHTLY_WORKFLOW, 'utf8');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-lint-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A copy of the committed workflow with one exact text replaced (which must be there). */
function brokenCopy(name: string, from: string, to: string): { file: string; line: number } {
  const at = committed.indexOf(from);
  expect(at, `the committed workflow no longer contains ${JSON.stringify(from)}; pick another text to break`).toBeGreaterThanOrEqual(0);
  const file = path.join(scratch, name);
  fs.writeFileSync(file, committed.slice(0, at) + to + committed.slice(at + from.length));
  return { file, line: committed.slice(0, at).split('\n').length };
}

describe.skipIf(!lookup.found && !process.env.CI)('actionlint + shellcheck on the nightly workflow', () => {
  it('the committed workflow is clean', async () => {
    const findings = await lintWorkflow(NIGHTLY_WORKFLOW, tools());
    expect(findings, formatFindings(NIGHTLY_WORKFLOW, findings)).toEqual([]);
  });

  it('a copy referring to a step that does not exist fails (actionlint)', async () => {
    const { file, line } = brokenCopy('typo.yml', 'npx bench publish "${{ steps.run.outputs.id }}"', 'npx bench publish "${{ steps.rnu.outputs.id }}"');
    const findings = await lintWorkflow(file, tools());
    expect(findings).toEqual([expect.objectContaining({ line, kind: 'expression', message: expect.stringContaining('property "rnu" is not defined') })]);
  });

  it('a copy with an unquoted variable in a run: block fails (shellcheck through actionlint)', async () => {
    const { file } = brokenCopy('unquoted.yml', 'echo "id=$run_id" >> "$GITHUB_OUTPUT"', 'echo "id=$run_id" >> $GITHUB_OUTPUT');
    const findings = await lintWorkflow(file, tools());
    expect(findings).toEqual([expect.objectContaining({ kind: 'shellcheck', message: expect.stringContaining('SC2086') })]);
  });

  it('the CI scripts pass shellcheck too', async () => {
    const scripts = fs.readdirSync(path.join(REPO_ROOT, '.ci')).filter((name) => name === 'run' || name.endsWith('.sh')).map((name) => path.join(REPO_ROOT, '.ci', name));
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    const result = await execa(tools().shellcheck, ['--format=gcc', ...scripts], { reject: false });
    expect(result.stdout, result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('the nightly workflow as written', () => {
  const workflow = parse(committed) as { jobs: Record<string, { 'runs-on': string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

  it('uses Node 22 and installs exactly the lock file (npm ci, never npm install)', () => {
    expect(steps.filter((s) => s.uses?.startsWith('actions/setup-node@')).map((s) => s.with?.['node-version'])).toEqual([22]);
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs.filter((r) => /\bnpm ci\b/.test(r))).toHaveLength(1);
    expect(runs.filter((r) => /\bnpm (install|i)\b/.test(r))).toEqual([]);
  });

  it('installs debootstrap and the Debian archive key for the base image on the Ubuntu runner', () => {
    const apt = steps.flatMap((s) => (s.run && /apt-get install/.test(s.run) ? [s.run] : []));
    expect(apt.join(' ')).toMatch(/\bdebootstrap\b/);
    expect(apt.join(' ')).toMatch(/\bdebian-archive-keyring\b/);
  });
});
