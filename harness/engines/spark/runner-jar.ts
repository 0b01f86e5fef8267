// Builds the thin Spark application (runner/SparkSqlRunner.java) against the prepared Spark
// jars with the host JDK, cached by a hash of its source and the Spark distribution.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cacheDir } from '../../paths.ts';
import { BenchError } from '../../errors.ts';
import { createLogger } from '../../log.ts';

const log = createLogger('bench:engine:spark');
const RUNNER_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runner');
export const SPARK_RUNNER_MAIN_CLASS = 'bench.SparkSqlRunner';

export async function ensureSparkRunnerJar(sparkHome: string, sparkLockHash: string): Promise<string> {
  const sources = fs.readdirSync(RUNNER_DIR).filter((f) => f.endsWith('.java')).sort();
  const hash = crypto.createHash('sha256').update(sparkLockHash);
  for (const file of sources) hash.update(file).update(fs.readFileSync(path.join(RUNNER_DIR, file)));
  const jar = path.join(cacheDir(), 'runners', `spark-runner-${hash.digest('hex').slice(0, 12)}.jar`);
  if (fs.existsSync(jar)) return jar;

  fs.mkdirSync(path.dirname(jar), { recursive: true });
  const build = fs.mkdtempSync(path.join(path.dirname(jar), '.build-'));
  try {
    log.info(`compiling the Spark runner (${sources.join(', ')})`);
    const classes = path.join(build, 'classes');
    await execa('javac', ['--release', '17', '-nowarn', '-cp', `${sparkHome}/jars/*`, '-d', classes, ...sources.map((f) => path.join(RUNNER_DIR, f))]).catch((error: unknown) => {
      throw new BenchError(`compiling the Spark runner failed (a JDK 17 'javac' is needed on the host): ${(error as Error).message}`);
    });
    const tmpJar = path.join(build, 'runner.jar');
    await execa('jar', ['cf', tmpJar, '-C', classes, '.']);
    fs.renameSync(tmpJar, jar);
    return jar;
  } finally {
    fs.rmSync(build, { recursive: true, force: true });
  }
}
