-- stream-topn: the ${TOP_N} products with the highest revenue so far (ties: product name).
-- Asks:     SUM(amount) per product, ranked by ROW_NUMBER() OVER (ORDER BY revenue DESC,
--           product), rank <= ${TOP_N}; the rank itself is not output, so only rows entering,
--           leaving or changing in the top-N are written (upserts and tombstones by product).
-- Stresses: an updating aggregate feeding a global ranking that retracts displaced rows.
-- Carries:  MAX(ts), the newest generation time among the product's events, for latency.
-- Runs as is on Flink and DuckDB (the final-state oracle). Spark Structured Streaming rejects
-- the ranking window (no non-time-based windows on streams; sort/limit only in complete mode,
-- whose output never retracts a product that left the top-N, so its Kafka output is not the
-- top-N): recorded as unsupported with Spark's own message.
SELECT product, revenue, ts
FROM (
  SELECT product, revenue, ts, ROW_NUMBER() OVER (ORDER BY revenue DESC, product) AS row_num
  FROM (SELECT product, SUM(amount) AS revenue, MAX(ts) AS ts FROM events GROUP BY product) AS totals
) AS ranked
WHERE row_num <= ${TOP_N}
