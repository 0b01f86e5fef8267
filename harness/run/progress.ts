// What the runner tells the user while it works: units started and done ("k of N"), the phase
// of the current unit, free-form messages. The renderer (live on a TTY, plain lines otherwise)
// implements this; the runner knows nothing about terminals.
export interface UnitProgress {
  /** The current phase of the unit: starting cluster, warm-up, repetition 2/3, draining, checking answer … */
  phase(name: string, detail?: string): void;
  /** The unit's outcome in a few words ("completed, median 4.1 s"). */
  done(outcome: string): void;
}

export interface RunProgress {
  start(totalUnits: number): void;
  unit(label: string): UnitProgress;
  message(line: string): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Plain lines through `write`: `[k/N] label: phase` — readable in logs and when nothing else is wired. */
export function lineProgress(write: (line: string) => void, now: () => number = Date.now): RunProgress {
  let total = 0;
  let index = 0;
  const startedAt = now();
  return {
    start(totalUnits) {
      total = totalUnits;
    },
    unit(label) {
      index += 1;
      const prefix = `[${index}/${total}] ${label}`;
      const unitStarted = now();
      return {
        phase: (name, detail) => write(`${prefix}: ${name}${detail ? ` (${detail})` : ''} · elapsed ${seconds(now() - startedAt)}`),
        done: (outcome) => write(`${prefix}: ${outcome} in ${seconds(now() - unitStarted)}`),
      };
    },
    message: write,
    stop() {},
  };
}

/** No output (tests). */
export const silentProgress: RunProgress = {
  start() {},
  unit: () => ({ phase() {}, done() {} }),
  message() {},
  stop() {},
};
