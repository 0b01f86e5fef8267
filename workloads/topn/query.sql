-- topn: the ${LIMIT} most expensive transactions.
-- Asks:     SELECT * ... ORDER BY price DESC, id LIMIT ${LIMIT}; id breaks price ties, so
--           exactly one answer is right and row order is compared.
-- Stresses: a full Parquet scan of every column, a per-task bounded top-N, one final merge;
--           almost no shuffle, so start-up, scheduling and scan speed dominate.
-- Probes:   "for short scan-heavy queries the fixed cost of a distributed engine dominates"
--           (compare with the single-process DuckDB baseline).
SELECT *
FROM transactions
ORDER BY price DESC, id
LIMIT ${LIMIT}
