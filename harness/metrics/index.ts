// Public API of harness/metrics (see engine-metrics.ts for how a measurement is wired).
export { startSampler, DEFAULT_METRICS_INTERVAL_MS, type Scraper, type Reading, type CollectedSeries, type RunningSampler } from './sampler.ts';
export { metricsSectionSchema, type MetricsSection, METRICS_SECTION_VERSION } from './metrics-section.ts';
export { metricsFor, withMetrics, osScraper, sparkMetricsSettings, flinkMetricsSettings, flinkPrometheusScrapers, flinkPrometheusUrls, sparkEventLogDir, type EngineMetricsTarget, type KafkaLagTarget } from './engine-metrics.ts';
export { kafkaLagScraper, offsetsLagScraper, topicLagReading } from './kafka-lag.ts';
export { flinkRestScraper } from './flink-rest.ts';
export { prometheusScraper, parsePrometheusText } from './prometheus.ts';
export { fileWatchScraper } from './file-watch.ts';
export { sparkEventLogScraper, parseSparkEventLog } from './spark-event-log.ts';
export { deriveResourceFigures, serviceFigures, throughputPerCore, type ResourceFigures, type Figure } from './derived.ts';
