-- wordcount: occurrences of every word, most frequent first (ties by word).
-- Asks:     SPLIT each line on ' ', one row per word, COUNT(*) per word, ORDER BY count
--           DESC, word. This text runs as is on Flink (SPLIT returns ARRAY<STRING> since
--           Flink 1.20; CROSS JOIN UNNEST) and DuckDB (split = string_split); Spark has its
--           own spark.sql (explode).
-- Stresses: string tokenisation, a hash aggregation over a Zipf-skewed key (hot keys), and
--           a global sort of the ~${VOCABULARY}-row result.
-- Probes:   "the classic word count: how does each engine cope with skew and string work?"
SELECT word, COUNT(*) AS occurrences
FROM lines
CROSS JOIN UNNEST(SPLIT(line, ' ')) AS t(word)
GROUP BY word
ORDER BY occurrences DESC, word
