// OS resources of docker services from the container stats stream. The daemon publishes one
// stats object per container about once a second (a one-shot request also waits for that
// tick: ~1 s each, tried here), so one long-lived stream per container is kept and a sample
// takes the newest object — and only when it is new since the last sample, so a faster
// sampler gives gaps, not repeated values that would fake a zero and then a double CPU rate.
// The window's last second may therefore be missed.
//
// Bytes written: cgroup v1's blkio controller charges only I/O a task submits itself; buffered
// writes (nearly all engine writes: spill files, Kafka logs) reach the disk later from the
// kernel's writeback threads and are charged to the root cgroup, so the container reads ~0.
// On v1 that series is therefore not recorded but declared missing with the reason; bytes
// read (page-cache misses, submitted by the reader) are charged and kept.
import type { Readable } from 'node:stream';
import Docker from 'dockerode';
import { readableOf } from '../node-streams.ts';
import type { StartedService } from '../runtime/runtime.ts';
import { deriveResourceFigures } from './derived.ts';
import type { Reading, Scraper } from './sampler.ts';

/** The fields of Docker's container stats we read (API 1.41; cgroup v1 and v2 keys). */
export interface ContainerStats {
  readonly read: string;
  /** Read time of the previous stats object (Docker sends both in every object). */
  readonly preread?: string;
  readonly cpu_stats?: { cpu_usage?: { total_usage?: number } };
  readonly precpu_stats?: { cpu_usage?: { total_usage?: number } };
  readonly memory_stats?: { usage?: number; max_usage?: number; stats?: Record<string, number> };
  readonly blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  readonly networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  readonly pids_stats?: { current?: number };
}

export type CgroupVersion = '1' | '2';

export const CGROUP_V1_WRITE_BYTES_REASON =
  "the Docker daemon uses cgroup v1, which does not charge buffered writeback to the container (the kernel's writeback threads flush the page cache and are charged to the root cgroup), so the container's blkio write bytes miss nearly all engine writes";

/** Why bytes written cannot be read, for the daemon's cgroup version; undefined when they can (v2). */
export function writeBytesUnmeasuredReason(version: CgroupVersion | { unknown: string }): string | undefined {
  if (version === '2') return undefined;
  if (version === '1') return CGROUP_V1_WRITE_BYTES_REASON;
  return `the Docker daemon's cgroup version is unknown (${version.unknown}); on cgroup v1 buffered writes are not charged to the container, so bytes written are not recorded`;
}

/**
 * One stats object → series values (without the service prefix). Memory is what `docker stats`
 * shows: usage minus inactive file cache (cgroup v1 `total_inactive_file`, v2 `inactive_file`);
 * `memory_peak_bytes` is cgroup v1's max_usage (page cache included), absent on v2.
 */
export function containerStatsReading(stats: ContainerStats, options: { writeBytes: boolean } = { writeBytes: true }): Record<string, number> {
  const out: Record<string, number> = {};
  const cpu = stats.cpu_stats?.cpu_usage?.total_usage;
  if (cpu !== undefined && cpu > 0) out.cpu_seconds_total = cpu / 1e9;
  // Cores over Docker's own interval between this object and the previous one: the sampler's
  // tick times do not line up with when Docker read the cgroup, so rates from tick times
  // overshoot (a tick can see 2 s of CPU after 1 s of ticks).
  const precpu = stats.precpu_stats?.cpu_usage?.total_usage;
  if (cpu !== undefined && precpu !== undefined && precpu > 0 && stats.preread && !stats.preread.startsWith('0001-')) {
    const wallNs = readTimeNs(stats.read) - readTimeNs(stats.preread);
    if (wallNs > 0 && cpu >= precpu) out.cpu_cores = (cpu - precpu) / wallNs;
  }
  const memory = stats.memory_stats;
  if (memory?.usage !== undefined) {
    const inactive = memory.stats?.total_inactive_file ?? memory.stats?.inactive_file ?? 0;
    out.memory_bytes = Math.max(0, memory.usage - inactive);
  }
  if (memory?.max_usage !== undefined) out.memory_peak_bytes = memory.max_usage;
  const io = stats.blkio_stats?.io_service_bytes_recursive;
  // An empty list means the cgroup did no block I/O yet; null means no accounting at all.
  if (Array.isArray(io)) {
    out.read_bytes_total = io.filter((e) => e.op.toLowerCase() === 'read').reduce((a, e) => a + e.value, 0);
    if (options.writeBytes) out.write_bytes_total = io.filter((e) => e.op.toLowerCase() === 'write').reduce((a, e) => a + e.value, 0);
  }
  if (stats.networks) {
    const nets = Object.values(stats.networks);
    out.network_received_bytes_total = nets.reduce((a, n) => a + n.rx_bytes, 0);
    out.network_sent_bytes_total = nets.reduce((a, n) => a + n.tx_bytes, 0);
  }
  if (stats.pids_stats?.current !== undefined) out.processes = stats.pids_stats.current;
  return out;
}

/** Cores used between two stats objects of the same container: CPU ns / wall ns between their `read` times. */
export function coresBetween(earlier: ContainerStats, later: ContainerStats): number {
  const cpu = (later.cpu_stats?.cpu_usage?.total_usage ?? NaN) - (earlier.cpu_stats?.cpu_usage?.total_usage ?? NaN);
  const wallNs = readTimeNs(later.read) - readTimeNs(earlier.read);
  if (!(wallNs > 0) || !Number.isFinite(cpu)) throw new Error(`cannot compute cores between stats read at ${earlier.read} and ${later.read}`);
  return cpu / wallNs;
}

/** `2026-11-22T03:35:02.63241752Z` → ns since the epoch (Date keeps only ms). */
export function readTimeNs(read: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(read);
  if (!match) throw new Error(`not a Docker stats timestamp: '${read}'`);
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  const fraction = Number(`0.${match[2] ?? '0'}`);
  return seconds * 1e6 + fraction * 1e9;
}

class StatsStream {
  latest: ContainerStats | undefined;
  consumed: string | undefined;
  error: string | undefined;
  private stream: Readable | undefined;
  private opening: Promise<void> | undefined;

  constructor(private readonly container: Docker.Container, private readonly service: string) {}

  ensureOpen(): Promise<void> {
    if (this.stream) return Promise.resolve();
    this.opening ??= (async () => {
      try {
        const stream = readableOf(await this.container.stats({ stream: true }), `docker stats of ${this.service}`);
        this.stream = stream;
        this.error = undefined;
        let buffer = '';
        stream.on('data', (chunk: Buffer) => {
          buffer += chunk.toString('utf8');
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line) this.latest = JSON.parse(line) as ContainerStats;
          }
        });
        const ended = (why: string) => {
          this.error = `stats stream of ${this.service} ${why}`;
          this.stream = undefined;
        };
        stream.on('error', (e: Error) => ended(`failed: ${e.message}`));
        stream.on('end', () => ended('ended (container stopped?)'));
      } catch (error) {
        this.error = `docker stats of ${this.service} (${this.container.id.slice(0, 12)}): ${(error as Error).message}`;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  close(): void {
    this.stream?.destroy();
    this.stream = undefined;
  }
}

/**
 * One scraper for the docker services. Series per service: `<service>/cpu_seconds_total`,
 * `memory_bytes`, `memory_peak_bytes` (v1), `read_bytes_total`, `write_bytes_total`,
 * `network_received_bytes_total`, `network_sent_bytes_total`, `processes`.
 */
export function dockerStatsScraper(services: readonly StartedService[], name = 'os', docker = new Docker()): Scraper {
  const streams = services.map((s) => {
    if (s.handle.kind !== 'docker') throw new Error(`service ${s.name} is not a container (handle ${s.handle.kind}); use the procfs scraper`);
    return { service: s.name, stats: new StatsStream(docker.getContainer(s.handle.containerId), s.name) };
  });
  // Asked once: the daemon's cgroup version decides whether bytes written can be read.
  let cgroup: CgroupVersion | { unknown: string } | undefined;
  let infoFailure = 'no sample asked the daemon';
  const cgroupVersion = async (): Promise<CgroupVersion | { unknown: string }> => {
    if (cgroup) return cgroup;
    try {
      const info = (await docker.info()) as { CgroupVersion?: string };
      cgroup = info.CgroupVersion === '1' || info.CgroupVersion === '2' ? info.CgroupVersion : { unknown: `docker info gave CgroupVersion '${info.CgroupVersion}'` };
      return cgroup;
    } catch (error) {
      infoFailure = `docker info failed: ${(error as Error).message}`;
      return { unknown: infoFailure };
    }
  };
  return {
    name,
    kind: 'os',
    async sample(): Promise<Reading> {
      const [version] = await Promise.all([cgroupVersion(), ...streams.map((s) => s.stats.ensureOpen())]);
      const writeBytes = writeBytesUnmeasuredReason(version) === undefined;
      const reading: Record<string, number> = {};
      const problems: string[] = [];
      for (const { service, stats } of streams) {
        const latest = stats.latest;
        if (!latest) {
          problems.push(stats.error ?? `no stats from ${service} yet`);
          continue;
        }
        if (latest.read === stats.consumed) continue;
        stats.consumed = latest.read;
        for (const [key, value] of Object.entries(containerStatsReading(latest, { writeBytes }))) reading[`${service}/${key}`] = value;
      }
      // Nothing new and nothing received at all is a failure; "no new object since the last sample" is a gap.
      if (Object.keys(reading).length === 0 && problems.length === streams.length) throw new Error(problems.join('; '));
      return reading;
    },
    unmeasured() {
      const reason = writeBytesUnmeasuredReason(cgroup ?? { unknown: infoFailure });
      return reason ? Object.fromEntries(streams.map((s) => [`${s.service}/write_bytes_total`, reason])) : {};
    },
    async finish(collected) {
      return {
        source: 'docker container stats stream (cgroup); memory = usage - inactive file cache; block I/O is what the cgroup was charged (bytes read: page-cache misses; bytes written only on cgroup v2)',
        cgroupVersion: cgroup ?? { unknown: infoFailure },
        perService: deriveResourceFigures(collected, streams.map((s) => s.service)),
      };
    },
    close() {
      for (const s of streams) s.stats.close();
    },
  };
}
