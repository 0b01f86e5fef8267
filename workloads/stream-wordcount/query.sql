-- stream-wordcount: running count of events per word.
-- Asks:     GROUP BY word with COUNT(*), emitted as updates (upsert by word).
-- Stresses: keyed state updated on every record, a shuffle by key, updating output.
-- Carries:  MAX(ts), the newest generation time among the events counted, for latency.
-- Runs as is on Spark, Flink and DuckDB (the final-state oracle). Spark continuous mode
-- cannot run it (aggregation): recorded as unsupported with Spark's own message.
SELECT word, COUNT(*) AS occurrences, MAX(ts) AS ts
FROM events
GROUP BY word
