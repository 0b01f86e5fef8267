-- stream-window-agg (Flink): revenue per product over 10 s windows sliding by 2 s.
-- Asks:     each event assigned to the 5 windows that contain it (start = floor(ts / 2 s) * 2 s
--           − j * 2 s), then an updating GROUP BY (window start, product) with SUM(amount),
--           written as upserts — the same window assignment Spark's window() makes.
-- Stresses: keyed state updated 5 times per event, upsert changelog output.
-- Carries:  MAX(ts), the newest generation time behind each total, for latency.
-- Why not the HOP window TVF: it emits a window only when the watermark passes its end, and
--           once the input stops the watermark stops too, so the last windows would never be
--           written and the final state could not be checked; it would also compare
--           final-at-close results with Spark's per-batch updates.
SELECT window_start, product, SUM(amount) AS revenue, MAX(ts) AS ts
FROM (
  SELECT ts - MOD(ts, 2000) - j * 2000 AS window_start, product, amount, ts
  FROM events CROSS JOIN UNNEST(ARRAY[0, 1, 2, 3, 4]) AS windows (j)
) AS assigned
GROUP BY window_start, product
