// The `streaming` section of a measurement, as the streaming step writes it
// (harness/streaming/stream-step.ts) and the report reads it: latency histogram summary,
// throughput, the engine's lag on its sources, the generator's schedule keeping, the drain and
// final state, the measurement window, resources over the window, and the rate search.
// Times called `tMs`/`…AtMs`/`fromMs`/`toMs` are epoch milliseconds on the host clock.
import { z } from 'zod';
import { figureSchema, missingSchema } from './missing.ts';

const count = z.int().min(0);
const epochMs = z.number().describe('epoch ms (host clock)');

export const latencySummarySchema = z
  .strictObject({
    count: count,
    minMs: z.number(),
    meanMs: z.number(),
    p50Ms: z.number(),
    p95Ms: z.number(),
    p99Ms: z.number(),
    p999Ms: z.number(),
    maxMs: z.number(),
    distribution: z.array(z.strictObject({ percentile: z.number().min(0).max(100), valueMs: z.number() })).describe('(percentile, value) pairs for the percentile-distribution chart'),
    hdrBase64: z.string().describe('The whole HdrHistogram, compressed base64 (hdr-histogram-js)'),
    negative: z.strictObject({
      count: count,
      minMs: z.number().nullable(),
      examples: z.array(z.strictObject({ appendMs: z.number(), generatedMs: z.number() })),
    }),
  })
  .meta({ id: 'LatencySummary' });
export type LatencySummaryRecord = z.infer<typeof latencySummarySchema>;

const resourceFiguresSchema = z.strictObject({
  windowMs: figureSchema,
  cpuSeconds: figureSchema,
  averageCores: figureSchema,
  peakCores: figureSchema,
  peakMemoryBytes: figureSchema,
  readBytes: figureSchema,
  writeBytes: figureSchema,
  networkReceivedBytes: figureSchema.optional(),
  networkSentBytes: figureSchema.optional(),
  cgroupPeakMemoryBytes: figureSchema.optional(),
});

export const rateStepSchema = z.strictObject({
  rate: z.number().positive().describe('Target input rate of the step (records/s)'),
  achievedRate: figureSchema.describe('Input rate the generator achieved (acknowledged records / generation time); missing in documents upgraded from schema v1, which did not record it'),
  lagSlope: z.number().nullable().describe('Slope of the lag floor (records/s); null when not measured'),
  p99Ms: z.number().nullable(),
  sustainable: z.boolean(),
  drained: z.boolean().optional().describe('Whether the engine drained after the input stopped (absent in older results)'),
  finalStateEqual: z.boolean().optional().describe('Whether the final state equalled the oracle (absent in older results)'),
  decidedBy: z
    .enum(['harness-limit', 'run-invalid', 'input-rate', 'drain', 'final-state', 'lag', 'p99', 'all-met'])
    .optional()
    .describe('The condition that decided the verdict: the first that failed, or all-met; harness-limit = the harness could not drive the rate (absent in older results)'),
  reason: z.string().min(1).describe('Which condition decided it, in words'),
});
export type RateStepRecord = z.infer<typeof rateStepSchema>;

export const rateSearchSchema = z.strictObject({
  sustainableRate: z.union([z.number().positive(), missingSchema]),
  why: z.string().min(1),
  harnessLimitedAt: z
    .number()
    .positive()
    .optional()
    .describe('Set when the lowest failing rate above the sustainable one failed on the harness side (generator behind, input rate missed): sustainableRate is then a lower bound of the engine, "≥ N rec/s (harness limit)"'),
  criteria: z.strictObject({ p99BoundMs: z.number().positive(), maxLagSlopeFraction: z.number().positive() }),
  steps: z.array(rateStepSchema).min(1),
});

export const injectedFaultSchema = z.strictObject({
  text: z.string().min(1).describe('As given to --fault'),
  action: z.enum(['kill', 'stop', 'pause', 'restart']),
  service: z.string().min(1),
  atMs: z.number().min(0).describe("Planned time, ms on the measurement's axis (streaming: after generation start; batch: after the faulted execution's submission)"),
  injectedAtMs: epochMs.optional(),
  doneAtMs: epochMs.optional().describe('When it had taken effect: killed, stopped, resumed, ready again after the restart'),
  error: z.string().min(1).optional(),
});

/** A batch measurement with a fault: one execution, the fault injected on its axis; its cost is its wall time against the unfaulted median of the same unit. */
export const batchFaultSchema = z
  .strictObject({
    injected: z.array(injectedFaultSchema),
    executionStartedAtMs: epochMs,
  })
  .meta({ id: 'BatchFault', description: 'The faults injected into a batch measurement (its one execution), --fault' });

export const faultSectionSchema = z
  .strictObject({
    injected: z.array(injectedFaultSchema),
    engineNoticed: z
      .strictObject({ atMs: epochMs, what: z.string().min(1) })
      .optional()
      .describe("The first time after the fault the engine itself reported trouble (Flink job/tasks not RUNNING, the Spark master's alive workers down)"),
    recovery: z.strictObject({
      detectMs: figureSchema.describe('Engine noticed − fault injected'),
      firstOutputAfterMs: figureSchema.describe('First output row appended at or after the fault − fault injected'),
      recoveryMs: figureSchema.describe('Recovered (see rule) − fault injected'),
      peakLag: figureSchema.describe('Largest lag on the sources after the fault (records)'),
      baseline: z.strictObject({ outputRowsPerSecond: figureSchema, lagFloor: figureSchema }),
      rule: z.string().min(1),
    }),
    delivery: z.strictObject({
      unit: z.enum(['records', 'keys']),
      lost: count.describe('Expected output records (append) or keys (upsert, a wrong final value included) missing after the drain'),
      duplicated: figureSchema.describe('Appends beyond the first per record key (append outputs); missing for upsert outputs'),
      unexpected: count.describe('Output the oracle does not know'),
      isolation: z.string().min(1).describe('How the output was read (read_committed: a transactional sink shows only committed output)'),
    }),
    guarantee: z.strictObject({
      promised: z.enum(['exactly-once', 'at-least-once', 'at-most-once']).describe("The variant's promise for its output"),
      kept: z.boolean(),
      why: z.string().min(1),
    }),
  })
  .meta({ id: 'FaultSection', description: 'What the injected faults did to a streaming measurement (harness/faults)' });
export type FaultSection = z.infer<typeof faultSectionSchema>;

const processLoadSchema = z.strictObject({
  cpuCores: z.number().min(0).describe('(user + system CPU) / wall time; native client threads included, so it can exceed 1'),
  eventLoopBusy: z.number().min(0).max(1).describe('Share of the wall time its event loop ran callbacks (performance.eventLoopUtilization)'),
  wallMs: z.number().min(0),
});

export const streamingSectionSchema = z
  .strictObject({
    guarantee: z.string().min(1).describe('The delivery guarantee the variant ran with, in words'),
    engineSettings: z.record(z.string(), z.string()),
    latencyMs: z.union([latencySummarySchema, missingSchema]).describe('Event-time latency over the measurement window: log-append time − the time carried in the output row (see latencyFrom)'),
    latencyFrom: z
      .enum(['intended', 'hand-over'])
      .optional()
      .describe("What latencyMs starts from: 'intended' = the schedule's send time of the input (METHOD rule 14); absent (older results) = when the generator handed a burst of inputs to the Kafka client"),
    handOverLatencyMs: z.union([latencySummarySchema, missingSchema]).optional().describe('Latency from when the input was actually handed to the Kafka client, beside latencyMs (absent in older results)'),
    throughput: z.strictObject({
      inputRecordsPerSecond: z.number().min(0).describe('Scheduled input rate over the window'),
      outputRecordsPerSecond: z.number().min(0),
      outputRowsTotal: count,
      inputRecordsTotal: count,
      outputSeries: z.array(z.strictObject({ tMs: epochMs, rows: count })).describe('Output rows per second'),
    }),
    lag: z.strictObject({
      slopeRecordsPerSecond: figureSchema,
      floorSlopeRecordsPerSecond: figureSchema.describe('What the rate search judges: the slope of the least lag per block of floorBlockMs'),
      floorBlockMs: z.number().positive(),
      series: z.array(z.strictObject({ tMs: epochMs, lag: z.number() })),
    }),
    generator: z.strictObject({
      scheduled: count,
      acknowledged: count,
      maxBehindMs: z.number().min(0),
      behindBoundMs: z.number().min(0),
      behindSeries: z.array(z.strictObject({ tMs: epochMs, behindMs: z.number() })),
      achievedRate: z.number().min(0),
      startedAtMs: epochMs,
      latenessMs: z.union([latencySummarySchema, missingSchema]).optional().describe('Per input record: hand-over to the Kafka client − intended send time (absent in older results)'),
    }),
    harnessLoad: z
      .strictObject({
        generator: processLoadSchema.describe('The generator process (its own since results of 2026-12-04), from generation start until its report (every record produced, flushed and acknowledged)'),
        runProcess: processLoadSchema.describe('The run process over the same span: output consumer, lag sampler, metrics scrapers'),
        busyBound: z.number().positive().describe("A rate-search step is harness-limited when the generator's or the run process's event loop was busy at least this share of the time"),
      })
      .optional()
      .describe("What the harness's own processes used while the input ran (absent in older results, whose generator shared the run process)"),
    drain: z.strictObject({ drained: z.boolean(), finalStateRows: count, expectedRows: count, duplicateAppends: count }),
    window: z.strictObject({ fromMs: epochMs, toMs: epochMs }),
    steadyState: z
      .strictObject({
        reached: z.boolean().describe('Whether the start-up backlog drained early enough to leave a steady window (at least half of the time after the warm-up); when not, latencyMs is missing and startup holds what was measured'),
        fromMs: epochMs.nullable().describe('Where the lag first came back near its floor (the window starts there, on a whole second, never before the warm-up end); null without lag samples'),
        floorLag: z.number().nullable(),
        toleranceRecords: z.number().min(0),
        rule: z.string().min(1),
      })
      .optional()
      .describe('METHOD rule 16: the measured window starts after the start-up backlog has drained (absent in older results, whose window started at the warm-up end)'),
    startup: z
      .strictObject({
        firstOutputAfterMs: figureSchema.describe('First output row appended − generation start'),
        catchUpMs: figureSchema.describe('Steady-state start − generation start: how long the start-up backlog took to drain'),
        latencyMs: z.union([latencySummarySchema, missingSchema]).describe('Latency of rows sent before the steady window (from generation start)'),
      })
      .optional()
      .describe('Start-up as its own figures, kept out of the steady-state latency (absent in older results)'),
    resources: z
      .strictObject({
        source: z.string().min(1),
        total: z.union([resourceFiguresSchema, missingSchema]),
        inputRecordsPerCpuSecond: figureSchema,
      })
      .optional(),
    rateSearch: rateSearchSchema.optional(),
    fault: faultSectionSchema.optional().describe('Present when faults were injected (--fault)'),
  })
  .meta({ id: 'StreamingSection', description: 'Streaming results of one measurement (harness/streaming)' });
export type StreamingSection = z.infer<typeof streamingSectionSchema>;
