-- stream-window-agg (Spark): revenue per product over 10 s windows sliding by 2 s.
-- Asks:     window(event time, '10 seconds', '2 seconds') per product, SUM(amount), in update
--           output mode: every micro-batch writes the (window, product) totals it changed.
-- Stresses: Spark's sliding window (each row expanded into its 5 windows), keyed state store.
-- Carries:  MAX(ts), the newest generation time behind each total, for latency.
-- No watermark: update mode does not need one, and without it no event is dropped as late, so
--           the final state is complete (the state keeps every window: fine for minutes-long runs).
-- Continuous mode cannot run it (aggregation): recorded as unsupported with Spark's message.
SELECT unix_millis(window.start) AS window_start, product, SUM(amount) AS revenue, MAX(ts) AS ts
FROM events
GROUP BY window(timestamp_millis(ts), '10 seconds', '2 seconds'), product
