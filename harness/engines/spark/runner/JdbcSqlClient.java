// The client of the spark-thrift path: runs a list of SQL statements, in order, over one JDBC
// connection to Spark's Thrift JDBC/ODBC server (HiveThriftServer2) with the Hive JDBC driver
// that ships in the Spark distribution (jars/hive-jdbc-*.jar) — a maintained client, no wire
// protocol of ours. One connection is one Thrift session: the dataset views the first
// statements create are visible to the query; the long-lived server application is what stays
// warm between executions.
//
// The client's own start-up (this JVM, loading the driver, opening the connection) is timed
// apart from the statements, so the harness can keep it out of the query's span: the Flink
// gateway's client (the harness's HTTP calls) has no start-up of its own.
//
// Hand-off by files, as SparkSqlRunner: --statements FILE (JSON array), --result FILE receives
// {jvmStartEpochMs, connectedEpochMs, statementsStartEpochMs, finishedEpochMs, clientStartMs,
// statementsMs} on success. A failed statement exits 1 with the server's message on stderr.
//
// Usage: java -cp runner.jar:$SPARK_HOME/jars/* bench.JdbcSqlClient --url jdbc:hive2://HOST:PORT/default
//          --statements FILE --result FILE
package bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class JdbcSqlClient {
  public static void main(String[] args) throws Exception {
    String url = null, driver = null, statementsFile = null, resultFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url": url = args[++i]; break;
        case "--driver": driver = args[++i]; break;
        case "--statements": statementsFile = args[++i]; break;
        case "--result": resultFile = args[++i]; break;
        default: throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    if (url == null || driver == null || statementsFile == null || resultFile == null) {
      throw new IllegalArgumentException("usage: --url JDBC_URL --driver CLASS --statements FILE --result FILE");
    }
    List<String> statements = RunnerFiles.readStatements(statementsFile);
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    Class.forName(driver);
    try (Connection connection = DriverManager.getConnection(url, "bench", "")) {
      long connected = System.currentTimeMillis();
      long statementsStart = System.nanoTime();
      long statementsStartEpoch = System.currentTimeMillis();
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            System.err.println("BENCH_STATEMENT_FAILED " + sql.split("\n")[0]);
            throw e;
          }
        }
      }
      long statementsMs = (System.nanoTime() - statementsStart) / 1_000_000;
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("jvmStartEpochMs", jvmStart);
      report.put("connectedEpochMs", connected);
      report.put("statementsStartEpochMs", statementsStartEpoch);
      report.put("finishedEpochMs", System.currentTimeMillis());
      report.put("clientStartMs", connected - jvmStart);
      report.put("statementsMs", statementsMs);
      RunnerFiles.writeJson(resultFile, report);
    }
  }
}
