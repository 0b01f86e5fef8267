import { spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { StartedService } from '../runtime/runtime.ts';
import { localProcessScraper, membersByTarget, parseProcIo, parseProcStat, ProcessSetAccount, scanProcesses, type MemberSnapshot } from './procfs.ts';

describe('procfs parsing', () => {
  it('reads stat fields after a comm holding spaces and parentheses', () => {
    const line = '4242 (java (main) x) S 4200 4100 4100 0 -1 4194304 100 0 0 0 150 30 7 3 20 0 40 0 240428 3133440 1000 18446744073709551615 1 2 3 0 0';
    expect(parseProcStat(line)).toEqual({ pid: 4242, state: 'S', ppid: 4200, pgrp: 4100, cpuTicks: 190, rssPages: 1000 });
  });

  it('reads read_bytes and write_bytes from /proc/<pid>/io', () => {
    const io = 'rchar: 6976\nwchar: 10\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\nwrite_bytes: 8192\ncancelled_write_bytes: 0\n';
    expect(parseProcIo(io)).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(() => parseProcIo('rchar: 1\n')).toThrow('no read_bytes/write_bytes');
  });

  it('parses this very process from the real /proc', () => {
    const self = scanProcesses().find((p) => p.pid === process.pid);
    expect(self).toBeDefined();
    expect(self!.ppid).toBe(process.ppid);
    expect(self!.rssPages).toBeGreaterThan(0);
  });
});

const member = (pid: number, ppid: number, cpuTicks: number, rssBytes: number, read = 0, write = 0): MemberSnapshot => ({ pid, ppid, cpuTicks, rssBytes, io: { readBytes: read, writeBytes: write } });

describe('ProcessSetAccount', () => {
  it('keeps CPU continuous when a member reaps a child and keeps a vanished leader in the base', () => {
    const account = new ProcessSetAccount();
    // leader 10 (parent outside), child 11 of 10
    expect(account.update([member(10, 1, 100, 1000, 5, 7), member(11, 10, 50, 2000, 10, 20)])).toEqual({ cpuTicks: 150, rssBytes: 3000, readBytes: 15, writeBytes: 27, processes: 2 });
    // 11 exited and was reaped by 10: its 60 ticks moved into 10's cutime (100 + 10 own + 60)
    expect(account.update([member(10, 1, 170, 1000, 6, 7)])).toEqual({ cpuTicks: 170, rssBytes: 1000, readBytes: 16, writeBytes: 27, processes: 1 });
    // 10 vanished (its parent is not a member): its last 170 ticks and its io stay in the base; 12 is new
    expect(account.update([member(12, 1, 30, 500, 1, 1)])).toEqual({ cpuTicks: 200, rssBytes: 500, readBytes: 17, writeBytes: 28, processes: 1 });
  });

  it('keeps the last io of a member whose io became unreadable', () => {
    const account = new ProcessSetAccount();
    account.update([member(10, 1, 1, 1, 100, 200)]);
    expect(account.update([{ pid: 10, ppid: 1, cpuTicks: 2, rssBytes: 1, io: undefined }])).toMatchObject({ readBytes: 100, writeBytes: 200 });
  });
});

describe('membersByTarget', () => {
  it('assigns a service its group and the groups it exec’d (leaders that are our children with its cwd)', () => {
    const stat = (pid: number, ppid: number, pgrp: number, state = 'S') => ({ pid, ppid, pgrp, state, cpuTicks: 0, rssPages: 0 });
    const processes = [
      stat(100, process.pid, 100), stat(101, 100, 100), // service group
      stat(200, process.pid, 200), stat(201, 200, 200), // exec in the service's work dir
      stat(300, process.pid, 300), // exec elsewhere
      stat(102, 100, 100, 'Z'), // zombie: not counted
    ];
    const cwd = (pid: number) => (pid === 200 ? '/w/spark-master' : pid === 300 ? '/w/other' : '/w/spark-master');
    const members = membersByTarget(processes, [{ name: 'spark-master', pgid: 100, workDir: '/w/spark-master' }], cwd);
    expect(members.get('spark-master')!.map((p) => p.pid)).toEqual([100, 101, 200, 201]);
  });

  it('follows a restarted service to its new process group (the handle read at every sample)', async () => {
    // Two real process groups standing in for one service before and after a restart; the
    // second runs outside the service's work dir, so only its pgid can tie it to the service.
    // 'spawn' fires once the child exec'd, so it is its own group leader by then.
    const group = async () => {
      const child = spawn('sleep', ['30'], { detached: true, cwd: os.tmpdir(), stdio: 'ignore' });
      await once(child, 'spawn');
      return child;
    };
    const first = await group();
    const handle = { kind: 'local' as const, pid: first.pid! };
    const service = { name: 'flink-taskmanager-1', handle, logFile: '/nonexistent/flink-taskmanager-1/service.log' } as unknown as StartedService;
    const scraper = localProcessScraper([service]);
    const sample = () => scraper.sample!(new AbortController().signal);
    try {
      expect((await sample())['flink-taskmanager-1/processes']).toBe(1);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      await expect(sample()).rejects.toThrow(`no live process in the groups of flink-taskmanager-1 (pgid ${first.pid})`);
      const second = await group();
      handle.pid = second.pid!;
      try {
        const after = await sample();
        expect(after['flink-taskmanager-1/processes']).toBe(1);
        expect(after['flink-taskmanager-1/memory_bytes']).toBeGreaterThan(0);
      } finally {
        second.kill('SIGKILL');
      }
    } finally {
      first.kill('SIGKILL');
    }
  });
});

