// The thin Structured Streaming application the harness submits with spark-submit: per input a
// Kafka readStream → parse the JSON records → temp view named after the input (`events`, or
// e.g. `orders` and `payments` for a join) → the workload SQL → writeStream to Kafka (key =
// JSON of the key columns, value = JSON of the row). With --watermark-delay-ms every view also
// gets `rt`, the generation time as a timestamp, with that watermark (time-bounded joins). It
// talks to the harness through files in --state-dir (the run dir is visible at the same path to
// both), JSON read and written with Jackson:
//   started  written once the query is running: {queryId, appId}
//   error    the failure: {exception, message} (e.g. Spark's AnalysisException when a
//            continuous trigger meets an aggregation)
//   stop     created by the harness: stop the query and exit
// Checkpoints go to <state-dir>/checkpoint; the harness reads committed offsets there.
//
// Usage: spark-submit --class bench.SparkStreamRunner runner.jar --bootstrap B --sources FILE
//          --statements FILE --sink-topic O --key-columns a,b --output-mode append|update
//          --trigger default|processing:<ms>|continuous:<ms>|realtime:<ms> --state-dir DIR [--watermark-delay-ms N]
// realtime:<ms> is Real-Time Mode (Spark 4.1+): long-running batches of <ms>, which is their
// checkpoint interval, not a latency target; Spark's floor for it (realTimeMode.minBatchDuration)
// is lowered to <ms> so the interval is the one every other variant checkpoints at.
// --sources: a JSON array of {name, topic, schema} (schema: a Spark DDL column list);
// --statements: a JSON array of SQL statements, the last one the streaming query.
package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

public final class SparkStreamRunner {
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + args[i]);
      a.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : new String[] {"bootstrap", "sources", "statements", "sink-topic", "key-columns", "output-mode", "trigger", "state-dir"}) {
      if (!a.containsKey(required)) throw new IllegalArgumentException("missing --" + required);
    }
    Path state = Paths.get(a.get("state-dir"));
    Files.createDirectories(state);
    SparkSession spark = SparkSession.builder().appName("bench-stream:" + a.get("sink-topic")).getOrCreate();
    boolean failed = false;
    try {
      List<String> statements = RunnerFiles.readStatements(a.get("statements"));
      JsonNode sources = RunnerFiles.JSON.readTree(new File(a.get("sources")));
      if (!sources.isArray() || sources.isEmpty()) throw new IllegalArgumentException(a.get("sources") + ": expected a non-empty JSON array of {name, topic, schema}");
      for (JsonNode entry : sources) {
        String[] source = {entry.path("name").asText(), entry.path("topic").asText(), entry.path("schema").asText()};
        for (String field : source) if (field.isEmpty()) throw new IllegalArgumentException(a.get("sources") + ": every source needs name, topic and schema, got: " + entry);
        Dataset<Row> parsed = spark.readStream().format("kafka")
            .option("kafka.bootstrap.servers", a.get("bootstrap"))
            .option("subscribe", source[1])
            .option("startingOffsets", "earliest")
            .option("failOnDataLoss", "true")
            .load()
            .selectExpr("CAST(value AS STRING) AS json")
            .selectExpr("from_json(json, '" + source[2].replace("'", "\\'") + "') AS e")
            .selectExpr("e.*");
        if (a.containsKey("watermark-delay-ms")) {
          parsed = parsed.selectExpr("*", "timestamp_millis(ts) AS rt").withWatermark("rt", a.get("watermark-delay-ms") + " milliseconds");
        }
        parsed.createOrReplaceTempView(source[0]);
      }
      for (int i = 0; i < statements.size() - 1; i++) spark.sql(statements.get(i));
      Dataset<Row> result = spark.sql(statements.get(statements.size() - 1));

      String keyStruct = "to_json(named_struct(" + String.join(", ", keyPairs(a.get("key-columns").split(","))) + ")) AS key";
      DataStreamWriter<Row> writer = result.selectExpr(keyStruct, "to_json(struct(*)) AS value").writeStream()
          .format("kafka")
          .option("kafka.bootstrap.servers", a.get("bootstrap"))
          .option("topic", a.get("sink-topic"))
          .option("checkpointLocation", state.resolve("checkpoint").toString())
          .outputMode(a.get("output-mode"));
      String trigger = a.get("trigger");
      if (trigger.startsWith("processing:")) writer = writer.trigger(Trigger.ProcessingTime(Long.parseLong(trigger.substring(11))));
      else if (trigger.startsWith("continuous:")) writer = writer.trigger(Trigger.Continuous(Long.parseLong(trigger.substring(11))));
      else if (trigger.startsWith("realtime:")) {
        long batchMs = Long.parseLong(trigger.substring(9));
        spark.conf().set("spark.sql.streaming.realTimeMode.minBatchDuration", batchMs + "ms");
        writer = writer.trigger(Trigger.RealTime(batchMs));
      }
      else if (!trigger.equals("default")) throw new IllegalArgumentException("--trigger: " + trigger);

      StreamingQuery query = writer.start();
      RunnerFiles.writeJson(state.resolve("started").toString(), Map.of("queryId", query.id().toString(), "appId", spark.sparkContext().applicationId()));
      Path stop = state.resolve("stop");
      while (query.isActive() && !Files.exists(stop)) query.awaitTermination(200);
      if (query.exception().isDefined()) throw query.exception().get();
      query.stop();
      System.out.println("BENCH_STREAM_STOPPED");
    } catch (Throwable t) {
      failed = true;
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      Map<String, String> error = new HashMap<>();
      error.put("exception", t.getClass().getName());
      error.put("message", String.valueOf(t.getMessage()));
      RunnerFiles.writeJson(state.resolve("error").toString(), error);
      System.err.println(trace);
    } finally {
      spark.stop();
    }
    if (failed) System.exit(2);
  }

  private static String[] keyPairs(String[] columns) {
    String[] out = new String[columns.length];
    for (int i = 0; i < columns.length; i++) out[i] = "'" + columns[i].trim() + "', `" + columns[i].trim() + "`";
    return out;
  }
}
