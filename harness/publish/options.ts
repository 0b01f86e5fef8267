// Options of publish / history / compare, declared like harness/config/options.ts declares
// the others (they can move there unchanged).
import { BenchError, UsageError } from '../errors.ts';
import type { OptionDeclaration } from '../config/options.ts';

const declare = <T extends OptionDeclaration>(d: T) => d;

export const PUBLISH_OPTIONS = {
  s3Endpoint: declare({ key: 's3Endpoint', flag: 's3-endpoint', type: 'string', placeholder: 'URL', description: 'S3-compatible endpoint, e.g. http://127.0.0.1:9000 (path-style addressing); default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS S3. Credentials and region come from the standard AWS environment/config' }),
  threshold: declare({ key: 'threshold', flag: 'threshold', type: 'string', default: '10%', placeholder: 'PERCENT', description: 'smallest change of the median that counts as a regression, e.g. 10% (or 0.1)' }),
  alpha: declare({ key: 'alpha', flag: 'alpha', type: 'string', default: '0.05', placeholder: 'P', description: 'significance level of the two-sided Mann-Whitney U test' }),
  metric: declare({ key: 'metric', flag: 'metric', type: 'enum', choices: ['wall', 'engine'], default: 'wall', description: "timing compared: harness-side wall time, or the engine's own reported time" }),
  acrossVersions: declare({ key: 'acrossVersions', flag: 'across-versions', type: 'boolean', default: false, description: 'the runs differ in an engine version on purpose: compare them (per workload × engine of that engine: both versions, the change in median, the Mann-Whitney p and a verdict) instead of refusing; everything else must still be alike' }),
  previousIn: declare({ key: 'previousIn', flag: 'previous-in', type: 'string', placeholder: 's3://bucket/prefix|DIR', description: 'compare the one run given with the newest earlier completed run (same profile, mode, scale) published there' }),
  limit: declare({ key: 'limit', flag: 'limit', type: 'int', placeholder: 'N', description: 'only the last N runs' }),
  json: declare({ key: 'json', flag: 'json', type: 'boolean', default: false, description: 'print JSON instead of a table' }),
} as const satisfies Record<string, OptionDeclaration>;

/** '10%' | '10 %' | '0.1' → 0.1 */
export function parseThreshold(value: string): number {
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  const fraction = percent ? Number(percent[1]) / 100 : /^\d*\.?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(fraction >= 0 && fraction < 10)) throw new UsageError(`--threshold: '${value}' is not a percentage (e.g. 10%) or a fraction (e.g. 0.1)`);
  return fraction;
}

export function parseAlpha(value: string): number {
  const alpha = Number(value);
  if (!(alpha > 0 && alpha < 1)) throw new UsageError(`--alpha: '${value}' is not a probability between 0 and 1 (e.g. 0.05)`);
  return alpha;
}
