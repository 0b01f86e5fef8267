// The harness's own ceiling (a benchmark, not a test): how fast the generator process can drive
// a real Kafka with no engine reading, so a "≥ N rec/s (harness limit)" in a report can be read
// against what this machine's harness can do at all. Doubles the rate from 5,000 rec/s until the
// generator falls behind its schedule or its event loop is near full, one step at a time, with
// stream-passthrough's records.
//   npx tsx harness/streaming/generator-ceiling.ts [--runtime local|docker] [--max 640000] [--duration 10000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resourceBudget } from '../config/budget.ts';
import { startCluster } from '../engines/clusters.ts';
import { createTopics } from '../engines/kafka/client.ts';
import { defaultBehindBoundMs } from '../generators/stream/generator.ts';
import { processLoadStart, runGeneratorProcess, type ProcessLoad } from '../generators/stream/generator-process.ts';
import { newRunId } from '../results/store.ts';
import { openRuntime } from '../runtime/open-runtime.ts';
import { loadWorkload } from '../workloads/load.ts';
import { harnessLimitOf } from './harness-load.ts';
import { streamingSpecOf } from './streaming-spec.ts';

const { values: flags } = parseArgs({ options: { runtime: { type: 'string', default: 'local' }, max: { type: 'string', default: '640000' }, duration: { type: 'string', default: '10000' } } });
if (flags.runtime !== 'local' && flags.runtime !== 'docker') throw new Error(`--runtime: '${flags.runtime}' is not local or docker`);
const maxRate = Number(flags.max);
const durationMs = Number(flags.duration);
if (!(maxRate >= 5000) || !(durationMs >= 1000)) throw new Error(`--max must be ≥ 5000 (got ${flags.max}) and --duration ≥ 1000 ms (got ${flags.duration})`);
const spec = streamingSpecOf(loadWorkload('stream-passthrough'));

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ceiling-'));
const opened = await openRuntime({ choice: flags.runtime, runId: newRunId(), runDir, distributions: ['kafka'] });
try {
  const kafka = await startCluster('kafka', opened, { budget: resourceBudget({ workers: 1, cores: 2, memoryMiB: 2048 }), startTimeoutMs: 180_000 });
  try {
    console.log(`generator ceiling into Kafka at ${kafka.bootstrap} (${flags.runtime} runtime), stream-passthrough records, ${durationMs / 1000} s per step, ${os.cpus().length} cores`);
    console.log('rate (rec/s)  achieved (rec/s)  max behind (ms)  generator cores  generator loop  run process cores  limit');
    let best = 0;
    let stoppedBy = `reached --max ${maxRate} rec/s`;
    for (let rate = 5000; rate <= maxRate; rate *= 2) {
      const topic = `ceiling-${rate}`;
      await createTopics(kafka.bootstrap, [{ name: topic, partitions: 2 }]);
      let runProcess: (() => ProcessLoad) | undefined;
      const { report, load } = await runGeneratorProcess(
        { bootstrap: kafka.bootstrap, topics: [topic], profile: { kind: 'constant', rate }, durationMs, spec, seed: 1, behindBoundMs: defaultBehindBoundMs(durationMs) },
        { onStarted: () => (runProcess = processLoadStart()) },
      );
      const harnessLoad = { generator: load, runProcess: runProcess!() };
      const limit = harnessLimitOf(report, harnessLoad);
      const cells = [String(rate).padStart(12), report.achievedRate.toFixed(0).padStart(16), report.maxBehindMs.toFixed(0).padStart(15), load.cpuCores.toFixed(2).padStart(15), `${Math.round(load.eventLoopBusy * 100)} %`.padStart(14), harnessLoad.runProcess.cpuCores.toFixed(2).padStart(17)];
      console.log(`${cells.join('  ')}  ${limit ?? 'none'}`);
      if (limit) {
        stoppedBy = `${rate} rec/s hit the limit`;
        break;
      }
      best = rate;
    }
    console.log(best > 0 ? `ceiling: the generator kept up at ${best} rec/s (${stoppedBy})` : `ceiling: below 5000 rec/s (${stoppedBy})`);
  } finally {
    await kafka.stop();
  }
} finally {
  await opened.close();
  fs.rmSync(runDir, { recursive: true, force: true });
}
