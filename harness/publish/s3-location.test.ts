import { describe, expect, it } from 'vitest';
import { indexKey, parseS3Url, reportKeyPrefix, resultsKey, s3Url } from './s3-location.ts';

describe('parseS3Url', () => {
  it('splits bucket and prefix, dropping slashes at the ends', () => {
    expect(parseS3Url('s3://bench-results/nightly/x86/')).toEqual({ bucket: 'bench-results', prefix: 'nightly/x86' });
    expect(parseS3Url('s3://bench-results')).toEqual({ bucket: 'bench-results', prefix: '' });
  });

  it('rejects what is not an S3 URL or a valid bucket, naming it', () => {
    expect(() => parseS3Url('results/abc')).toThrow('"results/abc" is not an S3 URL: expected s3://bucket/prefix');
    expect(() => parseS3Url('s3://Bench_Results/x')).toThrow('bucket "Bench_Results" is not a valid bucket name');
    expect(() => parseS3Url('s3://bench/a/../b')).toThrow("the prefix may not contain '.' or '..' segments");
  });
});

describe('publication layout', () => {
  it('puts the index at the prefix and runs under runs/<id>/', () => {
    const location = parseS3Url('s3://bench/nightly');
    expect(indexKey(location)).toBe('nightly/index.json');
    expect(resultsKey(location, 'r1')).toBe('nightly/runs/r1/results.json');
    expect(reportKeyPrefix(location, 'r1')).toBe('nightly/runs/r1/report');
    expect(s3Url(location, resultsKey(location, 'r1'))).toBe('s3://bench/nightly/runs/r1/results.json');
    expect(indexKey(parseS3Url('s3://bench'))).toBe('index.json');
  });
});
