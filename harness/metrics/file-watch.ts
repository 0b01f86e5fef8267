// Shuffle and spill files: which regular files appear under the engines' local working dirs
// during a measurement, and how big they get. Found by polling the directory trees at the
// sampler's interval (inotify does not follow new subdirectories, and Spark/Flink create
// per-application subtrees). Files present before the watch began are not counted.
//
// Limitation: a file created and deleted between two polls is never seen, and a file's size is
// the largest seen at a poll, so counts and bytes are lower bounds. The record says what was
// watched and how often, so "0 files" means "watched N times and saw none".
import fs from 'node:fs';
import path from 'node:path';
import type { Reading, Scraper } from './sampler.ts';

export interface WatchedDir {
  /** Label for the series, e.g. the service name. */
  readonly label: string;
  readonly dir: string;
}

/** Regular files under `dir` (recursive) with their sizes; a missing dir gives none. Entries vanishing mid-walk are skipped. */
export function listFiles(dir: string): Map<string, number> {
  const found = new Map<string, number>();
  const walk = (current: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          found.set(full, fs.statSync(full).size);
        } catch {
          /* gone between readdir and stat */
        }
      }
    }
  };
  walk(dir);
  return found;
}

export interface FileWatchSummary {
  readonly dirs: readonly string[];
  /** Dirs that never existed at any poll. */
  readonly dirsNeverPresent: readonly string[];
  readonly polls: number;
  readonly filesCreated: number;
  /** Sum over created files of the largest size seen for each. */
  readonly bytesCreated: number;
  readonly maxFilesAtOnce: number;
  readonly maxBytesAtOnce: number;
  readonly largestFileBytes: number;
  readonly limitation: string;
}

/** State of one watch over several dirs (pure apart from the listing function). */
export class FileWatch {
  private readonly baseline = new Set<string>();
  private readonly created = new Map<string, number>();
  private readonly present = new Set<string>();
  polls = 0;
  maxFilesAtOnce = 0;
  maxBytesAtOnce = 0;

  constructor(
    readonly dirs: readonly WatchedDir[],
    private readonly list: (dir: string) => Map<string, number> = listFiles,
    private readonly exists: (dir: string) => boolean = fs.existsSync,
  ) {
    for (const { dir } of dirs) for (const file of this.list(dir).keys()) this.baseline.add(file);
  }

  /** One poll → current created files and bytes per label. */
  poll(): Record<string, { files: number; bytes: number }> {
    this.polls += 1;
    const perLabel: Record<string, { files: number; bytes: number }> = {};
    let files = 0;
    let bytes = 0;
    for (const { label, dir } of this.dirs) {
      if (this.exists(dir)) this.present.add(dir);
      const counts = (perLabel[label] ??= { files: 0, bytes: 0 });
      for (const [file, size] of this.list(dir)) {
        if (this.baseline.has(file)) continue;
        this.created.set(file, Math.max(size, this.created.get(file) ?? 0));
        counts.files += 1;
        counts.bytes += size;
        files += 1;
        bytes += size;
      }
    }
    this.maxFilesAtOnce = Math.max(this.maxFilesAtOnce, files);
    this.maxBytesAtOnce = Math.max(this.maxBytesAtOnce, bytes);
    return perLabel;
  }

  summary(): FileWatchSummary {
    const sizes = [...this.created.values()];
    return {
      dirs: this.dirs.map((d) => d.dir),
      dirsNeverPresent: this.dirs.map((d) => d.dir).filter((d) => !this.present.has(d)),
      polls: this.polls,
      filesCreated: sizes.length,
      bytesCreated: sizes.reduce((a, b) => a + b, 0),
      maxFilesAtOnce: this.maxFilesAtOnce,
      maxBytesAtOnce: this.maxBytesAtOnce,
      largestFileBytes: sizes.length ? Math.max(...sizes) : 0,
      limitation: 'polled at the sampler interval: files created and deleted between polls are not seen, sizes are the largest seen at a poll (lower bounds)',
    };
  }
}

/**
 * Series `<label>/files` and `<label>/bytes` (created files present at the poll); details: the
 * FileWatchSummary per watch. The baseline is taken when this is called: call it right before
 * starting the sampler.
 */
export function fileWatchScraper(name: string, dirs: readonly WatchedDir[]): Scraper {
  if (dirs.length === 0) throw new Error(`file watch ${name}: no directories to watch`);
  const watch = new FileWatch(dirs);
  return {
    name,
    kind: 'file-watch',
    async sample(): Promise<Reading> {
      const reading: Record<string, number> = {};
      for (const [label, counts] of Object.entries(watch.poll())) {
        reading[`${label}/files`] = counts.files;
        reading[`${label}/bytes`] = counts.bytes;
      }
      return reading;
    },
    async finish() {
      return { ...watch.summary() };
    },
  };
}
