import { describe, expect, it } from 'vitest';
import { parsePrometheusText, seriesKey } from './prometheus.ts';

describe('parsePrometheusText', () => {
  it('parses names, labels (with escapes), special values and types; ignores HELP and timestamps', () => {
    const text = [
      '# HELP flink_taskmanager_job_task_busyTimeMsPerSecond busy',
      '# TYPE flink_taskmanager_job_task_busyTimeMsPerSecond gauge',
      'flink_taskmanager_job_task_busyTimeMsPerSecond{job_id="abc",task_name="Source: x, y",subtask_index="0",} 512.0',
      'metrics_executor_memoryUsed_bytes{application_id="app-1", executor_id="driver"} 1.5e3 1700000000000',
      'up 1',
      'weird{path="a\\"b\\\\c\\nd"} NaN',
      'inf_metric +Inf',
      '',
    ].join('\n');
    const parsed = parsePrometheusText(text);
    expect(parsed.types).toEqual({ flink_taskmanager_job_task_busyTimeMsPerSecond: 'gauge' });
    expect(parsed.samples.slice(0, 3)).toEqual([
      { name: 'flink_taskmanager_job_task_busyTimeMsPerSecond', labels: { job_id: 'abc', task_name: 'Source: x, y', subtask_index: '0' }, value: 512 },
      { name: 'metrics_executor_memoryUsed_bytes', labels: { application_id: 'app-1', executor_id: 'driver' }, value: 1500 },
      { name: 'up', labels: {}, value: 1 },
    ]);
    expect(parsed.samples[3].labels).toEqual({ path: 'a"b\\c\nd' });
    expect(parsed.samples[3].value).toBeNaN();
    expect(parsed.samples[4].value).toBe(Infinity);
    expect(seriesKey(parsed.samples[0])).toBe('flink_taskmanager_job_task_busyTimeMsPerSecond{job_id="abc",subtask_index="0",task_name="Source: x, y"}');
    expect(seriesKey(parsed.samples[2])).toBe('up');
  });

  it('with an include pattern: only samples (and types) of matching names, other lines not parsed at all', () => {
    const text = ['# TYPE keep_me gauge', '# TYPE drop_me gauge', 'keep_me{a="1"} 2', 'drop_me{broken labels 3', 'keep_me_too 4', 'drop_me_too not-a-number'].join('\n');
    expect(parsePrometheusText(text, /^keep_/)).toEqual({
      samples: [
        { name: 'keep_me', labels: { a: '1' }, value: 2 },
        { name: 'keep_me_too', labels: {}, value: 4 },
      ],
      types: { keep_me: 'gauge' },
    });
  });

  it('names the line of a bad value', () => {
    expect(() => parsePrometheusText('ok 1\nbad{a="b"} twelve')).toThrow("Prometheus text line 2: value 'twelve' is not a number");
  });
});
