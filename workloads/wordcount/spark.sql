-- wordcount (Spark dialect): same question as query.sql.
-- Differs because Spark SQL has no UNNEST table function: explode(split(...)) instead.
-- Spark's split() takes a regular expression; ' ' matches a single space, as in query.sql.
SELECT word, COUNT(*) AS occurrences
FROM (SELECT explode(split(line, ' ')) AS word FROM lines) t
GROUP BY word
ORDER BY occurrences DESC, word
