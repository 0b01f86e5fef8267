import { describe, expect, it } from 'vitest';
import { judgeOwner, ownerFromEnv, ownerFromLabels, ownerLabels, ownerOf, ownerToEnv, thisMachine, validOwner, type MachineProbe, type RunOwner } from './owner.ts';

const owner: RunOwner = { pid: 4242, startTime: '123456', bootId: 'boot-a', host: 'box' };
const probe = (startTimes: Record<number, string>, over: Partial<MachineProbe> = {}): MachineProbe => ({
  bootId: 'boot-a',
  host: 'box',
  startTimeOf: (pid) => startTimes[pid],
  ...over,
});

describe('judgeOwner', () => {
  it('alive only when the very process (pid and start time) runs on this boot of this host', () => {
    expect(judgeOwner(owner, probe({ 4242: '123456' }))).toEqual({ state: 'alive', reason: 'its harness (pid 4242) is running' });
  });

  it('dead when the pid is gone, reused by another process, or the machine restarted', () => {
    expect(judgeOwner(owner, probe({}))).toEqual({ state: 'dead', reason: 'its harness (pid 4242) has exited' });
    expect(judgeOwner(owner, probe({ 4242: '999999' }))).toEqual({ state: 'dead', reason: 'its harness (pid 4242) has exited; that pid now belongs to another process' });
    // Same pid and start time after a reboot is a different process.
    expect(judgeOwner(owner, probe({ 4242: '123456' }, { bootId: 'boot-b' }))).toEqual({ state: 'dead', reason: 'its harness (pid 4242) ran before this machine restarted' });
  });

  it('unknown without an owner, or with one on another host (a shared Docker engine or state dir)', () => {
    expect(judgeOwner(undefined, probe({}))).toEqual({ state: 'unknown', reason: 'no owner is recorded (started by an older harness)' });
    expect(judgeOwner(owner, probe({ 4242: '123456' }, { host: 'other' }))).toEqual({ state: 'unknown', reason: 'its harness (pid 4242) runs on host box, not on other' });
  });

  it('judges this process alive on this machine', () => {
    expect(judgeOwner(ownerOf(), thisMachine()).state).toBe('alive');
  });
});

describe('owner encodings', () => {
  it('round-trips through docker labels and the environment variable', () => {
    expect(ownerLabels(owner)).toEqual({ 'bench.owner.pid': '4242', 'bench.owner.start-time': '123456', 'bench.owner.boot-id': 'boot-a', 'bench.owner.host': 'box' });
    expect(ownerFromLabels(ownerLabels(owner))).toEqual(owner);
    expect(ownerToEnv(owner)).toBe('4242:123456:boot-a:box');
    expect(ownerFromEnv(ownerToEnv(owner))).toEqual(owner);
  });

  it('reads nothing from missing or malformed fields', () => {
    expect(ownerFromLabels(undefined)).toBeUndefined();
    expect(ownerFromLabels({ 'bench.owner.pid': '4242' })).toBeUndefined();
    expect(ownerFromLabels({ ...ownerLabels(owner), 'bench.owner.pid': 'x' })).toBeUndefined();
    expect(ownerFromEnv('')).toBeUndefined();
    expect(ownerFromEnv('4242:12a:boot:box')).toBeUndefined();
    expect(validOwner({ pid: 0, startTime: '1', bootId: 'b', host: 'h' })).toBeUndefined();
    expect(validOwner({ pid: 1, startTime: '1', bootId: '', host: 'h' })).toBeUndefined();
  });
});
