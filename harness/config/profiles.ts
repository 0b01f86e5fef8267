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
    description: 'the default: scale small, 1 warm-up + 3 repetitions, batch workloads on spark, flink and duckdb',
    values: { mode: 'batch', scale: 'small', repeat: 3, warmups: 1 },
  },
  nightly: {
    description: 'nightly CI: scale medium, 1 warm-up + 5 repetitions',
    values: { mode: 'batch', scale: 'medium', repeat: 5, warmups: 1 },
  },
};
