-- stream-window-agg (DuckDB, the final-state oracle): revenue per product over sliding windows.
-- Asks:     for every 10 s window starting at a multiple of 2 s (epoch-aligned, on the generation
--           time `ts` in ms), SUM(amount) per product; each event is in the 5 windows starting at
--           floor(ts / 2 s) * 2 s − j * 2 s, j = 0 … 4.
-- Stresses: (engines) windowed keyed state, 5 state updates per event, updating output.
-- Carries:  MAX(ts), the newest generation time among the window's events, for latency.
-- Window assignment is spelled out here (range(5)) rather than by a window function, so the
-- oracle does not share Spark's window() or Flink's expression: it checks both.
SELECT window_start, product, SUM(amount) AS revenue, MAX(ts) AS ts
FROM (
  SELECT ts - ts % 2000 - j * 2000 AS window_start, product, amount, ts
  FROM events CROSS JOIN range(5) AS windows(j)
) AS assigned
GROUP BY window_start, product
