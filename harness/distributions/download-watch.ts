// Bytes received of a download that pip or Maven is doing, read from the growing files: pip
// writes <TMPDIR>/pip-unpack-XXXX/<file>, then copies it into its -d directory; Maven writes
// <local repository>/<group path>/<artifact>/<version>/<file>.part, renames it to <file> and
// copies it to the output directory. The clients print no byte counts of their own (pip's bar is
// off so logs stay readable), so the files are the only honest source. Totals are the lock's sizes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Receives (label, bytes received so far, bytes in total) for each download. */
export type DownloadProgress = (label: string, receivedBytes: number, totalBytes: number) => void;

export interface WatchedFile {
  /** Size in the lock. */
  readonly size: number;
  /** Paths where the file (or its partial copy) may be growing; looked up at every tick. */
  readonly candidates: () => readonly string[];
}

/** Bytes received: per file the largest candidate seen, never above its locked size. */
export function receivedBytes(files: readonly WatchedFile[], sizeOf: (file: string) => number | undefined): number {
  let received = 0;
  for (const file of files) {
    let largest = 0;
    for (const candidate of file.candidates()) largest = Math.max(largest, sizeOf(candidate) ?? 0);
    received += Math.min(largest, file.size);
  }
  return received;
}

function statSize(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

export interface DownloadWatch {
  /** Stops watching; `completed` reports the total as received once (the files are all there). */
  stop(completed: boolean): void;
}

/** Reports the download's progress every intervalMs (and once at the start), until stopped. */
export function watchDownload(label: string, files: readonly WatchedFile[], onDownload: DownloadProgress | undefined, intervalMs = 500): DownloadWatch {
  if (!onDownload || files.length === 0) return { stop() {} };
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let last = -1;
  const report = () => {
    const received = receivedBytes(files, statSize);
    if (received === last) return;
    last = received;
    onDownload(label, received, total);
  };
  report();
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    stop(completed) {
      clearInterval(timer);
      if (completed && last !== total) onDownload(label, total, total);
    },
  };
}

/** Paths `<dir>/<each subdirectory>/<name>`: where pip grows a download (pip-unpack-XXXX/<file>). */
export function inSubdirectories(dir: string, name: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name, name));
  } catch {
    return [];
  }
}

/**
 * Maven's local repository: ~/.m2/repository (a <localRepository> in settings.xml moves it; then
 * only the copy into the output directory is seen, which still ends at the right total).
 */
export function mavenLocalRepository(): string {
  return path.join(os.homedir(), '.m2', 'repository');
}
