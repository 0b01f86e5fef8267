import { describe, expect, it } from 'vitest';
import { parseDuration, parseEngineSetting } from './options.ts';

describe('parseEngineSetting', () => {
  it('accumulates ENGINE:KEY=VALUE per engine; the value may hold = and :', () => {
    const first = parseEngineSetting('spark:spark.sql.adaptive.enabled=false');
    const second = parseEngineSetting('flink:execution.batch-shuffle-mode=ALL_EXCHANGES_HYBRID_FULL', first);
    expect(parseEngineSetting('spark:spark.driver.extraJavaOptions=-Da=b:c', second)).toEqual({
      spark: { 'spark.sql.adaptive.enabled': 'false', 'spark.driver.extraJavaOptions': '-Da=b:c' },
      flink: { 'execution.batch-shuffle-mode': 'ALL_EXCHANGES_HYBRID_FULL' },
    });
  });

  it('refuses anything else, naming the form', () => {
    expect(() => parseEngineSetting('spark.sql.adaptive.enabled=false')).toThrow("--engine-setting: 'spark.sql.adaptive.enabled=false' is not ENGINE:KEY=VALUE (e.g. spark:spark.sql.adaptive.enabled=false)");
    expect(() => parseEngineSetting('spark:=x')).toThrow('is not ENGINE:KEY=VALUE');
  });
});

describe('parseDuration', () => {
  it('reads units and bare milliseconds', () => {
    expect(['500ms', '1.5s', '10m', '1h', '250'].map((v) => parseDuration(v, 'd'))).toEqual([500, 1500, 600_000, 3_600_000, 250]);
    expect(() => parseDuration('ten', 'timeout')).toThrow("--timeout: 'ten' is not a duration; use e.g. 500ms, 60s, 10m");
  });
});
