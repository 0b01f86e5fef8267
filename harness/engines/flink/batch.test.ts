import { describe, expect, it } from 'vitest';
import { flinkFailureSummary } from './batch.ts';

describe('flinkFailureSummary', () => {
  it('adds the deepest cause to the first line', () => {
    // The shape Flink 2.2's REST exceptions had when a TaskManager was killed mid-job.
    const exception = [
      'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
      '\tat org.apache.flink.runtime.executiongraph.failover.ExecutionFailureHandler.handleFailure(ExecutionFailureHandler.java:213)',
      'Caused by: org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException: Connection unexpectedly closed',
      '\t... 3 more',
      'Caused by: org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id flink-taskmanager-1 is no longer reachable.',
    ].join('\n');
    expect(flinkFailureSummary(exception)).toBe(
      'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy — Caused by: org.apache.flink.runtime.jobmaster.JobMasterException: TaskManager with id flink-taskmanager-1 is no longer reachable.',
    );
    expect(flinkFailureSummary('java.lang.IllegalStateException: boom\n\tat x')).toBe('java.lang.IllegalStateException: boom');
  });
});
