// What the runner tells the user while it works: units started and done ("k of N"), the phase
// of the current unit, free-form messages. The renderer (harness/progress: live on a TTY, plain
// lines otherwise) implements this; the runner knows nothing about terminals.
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

/** No output (tests). */
export const silentProgress: RunProgress = {
  start() {},
  unit: () => ({ phase() {}, done() {} }),
  message() {},
  stop() {},
};
