import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUnsupportedOperation, realTimeModeRefusal, sparkCommittedOffsets } from './streaming.ts';

describe('sparkCommittedOffsets', () => {
  it("reads every source's offsets of the newest committed batch, null until all topics are there", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-checkpoint-'));
    fs.mkdirSync(path.join(dir, 'offsets'));
    fs.mkdirSync(path.join(dir, 'commits'));
    expect(sparkCommittedOffsets(dir, ['a'])).toBeNull();
    // The layout Spark 4.1 writes: version, metadata, then one line per source in query order.
    fs.writeFileSync(path.join(dir, 'offsets', '0'), 'v1\n{"batchWatermarkMs":0}\n{"a":{"0":3,"1":4}}\n{"b":{"0":1}}');
    fs.writeFileSync(path.join(dir, 'offsets', '1'), 'v1\n{"batchWatermarkMs":0}\n{"a":{"0":9,"1":8}}\n{"b":{"0":7}}');
    fs.writeFileSync(path.join(dir, 'commits', '0'), 'v1\n{}');
    expect(sparkCommittedOffsets(dir, ['a', 'b'])).toEqual({ a: { '0': 3, '1': 4 }, b: { '0': 1 } });
    expect(sparkCommittedOffsets(dir, ['a', 'c'])).toBeNull();
    fs.writeFileSync(path.join(dir, 'commits', '1'), 'v1\n{}');
    expect(sparkCommittedOffsets(dir, ['b'])).toEqual({ b: { '0': 7 } });
  });
});

describe('isUnsupportedOperation', () => {
  it("takes Spark's streaming refusals as unsupported and anything else as a failure", () => {
    // Texts as Spark 4.1.1 wrote them into the runner's error file.
    const aggregate = 'org.apache.spark.sql.catalyst.ExtendedAnalysisException: Continuous processing does not support Aggregate operations.;';
    const slidingWindow = 'org.apache.spark.sql.catalyst.ExtendedAnalysisException: Continuous processing does not support Expand operations.;';
    const ranking = 'org.apache.spark.sql.catalyst.ExtendedAnalysisException: [NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in ROW_NUMBER() (as column `row_num`) on streaming DataFrames/Datasets.';
    expect(isUnsupportedOperation(aggregate, 'continuous')).toBe(true);
    expect(isUnsupportedOperation(slidingWindow, 'continuous')).toBe(true);
    expect(isUnsupportedOperation(ranking, 'microbatch')).toBe(true);
    expect(isUnsupportedOperation(ranking, 'continuous')).toBe(true);
    // "Continuous processing" refusals only count in continuous mode.
    expect(isUnsupportedOperation(aggregate, 'microbatch')).toBe(false);
    // A broken query is not "unsupported".
    expect(isUnsupportedOperation("org.apache.spark.sql.AnalysisException: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column 'x' cannot be resolved", 'microbatch')).toBe(false);
    expect(isUnsupportedOperation('java.lang.IllegalStateException: not supported on streaming DataFrames/Datasets', 'microbatch')).toBe(false);
  });
});

describe('realTimeModeRefusal', () => {
  it("takes Real-Time Mode's allowlist refusal (raised once the query runs) as unsupported, in Spark's words, and only in that mode", () => {
    // As Spark 4.2.0 reported it for stream-wordcount (the query had started; the first batch refused it).
    const failure =
      'org.apache.spark.sql.streaming.StreamingQueryException: [STREAM_FAILED] Query [id = c84a, runId = c67e] terminated with exception: [STREAMING_REAL_TIME_MODE.OPERATOR_OR_SINK_NOT_IN_ALLOWLIST] Streaming real-time mode has the following limitation: The operator(s): org.apache.spark.sql.execution.aggregate.HashAggregateExec not in the operator allowlist for Real-Time Mode. SQLSTATE: 0A000\n\tat org.apache.spark…';
    expect(realTimeModeRefusal(failure, 'realtime')).toBe(
      '[STREAMING_REAL_TIME_MODE.OPERATOR_OR_SINK_NOT_IN_ALLOWLIST] Streaming real-time mode has the following limitation: The operator(s): org.apache.spark.sql.execution.aggregate.HashAggregateExec not in the operator allowlist for Real-Time Mode. SQLSTATE: 0A000',
    );
    expect(realTimeModeRefusal(failure, 'microbatch')).toBeUndefined();
    expect(realTimeModeRefusal('java.lang.OutOfMemoryError: Java heap space', 'realtime')).toBeUndefined();
  });
});
