// What each distribution is made of, before pinning: package names, versions (Maven ranges
// allowed), layout rules. update-lock.ts resolves these to exact files + checksums in the lock.
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
  /** Which component's resolved version is the distribution's version. */
  readonly main: string;
  /** Component name → 'pypi:<package>' or 'maven:<groupId>:<artifactId>' whose resolved version it reports. */
  readonly components: Record<string, string>;
  readonly notes: readonly string[];
  readonly pypi: readonly PypiRecipe[];
  readonly maven: readonly MavenRecipe[];
}

export const RECIPES: Record<EngineDistributionName, DistributionRecipe> = {
  spark: {
    main: 'spark',
    components: {
      spark: 'pypi:pyspark',
      'spark-sql-kafka': 'maven:org.apache.spark:spark-sql-kafka-0-10_2.13',
      'spark-token-provider-kafka': 'maven:org.apache.spark:spark-token-provider-kafka-0-10_2.13',
      'kafka-clients': 'maven:org.apache.kafka:kafka-clients',
      'commons-pool2': 'maven:org.apache.commons:commons-pool2',
    },
    notes: [
      'The pyspark sdist carries the Spark jars and scripts (deps/); its lib/ holds pyspark.zip and py4j, placed in python/lib/ as in the official layout.',
      'kafka-clients and commons-pool2 are the versions the spark-sql-kafka 4.1.1 pom declares; pyspark jars/ has neither (it has lz4, snappy, zstd and slf4j).',
      'spark-token-provider-kafka-0-10_2.13 is pinned at 4.0.0: the Maven repository reachable here has no 4.0.1, 4.1.0 or 4.1.1 of it. Verified with a Kafka read and write from Spark 4.1.1.',
    ],
    pypi: [
      {
        package: 'pyspark',
        version: '4.1.1',
        pip: { binary: 'sdist' },
        unpack: [
          { from: 'pyspark-4.1.1/deps/bin/', to: 'bin' },
          { from: 'pyspark-4.1.1/deps/sbin/', to: 'sbin' },
          { from: 'pyspark-4.1.1/deps/jars/', to: 'jars' },
          { from: 'pyspark-4.1.1/lib/', to: 'python/lib' },
        ],
      },
    ],
    maven: [
      { coords: 'org.apache.spark:spark-sql-kafka-0-10_2.13:4.1.1', into: 'jars' },
      { coords: 'org.apache.spark:spark-token-provider-kafka-0-10_2.13:4.0.0', into: 'jars' },
      { coords: 'org.apache.kafka:kafka-clients:3.9.1', into: 'jars' },
      { coords: 'org.apache.commons:commons-pool2:2.12.1', into: 'jars' },
    ],
  },
  flink: {
    main: 'flink',
    components: {
      flink: 'pypi:apache-flink',
      'flink-libraries': 'pypi:apache-flink-libraries',
      'flink-sql-gateway': 'maven:org.apache.flink:flink-sql-gateway',
      'flink-sql-connector-kafka': 'maven:org.apache.flink:flink-sql-connector-kafka',
      'flink-parquet': 'maven:org.apache.flink:flink-parquet',
      parquet: 'maven:org.apache.parquet:parquet-hadoop',
      'hadoop-client': 'maven:org.apache.hadoop:hadoop-client-api',
    },
    notes: [
      'bin/ and conf/ come from the apache-flink wheel (any one Python build has the same scripts); lib/, opt/, plugins/ and bin/bash-java-utils.jar from apache-flink-libraries.',
      'Parquet: flink-sql-parquet is not in the reachable Maven repository at any 2.x version, so lib/ gets the unshaded flink-parquet 2.2.0 (the newest there) with its parquet-* dependencies, zstd-jni for zstd-compressed files, and hadoop-client-api + hadoop-client-runtime (both needed: Configuration loads shaded woodstox from -runtime). Verified by a batch SQL job reading DuckDB-written snappy and zstd Parquet files.',
    ],
    pypi: [
      {
        package: 'apache-flink',
        version: '2.2.1',
        pip: { binary: 'wheel', platform: 'manylinux2014_x86_64', pythonVersion: '3.11', implementation: 'cp', abi: 'cp311' },
        unpack: [
          { from: 'pyflink/bin/', to: 'bin' },
          { from: 'pyflink/conf/', to: 'conf' },
        ],
      },
      {
        package: 'apache-flink-libraries',
        version: '2.2.1',
        pip: { binary: 'wheel' },
        unpack: [
          { from: 'pyflink/bin/bash-java-utils.jar', to: 'bin' },
          { from: 'pyflink/lib/', to: 'lib' },
          { from: 'pyflink/opt/', to: 'opt' },
          { from: 'pyflink/plugins/', to: 'plugins' },
        ],
      },
    ],
    maven: [
      { coords: 'org.apache.flink:flink-sql-gateway:2.2.1', into: 'opt' },
      { coords: 'org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2', into: 'lib' },
      {
        coords: 'org.apache.flink:flink-parquet:2.2.0',
        into: 'lib',
        transitive: true,
        // Flink's own lib/ provides slf4j; protobuf is only for the parquet-protobuf format.
        exclude: ['org.slf4j:slf4j-api', 'com.google.protobuf:protobuf-java', 'com.google.code.findbugs:jsr305', 'javax.annotation:javax.annotation-api'],
      },
      { coords: 'org.apache.hadoop:hadoop-client-api:3.4.2', into: 'lib' },
      { coords: 'org.apache.hadoop:hadoop-client-runtime:3.4.2', into: 'lib' },
    ],
  },
  kafka: {
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
      { coords: 'org.apache.kafka:kafka_2.13:[4.1.0,4.2.0)', into: 'libs', transitive: true },
      { coords: 'org.apache.kafka:kafka-tools:[4.1.0,4.2.0)', into: 'libs', transitive: true, exclude: ['org.apache.kafka:connect-runtime'] },
      { coords: 'org.apache.logging.log4j:log4j-slf4j-impl:2.25.3', into: 'libs' },
    ],
  },
};
