// The smoke checks' shared answer: one tiny query through each engine's own submission path must
// give sum(0..999) and count.
export interface SmokeOutcome {
  readonly ok: boolean;
  readonly detail: string;
  readonly ms: number;
}

/** sum(0..999) and count: the same answer both engines must give. */
export const SMOKE_EXPECTED = [499500, 1000] as const;

export const smokeAnswerMatches = (row: unknown[] | undefined) => !!row && Number(row[0]) === SMOKE_EXPECTED[0] && Number(row[1]) === SMOKE_EXPECTED[1];
