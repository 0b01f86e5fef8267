// Exit codes of `bench compare` beyond the shared ones (0 ok, 1 error, 2 usage, 3 invalid run),
// so a CI job can tell "slower" from "could not compare".
/** A measurement got significantly slower beyond the threshold, or stopped completing. */
export const EXIT_REGRESSION = 4;
/** The two runs were set up differently (scale, profile, versions, …): comparing them would mislead. */
export const EXIT_NOT_COMPARABLE = 5;
