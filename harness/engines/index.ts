// The engines the harness knows, and lookups by id: the only list of them. Adding an engine is
// a folder under harness/engines/ implementing engine.ts, plus one line here.
import { UsageError } from '../errors.ts';
import type { Engine, StreamingVariant, SubmissionPath } from './engine.ts';
import { duckDbEngine } from './duckdb/index.ts';
import { flinkEngine } from './flink/index.ts';
import { sparkEngine } from './spark/index.ts';

export { ORACLE } from './duckdb/index.ts';
export type { Engine, EngineStartContext, StartedStreamEngine, StreamingParameters, StreamingVariant, SubmissionFamily, SubmissionPath } from './engine.ts';
export { DEFAULT_STREAMING_PARAMETERS } from './engine.ts';

export const ENGINES: readonly Engine[] = [sparkEngine, flinkEngine, duckDbEngine];

export const BATCH_ENGINE_IDS: readonly string[] = ENGINES.filter((e) => e.batch).map((e) => e.id);

export interface VariantOf {
  readonly engine: Engine;
  readonly variant: StreamingVariant;
}

export const STREAMING_VARIANTS: readonly VariantOf[] = ENGINES.flatMap((engine) => (engine.streaming?.variants ?? []).map((variant) => ({ engine, variant })));
export const STREAMING_VARIANT_IDS: readonly string[] = STREAMING_VARIANTS.map((v) => v.variant.id);

export function engineById(id: string): Engine {
  const engine = ENGINES.find((e) => e.id === id);
  if (!engine) throw new UsageError(`unknown engine '${id}'; choose from ${ENGINES.map((e) => e.id).join(', ')}`);
  return engine;
}

export function variantById(id: string): VariantOf {
  const found = STREAMING_VARIANTS.find((v) => v.variant.id === id);
  if (!found) throw new UsageError(`unknown streaming variant '${id}'; choose from ${STREAMING_VARIANT_IDS.join(', ')}`);
  return found;
}

/** Every batch submission path with its engine. */
export const SUBMISSION_PATHS: readonly { engine: Engine; path: SubmissionPath }[] = ENGINES.flatMap((engine) => (engine.batch?.paths ?? []).map((path) => ({ engine, path })));
