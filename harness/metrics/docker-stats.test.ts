import { describe, expect, it } from 'vitest';
import { CGROUP_V1_WRITE_BYTES_REASON, containerStatsReading, coresBetween, readTimeNs, writeBytesUnmeasuredReason, type ContainerStats } from './docker-stats.ts';

// Shape as returned here by Docker 28 / API 1.41 on cgroup v1 (trimmed).
const v1: ContainerStats = {
  read: '2026-11-22T03:35:02.63241752Z',
  cpu_stats: { cpu_usage: { total_usage: 20_313_346 } },
  memory_stats: { usage: 2_568_192, max_usage: 4_083_712, stats: { total_inactive_file: 1_806_336, inactive_file: 1_806_336, cache: 1_871_872 } },
  blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'Write', value: 8192 }, { op: 'Read', value: 100 }, { op: 'Total', value: 12388 }] },
  networks: { eth0: { rx_bytes: 1000, tx_bytes: 500 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
  pids_stats: { current: 3 },
};

describe('docker container stats', () => {
  it('turns a cgroup v1 stats object into series values', () => {
    expect(containerStatsReading(v1)).toEqual({
      cpu_seconds_total: 0.020313346,
      memory_bytes: 2_568_192 - 1_806_336,
      memory_peak_bytes: 4_083_712,
      read_bytes_total: 4196,
      write_bytes_total: 8192,
      network_received_bytes_total: 1001,
      network_sent_bytes_total: 502,
      processes: 3,
    });
  });

  it('leaves bytes written out when the daemon cannot measure them (cgroup v1); bytes read stay', () => {
    const reading = containerStatsReading(v1, { writeBytes: false });
    expect(reading).not.toHaveProperty('write_bytes_total');
    expect(reading.read_bytes_total).toBe(4196);
  });

  it('says why bytes written are unmeasured, by cgroup version', () => {
    expect(writeBytesUnmeasuredReason('2')).toBeUndefined();
    expect(writeBytesUnmeasuredReason('1')).toBe(CGROUP_V1_WRITE_BYTES_REASON);
    expect(CGROUP_V1_WRITE_BYTES_REASON).toBe(
      "the Docker daemon uses cgroup v1, which does not charge buffered writeback to the container (the kernel's writeback threads flush the page cache and are charged to the root cgroup), so the container's blkio write bytes miss nearly all engine writes",
    );
    expect(writeBytesUnmeasuredReason({ unknown: 'docker info failed: connect ENOENT /var/run/docker.sock' })).toBe(
      "the Docker daemon's cgroup version is unknown (docker info failed: connect ENOENT /var/run/docker.sock); on cgroup v1 buffered writes are not charged to the container, so bytes written are not recorded",
    );
  });

  it('uses cgroup v2 keys and leaves out what is not reported', () => {
    const v2: ContainerStats = { read: v1.read, cpu_stats: { cpu_usage: { total_usage: 1e9 } }, memory_stats: { usage: 5000, stats: { inactive_file: 1000 } }, blkio_stats: { io_service_bytes_recursive: null } };
    expect(containerStatsReading(v2)).toEqual({ cpu_seconds_total: 1, memory_bytes: 4000 });
  });

  it('computes cores between two stats objects from CPU ns over the read timestamps (ns precision)', () => {
    expect(readTimeNs('2026-11-22T03:35:02.000000001Z') - readTimeNs('2026-11-22T03:35:02Z')).toBeCloseTo(1, -1);
    const a = { ...v1, read: '2026-11-22T03:35:02.500000000Z', cpu_stats: { cpu_usage: { total_usage: 1_000_000_000 } } };
    const b = { ...v1, read: '2026-11-22T03:35:04.500000000Z', cpu_stats: { cpu_usage: { total_usage: 4_000_000_000 } } };
    expect(coresBetween(a, b)).toBe(1.5);
    expect(() => coresBetween(b, a)).toThrow('cannot compute cores between stats read at');
  });
});

describe('cores over Docker\'s own read interval', () => {
  it('cpu_cores = (cpu − precpu) / (read − preread), ignoring the first object (no previous read)', () => {
    const stats: ContainerStats = {
      read: '2026-11-22T04:00:01.500000000Z',
      preread: '2026-11-22T04:00:00.500000000Z',
      cpu_stats: { cpu_usage: { total_usage: 3_500_000_000 } },
      precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 } },
    };
    expect(containerStatsReading(stats)).toEqual({ cpu_seconds_total: 3.5, cpu_cores: 1.5 });
    const first: ContainerStats = { ...stats, preread: '0001-01-01T00:00:00Z', precpu_stats: {} };
    expect(containerStatsReading(first)).toEqual({ cpu_seconds_total: 3.5 });
  });
});
