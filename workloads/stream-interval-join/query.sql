-- stream-interval-join: each payment with its order, when paid within 1 s of the order (event time).
-- Asks:     orders ⋈ payments ON order id, and payment time BETWEEN order time and order time + 1 s.
-- Stresses: two keyed join states bounded by event time: an order can be dropped once the
--           watermark passes its time + 1 s (a payment can never match it after that).
-- Carries:  GREATEST(o.ts, p.ts), the newer generation time of the pair, for latency.
-- Runs as is on Spark, Flink and DuckDB (the final-state oracle): `rt` is each input's
-- generation time as a timestamp (Flink: rowtime attribute with watermark; Spark: withWatermark).
-- Spark continuous mode cannot run it (a join): recorded as unsupported with Spark's message.
SELECT p.id AS payment_id, o.id AS order_id, o.customer, p.paid, GREATEST(o.ts, p.ts) AS ts
FROM orders AS o
JOIN payments AS p
  ON p.order_id = o.id
 AND p.rt BETWEEN o.rt AND o.rt + INTERVAL '1' SECOND
