-- multijoin: orders ⋈ customers ⋈ payments ⋈ deliveries ⋈ reviews ⋈ promotions, aggregated
-- by customer segment × promotion type (5 × 4 = 20 rows).
-- Asks:     per (segment, promo_type): matching orders, order and paid amounts, delivery
--           days and rating totals. Integer sums are cast to BIGINT so no engine overflows
--           (Flink's SUM(INT) is INT); floating sums are compared with a relative tolerance.
-- Stresses: three large fact-to-fact shuffle joins on order_id (ids permuted, 5-20 % of the
--           rows unmatched) and two small dimension joins that should be broadcast.
-- Probes:   "join planning and shuffle throughput decide multi-way join time" — does each
--           optimiser pick broadcast vs. shuffle sensibly on the same data and cores?
SELECT
  c.segment,
  pr.promo_type,
  COUNT(*) AS order_count,
  SUM(o.amount) AS order_amount,
  SUM(p.amount) AS paid_amount,
  SUM(CAST(d.delivery_days AS BIGINT)) AS delivery_days,
  SUM(CAST(r.rating AS BIGINT)) AS rating_sum
FROM orders o
JOIN customers c ON o.customer_id = c.customer_id
JOIN payments p ON p.order_id = o.order_id
JOIN deliveries d ON d.order_id = o.order_id
JOIN reviews r ON r.order_id = o.order_id
JOIN promotions pr ON pr.promotion_id = o.promotion_id
GROUP BY c.segment, pr.promo_type
ORDER BY c.segment, pr.promo_type
