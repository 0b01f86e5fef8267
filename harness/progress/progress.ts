// Live progress for long work (a run's units: workload × engine; downloads during prepare).
// On a terminal: one spinner line that says which unit of how many is running, its phase, the
// elapsed time and an ETA, plus a line per running download, redrawn in place; finished units
// and messages are printed above it. Anywhere else (CI logs, pipes, files): plain lines, one
// per event, no control characters.
//
// The terminal part is ora's: it redraws in place, and while it spins it wraps writes to
// stdout/stderr so lines written by other parts of the harness land above the spinner instead of
// through it. It is maintained (cli-progress has had no release since 2023) and runs on Node 20
// (listr2 11 needs Node 22.13, and its task-function model does not fit a flow that only reports).
import ora, { type Ora } from 'ora';
import { estimateRemainingMs, formatBytesOf, formatDuration, formatMiB } from './eta.ts';

export interface ProgressStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  /** Terminal width; a live display needs it (a pty without a size reports 0). */
  readonly columns?: number;
}

export interface ProgressOptions {
  /** Where to draw: normally process.stderr (stdout stays for the command's output). */
  readonly stream: ProgressStream;
  /** Draw live (redrawn in place) rather than plain lines. Default: a TTY stream outside CI with TERM other than dumb. Either way a stream without a width gets plain lines. */
  readonly isTTY?: boolean;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Spinner frames (tests: one frame, so the screen is exact). Default: ora's. */
  readonly frames?: readonly string[];
}

export interface UnitProgress {
  /** The unit's current phase (starting cluster, warm-up, repetition, draining, checking answer) and a detail ('2 of 3'). */
  phase(name: string, detail?: string): void;
  /** The unit finished; outcome in words ('completed', 'failed: …'). Its duration feeds the ETA. */
  done(outcome: string): void;
}

export interface Progress {
  /** The number of units the work has (k of N). */
  start(totalUnits: number): void;
  unit(label: string): UnitProgress;
  /** A line printed as is (above the live line on a terminal). */
  message(line: string): void;
  /** Bytes received of a download so far; received ≥ total ends it. */
  download(label: string, receivedBytes: number, totalBytes: number): void;
  /** Ends the display (and prints the summary when units were counted). */
  stop(): void;
}

/** Plain-line downloads print at these fractions, so a log gets a few lines per file, not hundreds. */
const PLAIN_DOWNLOAD_STEPS = [0, 0.25, 0.5, 0.75, 1];
/** How often the live line's clocks are redrawn. */
const TICK_MS = 1000;

interface RunningUnit {
  readonly index: number;
  readonly label: string;
  readonly startedAt: number;
  phase?: string;
  finished: boolean;
}

interface RunningDownload {
  received: number;
  total: number;
  /** Plain mode: the last step printed. */
  step: number;
}

export function defaultIsTTY(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && !('CI' in env);
}

export function createProgress(options: ProgressOptions): Progress {
  const { stream } = options;
  const now = options.now ?? Date.now;
  // ora divides by the width to count lines to clear: with none (0) it would never finish clearing.
  const live = (options.isTTY ?? defaultIsTTY(stream)) && (stream.columns ?? 0) > 0;
  let totalUnits: number | undefined;
  let startedAt: number | undefined;
  let started = 0;
  const finishedMs: number[] = [];
  let current: RunningUnit | undefined;
  const downloads = new Map<string, RunningDownload>();
  let spinner: Ora | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;

  const of = (index: number) => `${index} of ${totalUnits ?? '?'}`;
  const eta = (runningElapsed?: number) => {
    if (totalUnits === undefined) return undefined;
    const remaining = estimateRemainingMs(finishedMs, totalUnits, runningElapsed);
    return remaining === undefined ? 'ETA after the first unit' : `ETA ${formatDuration(remaining)}`;
  };
  const println = (line: string) => {
    // On a terminal the spinner's write hook clears the live line, prints this, redraws.
    stream.write(`${line}\n`);
  };

  // --- live (terminal) ---
  const liveText = (): string => {
    const lines: string[] = [];
    if (current && !current.finished) {
      const elapsed = now() - current.startedAt;
      const parts = [`${of(current.index)} ${current.label}`, current.phase ?? 'starting', formatDuration(elapsed)];
      if (startedAt !== undefined) parts.push(`total ${formatDuration(now() - startedAt)}`);
      const estimate = eta(elapsed);
      if (estimate) parts.push(estimate);
      lines.push(parts.join(' · '));
    }
    for (const [label, d] of downloads) lines.push(`${lines.length ? '  ' : ''}downloading ${label}: ${formatBytesOf(d.received, d.total)}`);
    return lines.join('\n');
  };
  const redraw = () => {
    if (!live) return;
    const text = liveText();
    if (text === '') {
      stopSpinner();
      return;
    }
    if (!spinner) {
      spinner = ora({
        stream: stream as NodeJS.WritableStream,
        isEnabled: true,
        // Never touch stdin (Ctrl-C must reach the teardown handlers); no colour codes to strip from logs.
        discardStdin: false,
        color: false,
        text,
        ...(options.frames ? { spinner: { frames: [...options.frames], interval: 100 } } : {}),
      });
      spinner.start();
      ticker = setInterval(redraw, TICK_MS);
      ticker.unref?.();
      return;
    }
    spinner.text = text;
    spinner.render();
  };
  const stopSpinner = () => {
    if (ticker) clearInterval(ticker);
    ticker = undefined;
    spinner?.stop();
    spinner = undefined;
  };

  return {
    start(units) {
      totalUnits = units;
      startedAt = now();
    },

    unit(label) {
      const unit: RunningUnit = { index: ++started, label, startedAt: now(), finished: false };
      current = unit;
      if (!live) println(`[${of(unit.index)}] ${label}: started${startedAt !== undefined ? ` (total ${formatDuration(now() - startedAt)}, ${eta()})` : ''}`);
      redraw();
      return {
        phase(name, detail) {
          if (unit.finished) return;
          unit.phase = detail ? `${name} ${detail}` : name;
          if (!live) println(`[${of(unit.index)}] ${label}: ${unit.phase} (${formatDuration(now() - unit.startedAt)})`);
          redraw();
        },
        done(outcome) {
          if (unit.finished) return;
          unit.finished = true;
          const duration = now() - unit.startedAt;
          finishedMs.push(duration);
          const estimate = eta();
          println(`[${of(unit.index)}] ${label}: ${outcome} in ${formatDuration(duration)}${estimate ? ` · ${finishedMs.length} of ${totalUnits} done, ${estimate}` : ''}`);
          redraw();
        },
      };
    },

    message(line) {
      println(line);
    },

    download(label, receivedBytes, totalBytes) {
      const received = Math.min(receivedBytes, totalBytes);
      const finished = received >= totalBytes;
      const known = downloads.get(label) ?? { received: 0, total: totalBytes, step: -1 };
      known.received = received;
      known.total = totalBytes;
      if (live) {
        if (finished) {
          downloads.delete(label);
          println(`downloaded ${label}: ${formatMiB(totalBytes)}`);
        } else downloads.set(label, known);
        redraw();
        return;
      }
      // Plain: one line when the download crosses the next step (start, each quarter, done).
      const fraction = totalBytes > 0 ? received / totalBytes : 1;
      let step = known.step;
      while (step + 1 < PLAIN_DOWNLOAD_STEPS.length && fraction >= PLAIN_DOWNLOAD_STEPS[step + 1]!) step++;
      if (step > known.step) {
        known.step = step;
        println(`downloading ${label}: ${formatBytesOf(received, totalBytes)}`);
      }
      if (finished) downloads.delete(label);
      else downloads.set(label, known);
    },

    stop() {
      stopSpinner();
      downloads.clear();
      if (totalUnits !== undefined && startedAt !== undefined) {
        println(`${finishedMs.length} of ${totalUnits} done in ${formatDuration(now() - startedAt)}`);
        totalUnits = undefined;
      }
    },
  };
}
