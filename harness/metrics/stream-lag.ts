// The name every engine gives its source-topic lag scraper beside a streaming measurement, so
// the run flow and the report find it whatever the engine.
export const LAG_SCRAPER = 'kafka-lag';
