// runTeardowns in-process; the signal handlers in child processes that receive real signals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { onTeardown, runTeardowns } from './teardown.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('runTeardowns', () => {
  it('runs newest first, skips unregistered ones, survives errors and hung teardowns', async () => {
    const ran: string[] = [];
    onTeardown(async () => void ran.push('first'));
    const unregister = onTeardown(async () => void ran.push('removed'));
    onTeardown(() => new Promise<void>(() => {}), 'hangs');
    onTeardown(async () => {
      ran.push('fails');
      throw new Error('boom');
    });
    onTeardown(async () => void ran.push('last'));
    unregister();
    const t0 = Date.now();
    await runTeardowns({ timeoutMs: 200 });
    const elapsed = Date.now() - t0;
    expect(ran).toEqual(['last', 'fails', 'first']);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
    await runTeardowns(); // each runs once
    expect(ran).toEqual(['last', 'fails', 'first']);
  });
});

describe('signal handlers', () => {
  /** A child that registers a teardown appending to `marker`, says "ready", then idles. */
  function childScript(dir: string, teardownBody: string): string {
    // .mts: outside the repo there is no package.json saying "type": "module".
    const script = path.join(dir, 'child.mts');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { onTeardown } from ${JSON.stringify(path.join(here, 'teardown.ts'))};
const marker = ${JSON.stringify(path.join(dir, 'marker'))};
onTeardown(async () => { ${teardownBody} }, 'child teardown');
setInterval(() => {}, 1000);
console.log('ready');
`,
    );
    return script;
  }

  async function runUntilReady(script: string) {
    const child = execa('node', ['--import', 'tsx', script], { reject: false, env: { BENCH_LOG: 'silent' } });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
      void child.then((r) => reject(new Error(`child exited before it was ready: ${r.stderr}`)));
    });
    // Wrapped: the subprocess is a thenable, returning it from an async function would await its exit.
    return { child };
  }

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} runs the teardowns, then exits with ${code}`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-teardown-'));
      const { child } = await runUntilReady(childScript(dir, `await new Promise((r) => setTimeout(r, 300)); fs.writeFileSync(marker, 'torn down');`));
      child.kill(signal);
      const result = await child;
      expect(result.exitCode).toBe(code);
      expect(fs.readFileSync(path.join(dir, 'marker'), 'utf8')).toBe('torn down');
    });
  }

  it('a second Ctrl-C exits at once, without waiting for a hung teardown', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-teardown-'));
    const { child } = await runUntilReady(childScript(dir, `fs.writeFileSync(marker, 'started'); await new Promise(() => {});`));
    child.kill('SIGINT');
    await expect.poll(() => fs.existsSync(path.join(dir, 'marker')), { timeout: 5_000 }).toBe(true);
    const t0 = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
