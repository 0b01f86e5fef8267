// The generator process's entry (see generator-process.ts): waits for its start message, runs
// the schedule loop, says when generation started, forwards hand-over times every 50 ms, then
// reports and exits. Ends when its parent goes away, so a killed harness leaves no generator.
import { EventFactory } from './events.ts';
import { HandOverLog, runGenerator } from './generator.ts';
import { processLoadStart, type GeneratorMessage, type GeneratorStart, type ProcessLoad } from './generator-process.ts';
import { SendSchedule } from './schedule.ts';

const send = (message: GeneratorMessage) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));

/** A hand-over log that also keeps what changed since the last flush, for the parent. */
class ForwardingHandOverLog extends HandOverLog {
  private pending = new Map<number, number>();

  override note(intendedMs: number, handedMs: number): void {
    super.note(intendedMs, handedMs);
    if (this.handedAt(intendedMs) === handedMs) this.pending.set(intendedMs, handedMs);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending = new Map();
    await send({ kind: 'hand-overs', entries });
  }
}

const parentGone = () => process.exit(1);
process.on('disconnect', parentGone);
process.once('message', (message: GeneratorStart) => {
  void (async () => {
    const { options } = message;
    const handOvers = new ForwardingHandOverLog();
    const flusher = setInterval(() => void handOvers.flush(), 50);
    let loadOf: (() => ProcessLoad) | undefined;
    try {
      const report = await runGenerator({
        bootstrap: options.bootstrap,
        topics: options.topics,
        schedule: new SendSchedule(options.profile),
        durationMs: options.durationMs,
        events: new EventFactory(options.spec, options.seed),
        behindBoundMs: options.behindBoundMs,
        handOvers,
        onStart: (startedAtMs) => {
          loadOf = processLoadStart();
          void send({ kind: 'started', startedAtMs });
        },
      });
      const load = loadOf!();
      clearInterval(flusher);
      await handOvers.flush();
      await send({ kind: 'done', report, load });
    } catch (error) {
      clearInterval(flusher);
      await send({ kind: 'failed', message: (error as Error).message });
    }
    // A clean end: the parent's channel closes by our hand, not because it went away.
    process.off('disconnect', parentGone);
    process.disconnect();
  })();
});
