import { describe, expect, it } from 'vitest';
import { isUnsupportedOperation } from './streaming.ts';

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
