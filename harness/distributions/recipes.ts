// What each distribution version is made of, before pinning: package names, versions (Maven
// ranges allowed), layout rules. update-lock.ts resolves these to exact files + checksums in the
// lock. Each engine lists the versions it keeps (newest first) and names its default; a version
// is a dimension of a run (--spark-version / --flink-version), so the lock holds them all.
import type { PipOptions } from './clients.ts';
import type { EngineDistributionName } from './lock.ts';

export interface PypiRecipe {
  readonly package: string;
  readonly version: string;
  readonly pip: PipOptions;
  readonly unpack: readonly { from: string; to: string }[];
}

export interface MavenRecipe {
  /** groupId:artifactId:version (a Maven range such as [4.1.0,4.2.0) picks the newest match). */
  readonly coords: string;
  /** Directory in the home. */
  readonly into: string;
  /** Also pin this artifact's runtime dependencies. */
  readonly transitive?: boolean;
  /** groupId:artifactId pairs cut from the transitive set. */
  readonly exclude?: readonly string[];
}

export interface DistributionRecipe {
  /** The version this recipe is locked under (the main component's version). */
  readonly version: string;
  /** Which component's resolved version is the distribution's version. */
  readonly main: string;
  /** Component name → 'pypi:<package>' or 'maven:<groupId>:<artifactId>' whose resolved version it reports. */
  readonly components: Record<string, string>;
  readonly notes: readonly string[];
  readonly pypi: readonly PypiRecipe[];
  readonly maven: readonly MavenRecipe[];
}

export interface EngineRecipes {
  /** The version a run uses when none is asked for. */
  readonly default: string;
  /** Newest first. */
  readonly versions: readonly DistributionRecipe[];
}

const SPARK_COMPONENTS = {
  spark: 'pypi:pyspark',
  'spark-sql-kafka': 'maven:org.apache.spark:spark-sql-kafka-0-10_2.13',
  'spark-token-provider-kafka': 'maven:org.apache.spark:spark-token-provider-kafka-0-10_2.13',
  'kafka-clients': 'maven:org.apache.kafka:kafka-clients',
  'commons-pool2': 'maven:org.apache.commons:commons-pool2',
};

/** Spark from the pyspark sdist plus the Kafka source/sink and the two jars it needs that the sdist lacks. */
function sparkRecipe(spark: string, pins: { tokenProvider: string; kafkaClients: string; commonsPool2: string }, notes: readonly string[]): DistributionRecipe {
  return {
    version: spark,
    main: 'spark',
    components: SPARK_COMPONENTS,
    notes: [
      'The pyspark sdist carries the Spark jars and scripts (deps/); its lib/ holds pyspark.zip and py4j, placed in python/lib/ as in the official layout.',
      ...notes,
    ],
    pypi: [
      {
        package: 'pyspark',
        version: spark,
        pip: { binary: 'sdist' },
        unpack: [
          { from: `pyspark-${spark}/deps/bin/`, to: 'bin' },
          { from: `pyspark-${spark}/deps/sbin/`, to: 'sbin' },
          { from: `pyspark-${spark}/deps/jars/`, to: 'jars' },
          { from: `pyspark-${spark}/lib/`, to: 'python/lib' },
        ],
      },
    ],
    maven: [
      { coords: `org.apache.spark:spark-sql-kafka-0-10_2.13:${spark}`, into: 'jars' },
      { coords: `org.apache.spark:spark-token-provider-kafka-0-10_2.13:${pins.tokenProvider}`, into: 'jars' },
      { coords: `org.apache.kafka:kafka-clients:${pins.kafkaClients}`, into: 'jars' },
      { coords: `org.apache.commons:commons-pool2:${pins.commonsPool2}`, into: 'jars' },
    ],
  };
}

const FLINK_COMPONENTS_COMMON = {
  flink: 'pypi:apache-flink',
  'flink-libraries': 'pypi:apache-flink-libraries',
  'flink-sql-gateway': 'maven:org.apache.flink:flink-sql-gateway',
  'flink-sql-connector-kafka': 'maven:org.apache.flink:flink-sql-connector-kafka',
  'hadoop-client': 'maven:org.apache.hadoop:hadoop-client-api',
};
const FLINK_LAYOUT_NOTE =
  'bin/ and conf/ come from the apache-flink wheel (any one Python build has the same scripts); lib/, opt/, plugins/ and bin/bash-java-utils.jar from apache-flink-libraries.';

function flinkPypi(flink: string): PypiRecipe[] {
  return [
    {
      package: 'apache-flink',
      version: flink,
      pip: { binary: 'wheel', platform: 'manylinux2014_x86_64', pythonVersion: '3.11', implementation: 'cp', abi: 'cp311' },
      unpack: [
        { from: 'pyflink/bin/', to: 'bin' },
        { from: 'pyflink/conf/', to: 'conf' },
      ],
    },
    {
      package: 'apache-flink-libraries',
      version: flink,
      pip: { binary: 'wheel' },
      unpack: [
        { from: 'pyflink/bin/bash-java-utils.jar', to: 'bin' },
        { from: 'pyflink/lib/', to: 'lib' },
        { from: 'pyflink/opt/', to: 'opt' },
        { from: 'pyflink/plugins/', to: 'plugins' },
      ],
    },
  ];
}

// Hadoop for Parquet's Configuration: both jars are needed (Configuration loads shaded woodstox from -runtime).
const HADOOP_CLIENT: readonly MavenRecipe[] = [
  { coords: 'org.apache.hadoop:hadoop-client-api:3.4.2', into: 'lib' },
  { coords: 'org.apache.hadoop:hadoop-client-runtime:3.4.2', into: 'lib' },
];

/**
 * The Kafka SQL connector: apache/flink-connector-kafka 5.0.0 is built for Flink 2.1 and tested
 * on 2.1/2.2; no build for a later Flink is published.
 */
const FLINK_KAFKA_CONNECTOR = 'org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2';

export const RECIPES: Record<EngineDistributionName, EngineRecipes> = {
  spark: {
    default: '4.2.0',
    versions: [
      sparkRecipe('4.2.0', { tokenProvider: '4.2.0', kafkaClients: '3.9.2', commonsPool2: '2.13.1' }, [
        'kafka-clients 3.9.2 and commons-pool2 2.13.1 are the versions the spark-sql-kafka 4.2.0 pom declares; spark-token-provider-kafka is at the Spark version. Spark 4.2.0 is the newest Spark whose spark-sql-kafka is in the reachable Maven repository (PyPI has pyspark 4.2.1 and 4.3.0; Maven has no spark-sql-kafka of either).',
      ]),
      sparkRecipe('4.1.1', { tokenProvider: '4.0.0', kafkaClients: '3.9.1', commonsPool2: '2.12.1' }, [
        'kafka-clients and commons-pool2 are the versions the spark-sql-kafka 4.1.1 pom declares; pyspark jars/ has neither (it has lz4, snappy, zstd and slf4j).',
        'spark-token-provider-kafka-0-10_2.13 is pinned at 4.0.0: when this version was locked, the Maven repository reachable here had no 4.0.1, 4.1.0 or 4.1.1 of it (4.1.1 resolves since; the pin is kept so results stay comparable with earlier 4.1.1 runs). Verified with a Kafka read and write from Spark 4.1.1.',
      ]),
    ],
  },
  flink: {
    // 2.3.0 with the 5.0.0-2.2 Kafka connector passed the Flink streaming, batch and metrics tests here.
    default: '2.3.0',
    versions: [
      {
        version: '2.3.0',
        main: 'flink',
        components: { ...FLINK_COMPONENTS_COMMON, 'flink-sql-parquet': 'maven:org.apache.flink:flink-sql-parquet' },
        notes: [
          FLINK_LAYOUT_NOTE,
          'Kafka: no flink-sql-connector-kafka build for Flink 2.3 is published; this is 5.0.0-2.2 (built for 2.1, tested upstream on 2.1/2.2). Verified on 2.3.0 by the streaming tests (passthrough, wordcount, window-agg, topn, interval and regular joins, on the local runtime; passthrough on docker) and the Flink Prometheus/checkpoint metrics test.',
          'Parquet: flink-sql-parquet 2.3.0 (parquet and its codecs shaded in one jar; in the Maven repository from 2.3.0 on) with hadoop-client-api + hadoop-client-runtime for its Configuration, and zstd-jni as for 2.2.1. Verified on 2.3.0 by the batch tests reading DuckDB-written snappy Parquet; zstd-compressed files were not tried on 2.3.0.',
        ],
        pypi: flinkPypi('2.3.0'),
        maven: [
          { coords: 'org.apache.flink:flink-sql-gateway:2.3.0', into: 'opt' },
          { coords: FLINK_KAFKA_CONNECTOR, into: 'lib' },
          { coords: 'org.apache.flink:flink-sql-parquet:2.3.0', into: 'lib' },
          { coords: 'com.github.luben:zstd-jni:1.5.6-6', into: 'lib' },
          ...HADOOP_CLIENT,
        ],
      },
      {
        version: '2.2.1',
        main: 'flink',
        components: { ...FLINK_COMPONENTS_COMMON, 'flink-parquet': 'maven:org.apache.flink:flink-parquet', parquet: 'maven:org.apache.parquet:parquet-hadoop' },
        notes: [
          FLINK_LAYOUT_NOTE,
          'Parquet: flink-sql-parquet is not in the reachable Maven repository at any 2.2 version, so lib/ gets the unshaded flink-parquet 2.2.0 (the newest 2.2 there) with its parquet-* dependencies, zstd-jni for zstd-compressed files, and hadoop-client-api + hadoop-client-runtime (both needed: Configuration loads shaded woodstox from -runtime). Verified by a batch SQL job reading DuckDB-written snappy and zstd Parquet files.',
        ],
        pypi: flinkPypi('2.2.1'),
        maven: [
          { coords: 'org.apache.flink:flink-sql-gateway:2.2.1', into: 'opt' },
          { coords: FLINK_KAFKA_CONNECTOR, into: 'lib' },
          {
            coords: 'org.apache.flink:flink-parquet:2.2.0',
            into: 'lib',
            transitive: true,
            // Flink's own lib/ provides slf4j; protobuf is only for the parquet-protobuf format.
            exclude: ['org.slf4j:slf4j-api', 'com.google.protobuf:protobuf-java', 'com.google.code.findbugs:jsr305', 'javax.annotation:javax.annotation-api'],
          },
          ...HADOOP_CLIENT,
        ],
      },
    ],
  },
  kafka: {
    default: '4.1.2',
    versions: [
      {
        version: '4.1.2',
        main: 'kafka',
        components: {
          kafka: 'maven:org.apache.kafka:kafka_2.13',
          'kafka-tools': 'maven:org.apache.kafka:kafka-tools',
          'log4j-slf4j-impl': 'maven:org.apache.logging.log4j:log4j-slf4j-impl',
        },
        notes: [
          'libs/ is kafka_2.13 and kafka-tools with all their runtime dependencies, as resolved by Maven, plus an SLF4J 1.x binding to the log4j2 that Kafka already depends on.',
          'kafka-tools is taken without connect-runtime (Connect worker, Jetty, Jersey): the topic, producer/consumer performance and console tools do not use it.',
          'Classes: broker kafka.Kafka; storage format kafka.tools.StorageTool; org.apache.kafka.tools.TopicCommand, ProducerPerformance, ConsumerPerformance, ConsoleProducer, consumer.ConsoleConsumer, GetOffsetShell.',
        ],
        pypi: [],
        maven: [
          { coords: 'org.apache.kafka:kafka_2.13:4.1.2', into: 'libs', transitive: true },
          { coords: 'org.apache.kafka:kafka-tools:4.1.2', into: 'libs', transitive: true, exclude: ['org.apache.kafka:connect-runtime'] },
          { coords: 'org.apache.logging.log4j:log4j-slf4j-impl:2.25.3', into: 'libs' },
        ],
      },
    ],
  },
};
