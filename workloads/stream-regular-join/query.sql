-- stream-regular-join: each payment with its order, however late (no time bound).
-- Asks:     orders ⋈ payments ON order id.
-- Stresses: two keyed join states that only grow (nothing tells the engine a row is done).
-- Carries:  GREATEST(o.ts, p.ts), the newer generation time of the pair, for latency.
-- Runs as is on Spark, Flink and DuckDB (the final-state oracle). Spark continuous mode cannot
-- run it (a join): recorded as unsupported with Spark's message.
SELECT p.id AS payment_id, o.id AS order_id, o.customer, p.paid, GREATEST(o.ts, p.ts) AS ts
FROM orders AS o
JOIN payments AS p
  ON p.order_id = o.id
