// The runners' file hand-off with the harness (JSON, read and written with Jackson), in a class
// of its own that needs nothing of Spark: the JDBC client runs on a classpath of a driver and
// Jackson only (the Spark Connect JDBC driver must not meet Spark's own SQL classes).
package bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.List;

final class RunnerFiles {
  static final ObjectMapper JSON = new ObjectMapper();

  private RunnerFiles() {}

  /** A JSON array of SQL statements, each run as is; at least one. */
  static List<String> readStatements(String file) throws Exception {
    String[] statements = JSON.readValue(new File(file), String[].class);
    if (statements.length == 0) throw new IllegalArgumentException(file + ": no SQL statement");
    return List.of(statements);
  }

  /** Written to a temporary file and renamed, so the harness never reads half a file. */
  static void writeJson(String file, Object value) throws Exception {
    File target = new File(file);
    File temporary = new File(file + ".tmp");
    JSON.writeValue(temporary, value);
    if (!temporary.renameTo(target)) throw new IllegalStateException("cannot rename " + temporary + " to " + target);
  }
}
