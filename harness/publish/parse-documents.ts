// Results documents and run indexes read from bytes (S3 objects), validated like
// ResultsStore.load validates files: a bad object names where it came from and its first problem.
import { BenchError } from '../errors.ts';
import type { ResultsDocument } from '../results/schema.ts';
import { parseAnyVersion } from '../results/upgrade.ts';
import { describeFirstIssue } from '../results/store.ts';
import { runIndexSchema, type RunIndex } from './run-index.ts';

export function parseResultsDocument(bytes: Buffer, where: string): ResultsDocument {
  const outcome = parseAnyVersion(parseJson(bytes, where), describeFirstIssue);
  if (!outcome.ok) throw new BenchError(`${where} ${outcome.problem}`);
  return outcome.document;
}

export function parseRunIndex(bytes: Buffer, where: string): RunIndex {
  const result = runIndexSchema.safeParse(parseJson(bytes, where));
  if (!result.success) {
    throw new BenchError(`${where} is not a valid run index: ${describeFirstIssue(result.error)}; re-publish a run to rewrite it`);
  }
  return result.data;
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BenchError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}
