// Event-time latency (METHOD rules 2 and 3): output record's Kafka log-append time minus the
// generation time carried through the query, both from the host's wall clock, in ms. Values
// go into a full HdrHistogram (no reservoir). A negative latency means the clocks or the
// carried timestamp are wrong: it is counted as an error, never clamped into the histogram.
import * as hdr from 'hdr-histogram-js';

/** Latency of one output record (ms); may be negative, which the caller must treat as an error. */
export function eventTimeLatencyMs(logAppendMs: number, generatedMs: number): number {
  return logAppendMs - generatedMs;
}

export interface NegativeLatencies {
  readonly count: number;
  /** The most negative value seen (ms), null when none. */
  readonly minMs: number | null;
  /** A few (appendMs, generatedMs) pairs to debug with. */
  readonly examples: readonly { appendMs: number; generatedMs: number }[];
}

export interface LatencySummary {
  readonly count: number;
  readonly minMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  /** (percentile, value ms) pairs for a percentile-distribution chart. */
  readonly distribution: readonly { percentile: number; valueMs: number }[];
  /** The whole histogram, HdrHistogram compressed base64 (decode with hdr-histogram-js). */
  readonly hdrBase64: string;
  readonly negative: NegativeLatencies;
}

const DISTRIBUTION_PERCENTILES = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100];

export class LatencyRecorder {
  private readonly histogram = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false });
  private negativeCount = 0;
  private negativeMin: number | null = null;
  private readonly negativeExamples: { appendMs: number; generatedMs: number }[] = [];

  /** Records one output record; returns its latency (ms). */
  record(logAppendMs: number, generatedMs: number): number {
    const latency = eventTimeLatencyMs(logAppendMs, generatedMs);
    if (!Number.isFinite(latency)) throw new Error(`latency of a record is not a number (append ${logAppendMs}, generated ${generatedMs})`);
    if (latency < 0) {
      this.negativeCount++;
      this.negativeMin = this.negativeMin === null ? latency : Math.min(this.negativeMin, latency);
      if (this.negativeExamples.length < 5) this.negativeExamples.push({ appendMs: logAppendMs, generatedMs });
    } else {
      this.histogram.recordValue(latency);
    }
    return latency;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** One recorder holding everything `recorders` recorded (histograms added, negatives counted). */
  static merged(recorders: Iterable<LatencyRecorder>): LatencyRecorder {
    const into = new LatencyRecorder();
    for (const r of recorders) {
      into.histogram.add(r.histogram);
      into.negativeCount += r.negativeCount;
      if (r.negativeMin !== null) into.negativeMin = into.negativeMin === null ? r.negativeMin : Math.min(into.negativeMin, r.negativeMin);
      for (const example of r.negativeExamples) if (into.negativeExamples.length < 5) into.negativeExamples.push(example);
    }
    return into;
  }

  /** Null when no record was measured: a missing figure, never zeros. */
  summary(): LatencySummary | null {
    const h = this.histogram;
    if (h.totalCount === 0) return null;
    const negative = { count: this.negativeCount, minMs: this.negativeMin, examples: [...this.negativeExamples] };
    // A percentile is the upper edge of its bucket (3 significant digits), which can lie above the
    // exact maximum; no recorded value is above the maximum, so neither is any percentile.
    const at = (percentile: number) => Math.min(h.getValueAtPercentile(percentile), h.maxValue);
    return {
      count: h.totalCount,
      minMs: at(0),
      meanMs: h.mean,
      p50Ms: at(50),
      p95Ms: at(95),
      p99Ms: at(99),
      p999Ms: at(99.9),
      maxMs: h.maxValue,
      distribution: DISTRIBUTION_PERCENTILES.map((percentile) => ({ percentile, valueMs: percentile === 100 ? h.maxValue : at(percentile) })),
      hdrBase64: hdr.encodeIntoCompressedBase64(h),
      negative,
    };
  }
}
