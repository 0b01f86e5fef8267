// Public API of harness/metrics (see engine-metrics.ts for how a measurement is wired).
export { startSampler, DEFAULT_METRICS_INTERVAL_MS, type Scraper, type Reading, type CollectedSeries, type RunningSampler } from './sampler.ts';
export { metricsSectionSchema, type MetricsSection, METRICS_SECTION_VERSION } from '../results/metrics-section.ts';
export { withMetrics, osScraper } from './engine-metrics.ts';
export { LAG_SCRAPER } from './stream-lag.ts';
export { kafkaLagScraper, offsetsLagScraper, topicLagReading } from './kafka-lag.ts';
export { flinkRestScraper } from './flink-rest.ts';
export { prometheusScraper, parsePrometheusText } from './prometheus.ts';
export { fileWatchScraper } from './file-watch.ts';
export { sparkEventLogScraper, parseSparkEventLog } from './spark-event-log.ts';
export { deriveResourceFigures, serviceFigures, throughputPerCore, type ResourceFigures, type Figure } from './derived.ts';
