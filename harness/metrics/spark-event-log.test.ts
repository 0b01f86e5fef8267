import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSparkEventLog, readEventLog, sparkEventLogScraper } from './spark-event-log.ts';

const taskEnd = (stage: number, reason: string, m: Record<string, unknown>) =>
  JSON.stringify({ Event: 'SparkListenerTaskEnd', 'Stage ID': stage, 'Stage Attempt ID': 0, 'Task Type': 'ShuffleMapTask', 'Task End Reason': { Reason: reason }, 'Task Metrics': m });

describe('parseSparkEventLog', () => {
  it('sums successful tasks per stage and over the application', () => {
    const metrics = (run: number, cpuNs: number, written: number, peak: number) => ({
      'Executor Run Time': run,
      'Executor CPU Time': cpuNs,
      'JVM GC Time': 5,
      'Peak Execution Memory': peak,
      'Memory Bytes Spilled': 1000,
      'Disk Bytes Spilled': 200,
      'Shuffle Read Metrics': { 'Remote Bytes Read': 10, 'Local Bytes Read': 30, 'Total Records Read': 4 },
      'Shuffle Write Metrics': { 'Shuffle Bytes Written': written, 'Shuffle Records Written': 2 },
      'Input Metrics': { 'Bytes Read': 64, 'Records Read': 8 },
      'Output Metrics': { 'Bytes Written': 0, 'Records Written': 0 },
    });
    const log = [
      JSON.stringify({ Event: 'SparkListenerApplicationStart', 'App Name': 'bench', 'App ID': 'app-1', Timestamp: 1000 }),
      taskEnd(0, 'Success', metrics(100, 50_000_000, 500, 4096)),
      taskEnd(0, 'Success', metrics(300, 150_000_000, 700, 8192)),
      taskEnd(0, 'ExceptionFailure', metrics(999, 999, 999, 99_999)),
      JSON.stringify({ Event: 'SparkListenerStageCompleted', 'Stage Info': { 'Stage ID': 0, 'Stage Attempt ID': 0, 'Stage Name': 'groupBy', 'Submission Time': 1100, 'Completion Time': 1600 } }),
      taskEnd(1, 'Success', metrics(20, 1_000_000, 0, 0)),
      JSON.stringify({ Event: 'SparkListenerApplicationEnd', Timestamp: 3000 }),
      '{"Event":"SparkListenerTaskEnd", torn',
    ].join('\n');
    const app = parseSparkEventLog(log);
    expect(app).toMatchObject({ appId: 'app-1', appName: 'bench', durationMs: 2000, completed: true });
    expect(app.stages[0]).toEqual({
      stageId: 0, attempt: 0, name: 'groupBy', tasks: 2, failedTasks: 1, durationMs: 500,
      executorRunTimeMs: 400, executorCpuTimeMs: 200, jvmGcTimeMs: 10, shuffleReadBytes: 80, shuffleReadRecords: 8,
      shuffleWriteBytes: 1200, shuffleWriteRecords: 4, memoryBytesSpilled: 2000, diskBytesSpilled: 400,
      inputBytes: 128, inputRecords: 16, outputBytes: 0, outputRecords: 0, peakExecutionMemoryBytes: 8192,
    });
    expect(app.totals).toMatchObject({ stages: 2, tasks: 3, failedTasks: 1, executorRunTimeMs: 420, executorCpuTimeMs: 201, shuffleWriteBytes: 1200, shuffleReadBytes: 120, peakExecutionMemoryBytes: 8192 });
  });

  it('an application without its end event is marked not completed', () => {
    expect(parseSparkEventLog(JSON.stringify({ Event: 'SparkListenerApplicationStart', 'App ID': 'a', Timestamp: 1 }))).toMatchObject({ completed: false, durationMs: null, stages: [] });
  });
});

describe('readEventLog', () => {
  it('joins the parts of a rolling event log in order and sees the in-progress marker', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-eventlog-'));
    const app = path.join(dir, 'eventlog_v2_app-1');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'events_10_app-1'), 'ten');
    fs.writeFileSync(path.join(app, 'events_2_app-1'), 'two');
    fs.writeFileSync(path.join(app, 'appstatus_app-1.inprogress'), '');
    expect(readEventLog(app)).toEqual({ text: 'two\nten', inProgress: true });
    fs.renameSync(path.join(app, 'appstatus_app-1.inprogress'), path.join(app, 'appstatus_app-1'));
    expect(readEventLog(app).inProgress).toBe(false);
    fs.writeFileSync(path.join(dir, 'app-2.inprogress'), 'single');
    expect(readEventLog(path.join(dir, 'app-2.inprogress'))).toEqual({ text: 'single', inProgress: true });
    fs.rmSync(dir, { recursive: true });
  });
});

describe('sparkEventLogScraper', () => {
  it('keeps at most maxStagesPerApplication stages per application, totals over all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-eventlog-cap-'));
    const scraper = sparkEventLogScraper(dir, { maxStagesPerApplication: 2, waitMs: 0 });
    const stages = [0, 1, 2, 3, 4].map((id) => taskEnd(id, 'Success', { 'Executor Run Time': 10 }));
    fs.writeFileSync(path.join(dir, 'app-7'), [JSON.stringify({ Event: 'SparkListenerApplicationStart', 'App ID': 'app-7', Timestamp: 1 }), ...stages].join('\n'));
    const details = (await scraper.finish!({ t: [], series: {} }, new AbortController().signal)) as { totals: { executorRunTimeMs: number }; applications: { stages: { stageId: number }[]; stagesOmitted?: number; totals: { stages: number } }[] };
    expect(details.totals.executorRunTimeMs).toBe(50);
    expect(details.applications[0]!.stages.map((s) => s.stageId)).toEqual([0, 1]);
    expect(details.applications[0]!.stagesOmitted).toBe(3);
    expect(details.applications[0]!.totals.stages).toBe(5);
  });
});
