// The thin Spark application the harness submits with spark-submit: it runs a SQL file
// (setup statements, then one query) and either writes the query's result to an output
// directory or prints it. Timings come from Spark itself (a QueryExecutionListener), so the
// harness can record the engine-reported duration beside its own wall time.
//
// Usage: spark-submit --class bench.SparkSqlRunner runner.jar --sql FILE
//          [--output DIR --format parquet|csv] [--print MAX_ROWS]
// Prints one line `BENCH_RESULT {json}` on success.
package bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;

public final class SparkSqlRunner {
  public static void main(String[] args) throws Exception {
    String sqlFile = null, output = null, format = "parquet";
    int printRows = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sql": sqlFile = args[++i]; break;
        case "--output": output = args[++i]; break;
        case "--format": format = args[++i]; break;
        case "--print": printRows = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (sqlFile == null || (output == null && printRows < 0)) {
      throw new IllegalArgumentException("usage: --sql FILE (--output DIR [--format parquet|csv] | --print MAX_ROWS)");
    }
    List<String> statements = splitStatements(new String(Files.readAllBytes(Paths.get(sqlFile)), StandardCharsets.UTF_8));
    if (statements.isEmpty()) throw new IllegalArgumentException(sqlFile + ": no SQL statement");

    SparkSession spark = SparkSession.builder().appName("bench:" + Paths.get(sqlFile).getFileName()).getOrCreate();
    // Listener events arrive asynchronously, also for the setup statements (view creation infers
    // Parquet schemas with jobs of its own): only the measured action's event counts.
    AtomicLong engineNanos = new AtomicLong(-1);
    // The write runs as a "command" like the setup statements: tell it apart by its plan.
    java.util.function.BiPredicate<String, QueryExecution> isMeasured = output != null
        ? (funcName, qe) -> qe.analyzed().nodeName().startsWith("InsertIntoHadoopFsRelation")
        : (funcName, qe) -> funcName.equals("collectAsList");
    spark.listenerManager().register(new QueryExecutionListener() {
      @Override public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
        boolean measured = isMeasured.test(funcName, qe);
        System.err.println("BENCH_LISTENER " + funcName + " " + qe.analyzed().nodeName() + " " + durationNs / 1_000_000 + " ms" + (measured ? " (measured)" : ""));
        if (measured) engineNanos.set(durationNs);
      }
      @Override public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
    });
    try {
      for (int i = 0; i < statements.size() - 1; i++) spark.sql(statements.get(i));
      long start = System.nanoTime();
      Dataset<Row> result = spark.sql(statements.get(statements.size() - 1));
      StringBuilder rows = new StringBuilder("[");
      long rowCount = -1;
      if (output != null) {
        result.write().mode("overwrite").format(format).option("header", "true").save(output);
      } else {
        List<Row> collected = result.limit(printRows).collectAsList();
        rowCount = collected.size();
        for (int r = 0; r < collected.size(); r++) {
          if (r > 0) rows.append(',');
          rows.append('[');
          Row row = collected.get(r);
          for (int c = 0; c < row.length(); c++) {
            if (c > 0) rows.append(',');
            Object v = row.get(c);
            rows.append(v == null ? "null" : v instanceof Number ? v.toString() : '"' + escape(v.toString()) + '"');
          }
          rows.append(']');
        }
      }
      rows.append(']');
      long wallMs = (System.nanoTime() - start) / 1_000_000;
      // The listener fires asynchronously after the action; give it a moment.
      for (int i = 0; i < 50 && engineNanos.get() < 0; i++) Thread.sleep(100);
      String engineMs = engineNanos.get() < 0 ? "null" : Long.toString(engineNanos.get() / 1_000_000);
      System.out.println("BENCH_RESULT {\"appId\":\"" + spark.sparkContext().applicationId() + "\",\"engineMs\":" + engineMs
          + ",\"driverWallMs\":" + wallMs + (rowCount >= 0 ? ",\"rowCount\":" + rowCount + ",\"rows\":" + rows : "") + "}");
    } finally {
      spark.stop();
    }
  }

  /** Splits on ';' outside quotes and comments; drops empty statements. */
  static List<String> splitStatements(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean single = false, dbl = false, lineComment = false, blockComment = false;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i), next = i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
      if (lineComment) { if (c == '\n') { lineComment = false; current.append(c); } continue; }
      if (blockComment) { if (c == '*' && next == '/') { blockComment = false; i++; } continue; }
      if (!single && !dbl && c == '-' && next == '-') { lineComment = true; i++; continue; }
      if (!single && !dbl && c == '/' && next == '*') { blockComment = true; i++; continue; }
      if (c == '\'' && !dbl) single = !single;
      if (c == '"' && !single) dbl = !dbl;
      if (c == ';' && !single && !dbl) { add(out, current); current.setLength(0); continue; }
      current.append(c);
    }
    add(out, current);
    return out;
  }

  private static void add(List<String> out, StringBuilder statement) {
    String s = statement.toString().trim();
    if (!s.isEmpty()) out.add(s);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') b.append('\\').append(ch);
      else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
      else b.append(ch);
    }
    return b.toString();
  }
}
