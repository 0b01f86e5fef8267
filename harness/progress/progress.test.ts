import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { estimateRemainingMs, formatBytesOf, formatDuration } from './eta.ts';
import type { RunProgress } from '../run/progress.ts';
import { createProgress, defaultIsTTY } from './progress.ts';

// The run flow's progress interface is what this renderer implements (checked by tsc).
const _implementsRunProgress: RunProgress = createProgress({ stream: { write: () => true } });
void _implementsRunProgress;

/** A non-TTY stream (a CI log, a pipe): collects what is written. */
class PlainStream {
  text = '';
  readonly isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/**
 * A fake terminal: the tty.WriteStream methods ora uses, emitting the escape codes a real one
 * would, and a screen that interprets them, so a test reads what the user would see.
 */
class FakeTerminal {
  readonly isTTY = true;
  columns = 120;
  raw = '';
  write(chunk: string): boolean {
    this.raw += chunk;
    return true;
  }
  cursorTo(x: number): boolean {
    return this.write(`\u001B[${x + 1}G`);
  }
  moveCursor(dx: number, dy: number): boolean {
    return this.write(dy < 0 ? `\u001B[${-dy}A` : dy > 0 ? `\u001B[${dy}B` : '') && dx === 0;
  }
  clearLine(): boolean {
    return this.write('\u001B[0K');
  }
  once(): this {
    return this;
  }
  /** The screen after interpreting everything written: lines, trailing spaces trimmed. */
  screen(): string[] {
    const lines: string[][] = [[]];
    let row = 0;
    let col = 0;
    const pattern = /\u001B\[(\??)(\d*)([A-Za-z])|\n|\r|[^\u001B\n\r]/gu;
    for (const match of this.raw.matchAll(pattern)) {
      const [token, private_, count, command] = match;
      if (token === '\n') {
        row++;
        col = 0;
        lines[row] ??= [];
      } else if (token === '\r') col = 0;
      else if (command) {
        if (private_) continue; // cursor show/hide, synchronized output
        const n = Number(count || 1);
        if (command === 'G') col = n - 1;
        else if (command === 'A') row = Math.max(0, row - n);
        else if (command === 'K') lines[row]!.length = Math.min(lines[row]!.length, col);
      } else {
        lines[row]![col++] = token;
      }
    }
    return lines.map((line) => Array.from(line, (c) => c ?? ' ').join('').trimEnd()).filter((line, i, all) => line !== '' || i < all.length - 1);
  }
}

let clock = 0;
const now = () => clock;
const advance = (ms: number) => {
  clock += ms;
  vi.advanceTimersByTime(ms);
};

beforeEach(() => {
  clock = 1_000_000;
  vi.useFakeTimers({ now: clock });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ETA and formats', () => {
  it('estimates from the mean of the finished units', () => {
    expect(estimateRemainingMs([], 5)).toBeUndefined();
    expect(estimateRemainingMs([60_000, 120_000], 5)).toBe(270_000);
    // A unit running for 30 s of a 90 s mean: 60 s left of it, then two more.
    expect(estimateRemainingMs([60_000, 120_000], 5, 30_000)).toBe(240_000);
    // Running over the mean: that unit counts as due now.
    expect(estimateRemainingMs([60_000, 120_000], 5, 200_000)).toBe(180_000);
    expect(estimateRemainingMs([10_000, 10_000], 2, 5_000)).toBe(0);
  });

  it('writes durations and byte counts', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(42_999)).toBe('0:42');
    expect(formatDuration(62_000)).toBe('1:02');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatBytesOf(126_143_692, 471_957_504)).toBe('120.3 of 450.1 MiB (26 %)');
    expect(formatBytesOf(0, 0)).toBe('0.0 of 0.0 MiB (100 %)');
  });

  it('prints plain lines on a terminal that reports no width (a pty without a size)', () => {
    const terminal = Object.assign(new FakeTerminal(), { columns: 0 });
    const progress = createProgress({ stream: terminal, isTTY: true, now });
    progress.unit('topn / spark').done('completed');
    expect(terminal.raw).toBe('[1 of ?] topn / spark: started\n[1 of ?] topn / spark: completed in 0:00\n');
  });

  it('is live only on a TTY outside CI and dumb terminals', () => {
    expect(defaultIsTTY({ isTTY: true, write: () => true }, { TERM: 'xterm' })).toBe(true);
    expect(defaultIsTTY({ isTTY: true, write: () => true }, { TERM: 'xterm', CI: 'true' })).toBe(false);
    expect(defaultIsTTY({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
    expect(defaultIsTTY({ isTTY: false, write: () => true }, {})).toBe(false);
  });
});

describe('progress on a non-TTY stream', () => {
  it('prints one plain line per event, with k of N, phases, elapsed and the ETA from finished units', () => {
    const stream = new PlainStream();
    const progress = createProgress({ stream, now });
    progress.start(3);
    const first = progress.unit('topn / spark');
    first.phase('starting cluster');
    advance(20_000);
    first.phase('warm-up');
    advance(10_000);
    first.phase('repetition', '1 of 3');
    advance(30_000);
    first.done('completed');
    const second = progress.unit('topn / flink');
    progress.message('flink: JobManager up at http://127.0.0.1:8081');
    advance(45_000);
    second.phase('checking answer');
    advance(75_000);
    second.done('invalid: 3 of 12 rows differ');
    second.phase('ignored after done');
    progress.unit('multijoin / spark').done('failed: OOM');
    progress.stop();
    expect(stream.text).toBe(
      [
        '[1 of 3] topn / spark: started (total 0:00, ETA after the first unit)',
        '[1 of 3] topn / spark: starting cluster (0:00)',
        '[1 of 3] topn / spark: warm-up (0:20)',
        '[1 of 3] topn / spark: repetition 1 of 3 (0:30)',
        '[1 of 3] topn / spark: completed in 1:00 · 1 of 3 done, ETA 2:00',
        '[2 of 3] topn / flink: started (total 1:00, ETA 2:00)',
        'flink: JobManager up at http://127.0.0.1:8081',
        '[2 of 3] topn / flink: checking answer (0:45)',
        '[2 of 3] topn / flink: invalid: 3 of 12 rows differ in 2:00 · 2 of 3 done, ETA 1:30',
        '[3 of 3] multijoin / spark: started (total 3:00, ETA 1:30)',
        '[3 of 3] multijoin / spark: failed: OOM in 0:00 · 3 of 3 done, ETA 0:00',
        '3 of 3 done in 3:00',
        '',
      ].join('\n'),
    );
    expect(stream.text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F]/);
  });

  it('prints a download at its start, each quarter and its end', () => {
    const stream = new PlainStream();
    const progress = createProgress({ stream, now });
    const total = 400 * 1024 * 1024;
    for (const mib of [0, 50, 99, 100, 180, 310, 399, 400]) progress.download('pip: pyspark 4.2.0', mib * 1024 * 1024, total);
    progress.stop();
    expect(stream.text).toBe(
      [
        'downloading pip: pyspark 4.2.0: 0.0 of 400.0 MiB (0 %)',
        'downloading pip: pyspark 4.2.0: 100.0 of 400.0 MiB (25 %)',
        'downloading pip: pyspark 4.2.0: 310.0 of 400.0 MiB (77 %)',
        'downloading pip: pyspark 4.2.0: 400.0 of 400.0 MiB (100 %)',
        '',
      ].join('\n'),
    );
  });
});

describe('progress on a terminal', () => {
  it('keeps one live line (k of N, phase, elapsed, total, ETA) under the finished units and messages', () => {
    const terminal = new FakeTerminal();
    const progress = createProgress({ stream: terminal, isTTY: true, now, frames: ['*'] });
    progress.start(2);
    const first = progress.unit('topn / spark');
    expect(terminal.screen()).toEqual(['* 1 of 2 topn / spark · starting · 0:00 · total 0:00 · ETA after the first unit']);
    first.phase('repetition', '2 of 3');
    advance(65_000);
    expect(terminal.screen()).toEqual(['* 1 of 2 topn / spark · repetition 2 of 3 · 1:05 · total 1:05 · ETA after the first unit']);
    progress.message('spark: master up at spark://127.0.0.1:7077');
    first.done('completed');
    const second = progress.unit('topn / flink');
    advance(20_000);
    second.phase('draining');
    expect(terminal.screen()).toEqual([
      'spark: master up at spark://127.0.0.1:7077',
      '[1 of 2] topn / spark: completed in 1:05 · 1 of 2 done, ETA 1:05',
      '* 2 of 2 topn / flink · draining · 0:20 · total 1:25 · ETA 0:45',
    ]);
    second.done('completed');
    progress.stop();
    expect(terminal.screen()).toEqual([
      'spark: master up at spark://127.0.0.1:7077',
      '[1 of 2] topn / spark: completed in 1:05 · 1 of 2 done, ETA 1:05',
      '[2 of 2] topn / flink: completed in 0:20 · 2 of 2 done, ETA 0:00',
      '2 of 2 done in 1:25',
    ]);
    // The cursor was hidden while spinning and is shown again.
    expect(terminal.raw.indexOf('\u001B[?25l')).toBeLessThan(terminal.raw.lastIndexOf('\u001B[?25h'));
  });

  it('shows downloads as bytes of total beside the unit line and prints each when it ends', () => {
    const terminal = new FakeTerminal();
    const progress = createProgress({ stream: terminal, isTTY: true, now, frames: ['*'] });
    const mib = 1024 * 1024;
    progress.download('pip: pyspark 4.2.0', 10 * mib, 450 * mib);
    expect(terminal.screen()).toEqual(['* downloading pip: pyspark 4.2.0: 10.0 of 450.0 MiB (2 %)']);
    progress.download('maven: 4 artifact(s)', 1 * mib, 10 * mib);
    progress.download('pip: pyspark 4.2.0', 225 * mib, 450 * mib);
    expect(terminal.screen()).toEqual(['* downloading pip: pyspark 4.2.0: 225.0 of 450.0 MiB (50 %)', '  downloading maven: 4 artifact(s): 1.0 of 10.0 MiB (10 %)']);
    progress.download('pip: pyspark 4.2.0', 450 * mib, 450 * mib);
    expect(terminal.screen()).toEqual(['downloaded pip: pyspark 4.2.0: 450.0 MiB', '* downloading maven: 4 artifact(s): 1.0 of 10.0 MiB (10 %)']);
    progress.download('maven: 4 artifact(s)', 10 * mib, 10 * mib);
    progress.stop();
    expect(terminal.screen()).toEqual(['downloaded pip: pyspark 4.2.0: 450.0 MiB', 'downloaded maven: 4 artifact(s): 10.0 MiB']);
  });

  it('redraws the clocks every second while a unit runs', () => {
    const terminal = new FakeTerminal();
    const progress = createProgress({ stream: terminal, isTTY: true, now, frames: ['*'] });
    progress.start(1);
    progress.unit('wordcount / duckdb').phase('repetition', '1 of 3');
    advance(3_000);
    expect(terminal.screen()).toEqual(['* 1 of 1 wordcount / duckdb · repetition 1 of 3 · 0:03 · total 0:03 · ETA after the first unit']);
    progress.stop();
    expect(terminal.screen()).toEqual(['0 of 1 done in 0:03']);
  });
});
