-- stream-passthrough: keep events whose amount is not a multiple of 4; project id, word, amount, ts.
-- Asks:     a filter and a projection per record — no state, no shuffle.
-- Stresses: per-record overhead and the scheduling model (micro-batch vs continuous vs pipelined).
-- Carries:  ts, the generation time of the (single) input behind each row, for latency.
-- Runs as is on Spark, Flink and DuckDB (the final-state oracle).
SELECT id, word, amount, ts
FROM events
WHERE amount % 4 <> 0
