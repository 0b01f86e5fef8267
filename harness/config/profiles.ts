// Profiles: named groups of option values. An option given on the command line always wins
// over the profile; the effective configuration is recorded in the results.
export const PROFILE_NAMES = ['quick', 'nightly'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ProfileValues {
  readonly description: string;
  readonly values: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export const PROFILES: Readonly<Record<ProfileName, ProfileValues>> = {
  quick: {
    // 4, not 3: with 3 + 3 repetitions the exact Mann-Whitney test cannot go below p = 0.1, so the
    // default report could never name a winner; 4 + 4 can reach p = 0.029.
    // The warm paths only: the headline is warm against warm. A cold path's execution at scale
    // small costs a JVM and cluster start each (spark-submit multijoin: 55–82 s), so cold paths
    // with 5 executions per workload would put the default near 50 minutes on 2 cores; they run
    // with `--submission job` (or every path) and in the nightly profile.
    description:
      'the default: scale small, 1 warm-up + 4 repetitions, batch workloads on the warm paths — spark (spark-connect), flink (flink-gateway) — and duckdb',
    values: { mode: 'batch', scale: 'small', repeat: 4, warmups: 1, submission: ['spark-connect', 'flink-gateway', 'in-process'] },
  },
  nightly: {
    description:
      'nightly CI: batch at scale medium, 1 warm-up + 5 repetitions, then streaming passthrough and wordcount on every variant with a sustainable-rate search (from 5000 rec/s, 30 s per step, 10 s warm-up)',
    values: {
      mode: 'all',
      scale: 'medium',
      repeat: 5,
      warmups: 1,
      // Every batch workload; of the streaming ones the two whose sustainable rate per variant
      // is the headline figure (a search per workload × variant costs ~10 min).
      workloads: ['topn', 'multijoin', 'wordcount', 'stream-passthrough', 'stream-wordcount'],
      searchRate: true,
      rate: 5000,
      duration: 30_000,
      warmup: 10_000,
    },
  },
};
