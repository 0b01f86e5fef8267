// The reaper process (started by reaper.ts): waits for its harness to go — the end of the pipe
// on stdin, or the harness's pid no longer being that process (polled each second, in case
// something else holds the pipe open) — then stops everything of its run and exits. "done" on
// the pipe first means the run ended normally: exit without touching anything.
import { processStartTime } from './proc.ts';
import { REAPER_READY, REAPER_RELEASE, type ReaperConfig } from './reaper.ts';

const config = JSON.parse(process.argv[2] ?? '') as ReaperConfig;
const POLL_MS = 1_000;
/** Give up after this: a hung Docker engine must not keep the reaper forever. */
const REAP_TIMEOUT_MS = 120_000;
const started = Date.now();

function say(message: string): void {
  try {
    process.stderr.write(`${new Date().toISOString()} reaper of run ${config.runId} (${config.kind}, pid ${process.pid}): ${message}\n`);
  } catch {
    /* no log (full disk): reaping matters more */
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reapLocal(): Promise<string[]> {
  const { stopRunProcesses } = await import('./process-registry.ts');
  const lines = await stopRunProcesses(config.runId, { graceMs: config.graceMs });
  // A second look catches a process forked while the first pass was signalling.
  await sleep(300);
  lines.push(...(await stopRunProcesses(config.runId, { graceMs: 1_000 })));
  return lines;
}

async function reapDocker(): Promise<string[]> {
  const [{ default: Docker }, { removeRunResources }] = await Promise.all([import('dockerode'), import('./docker-clean.ts')]);
  const docker = new Docker();
  const lines = await removeRunResources(docker, { runId: config.runId });
  // A create the harness sent just before it died may still be landing in the engine.
  await sleep(2_000);
  lines.push(...(await removeRunResources(docker, { runId: config.runId })));
  return lines;
}

let released = false;
let reaping = false;

function ownerGone(why: string): void {
  if (released) {
    say('released: the run ended normally; nothing to do');
    process.exit(0);
  }
  if (reaping) return;
  reaping = true;
  clearInterval(poll);
  const t0 = Date.now();
  say(`${why}: stopping everything of run ${config.runId}`);
  const timeout = sleep(REAP_TIMEOUT_MS).then(() => [`gave up after ${REAP_TIMEOUT_MS} ms; run \`npx bench clean\` for what is left`]);
  void Promise.race([config.kind === 'local' ? reapLocal() : reapDocker(), timeout])
    .then((lines) => {
      for (const line of lines) say(line);
      say(`done in ${Date.now() - t0} ms`);
    })
    .catch((error: Error) => say(`failed: ${error.stack ?? error.message}`))
    .finally(() => process.exit(0));
}

process.stdin.setEncoding('utf8');
let received = '';
process.stdin.on('data', (chunk: string) => {
  received += chunk;
  if (received.split('\n').includes(REAPER_RELEASE)) released = true;
});
process.stdin.on('end', () => ownerGone('the harness closed its end of the pipe'));
process.stdin.on('error', (error) => ownerGone(`the pipe to the harness failed (${error.message})`));
const poll = setInterval(() => {
  if (processStartTime(config.owner.pid) !== config.owner.startTime) ownerGone(`the harness (pid ${config.owner.pid}) is gone`);
}, POLL_MS);
// A detached session has no terminal, but a stray hang-up or Ctrl-C must not end the watch.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => say(`${signal} ignored`));

say(`watching harness pid ${config.owner.pid} (started in ${Date.now() - started} ms)`);
process.stdout.write(`${REAPER_READY}\n`);
