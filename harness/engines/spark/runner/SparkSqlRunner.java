// The thin Spark application the harness submits with spark-submit: it runs a list of SQL
// statements (setup statements, then one query) and either writes the query's result to an
// output directory or collects a few rows. Timings come from Spark itself (a
// QueryExecutionListener), so the harness can record the engine-reported duration beside its
// own wall time.
//
// Hand-off with the harness is by files, both JSON read and written with Jackson (on Spark's
// classpath): --statements FILE holds a JSON array of statements (no splitting of SQL text);
// --result FILE receives {appId, engineMs, driverWallMs[, rowCount, rows]} on success.
//
// Usage: spark-submit --class bench.SparkSqlRunner runner.jar --statements FILE --result FILE
//          [--output DIR --format parquet|csv] [--print MAX_ROWS]
package bench;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;

public final class SparkSqlRunner {

  public static void main(String[] args) throws Exception {
    String statementsFile = null, resultFile = null, output = null, format = "parquet";
    int printRows = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--statements": statementsFile = args[++i]; break;
        case "--result": resultFile = args[++i]; break;
        case "--output": output = args[++i]; break;
        case "--format": format = args[++i]; break;
        case "--print": printRows = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (statementsFile == null || resultFile == null || (output == null && printRows < 0)) {
      throw new IllegalArgumentException("usage: --statements FILE --result FILE (--output DIR [--format parquet|csv] | --print MAX_ROWS)");
    }
    List<String> statements = RunnerFiles.readStatements(statementsFile);

    SparkSession spark = SparkSession.builder().appName("bench:" + Paths.get(statementsFile).getParent().getFileName()).getOrCreate();
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
      Map<String, Object> report = new LinkedHashMap<>();
      List<List<Object>> rows = null;
      if (output != null) {
        result.write().mode("overwrite").format(format).option("header", "true").save(output);
      } else {
        rows = new ArrayList<>();
        for (Row row : result.limit(printRows).collectAsList()) {
          List<Object> values = new ArrayList<>();
          for (int c = 0; c < row.length(); c++) {
            Object v = row.get(c);
            values.add(v == null || v instanceof Number || v instanceof Boolean ? v : v.toString());
          }
          rows.add(values);
        }
      }
      long wallMs = (System.nanoTime() - start) / 1_000_000;
      // The listener fires asynchronously after the action; give it a moment.
      for (int i = 0; i < 50 && engineNanos.get() < 0; i++) Thread.sleep(100);
      report.put("appId", spark.sparkContext().applicationId());
      report.put("engineMs", engineNanos.get() < 0 ? null : engineNanos.get() / 1_000_000);
      report.put("driverWallMs", wallMs);
      if (rows != null) {
        report.put("rowCount", rows.size());
        report.put("rows", rows);
      }
      RunnerFiles.writeJson(resultFile, report);
    } finally {
      spark.stop();
    }
  }
}
