// Builds a ready-to-run engine home from verified cached artifacts, laid out like the official
// images: Spark bin/ sbin/ jars/ python/lib/; Flink bin/ conf/ lib/ opt/ plugins/; Kafka libs/
// config/. Archives are unpacked with the system tar/unzip, limited to the paths the lock names.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { BenchError } from '../errors.ts';
import { missingProgram } from './clients.ts';
import type { EngineDistributionName, LockedDistribution, PypiArtifact } from './lock.ts';

/** Bump when the assembly steps or generated files change: it is part of every lockHash. */
export const ASSEMBLY_VERSION = 1;

// Kafka publishes no config files to Maven; these make the broker log to stdout
// (-Dlog4j2.configurationFile=<home>/config/log4j2.properties) and keep the CLI tools quiet.
const KAFKA_LOG4J2 = `# Broker logging to stdout. Use: java -Dlog4j2.configurationFile=<home>/config/log4j2.properties -cp '<home>/libs/*' kafka.Kafka server.properties
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.target = SYSTEM_OUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.state-change.name = state.change.logger
logger.state-change.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
`;

const KAFKA_TOOLS_LOG4J2 = `# Command-line tools (TopicCommand, ProducerPerformance, StorageTool): warnings only, to stderr.
status = warn
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
`;

/** Files written into a home besides the artifacts (relative path → content). */
export function generatedFiles(name: EngineDistributionName): Record<string, string> {
  if (name === 'kafka') return { 'config/log4j2.properties': KAFKA_LOG4J2, 'config/tools-log4j2.properties': KAFKA_TOOLS_LOG4J2 };
  return {};
}

/** Files a finished home must have; a missing one means the lock's layout rules are wrong. */
export function requiredFiles(name: EngineDistributionName, entry: LockedDistribution): string[] {
  const version = (component: string) => entry.components[component] ?? entry.version;
  switch (name) {
    case 'spark':
      return ['bin/spark-submit', 'bin/spark-class', `jars/spark-core_2.13-${entry.version}.jar`, `jars/spark-sql-kafka-0-10_2.13-${version('spark-sql-kafka')}.jar`];
    case 'flink':
      return [
        'bin/flink',
        'bin/config.sh',
        'bin/jobmanager.sh',
        'bin/taskmanager.sh',
        'bin/sql-gateway.sh',
        'bin/bash-java-utils.jar',
        'conf/config.yaml',
        `lib/flink-dist-${entry.version}.jar`,
        `opt/flink-sql-gateway-${version('flink-sql-gateway')}.jar`,
        `lib/flink-sql-connector-kafka-${version('flink-sql-connector-kafka')}.jar`,
      ];
    case 'kafka':
      return [`libs/kafka_2.13-${entry.version}.jar`, 'config/log4j2.properties'];
  }
}

/** Moves src into dest, merging directories; two artifacts claiming one file is a lock error. */
function mergeMove(src: string, dest: string): void {
  if (!fs.existsSync(dest)) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(src, dest);
    return;
  }
  if (fs.statSync(src).isDirectory() && fs.statSync(dest).isDirectory()) {
    for (const child of fs.readdirSync(src)) mergeMove(path.join(src, child), path.join(dest, child));
    return;
  }
  throw new BenchError(`assembling a distribution: ${dest} would be written twice; two lock entries place the same file`);
}

async function unpackArchive(archive: string, artifact: PypiArtifact, home: string, stage: string, signal?: AbortSignal): Promise<void> {
  fs.mkdirSync(stage, { recursive: true });
  const members = artifact.unpack.map((rule) => rule.from.replace(/\/$/, ''));
  const options = { cancelSignal: signal, all: true, reject: false } as const;
  const isZip = /\.(whl|zip)$/.test(artifact.file);
  const result = isZip
    ? await execa('unzip', ['-q', '-o', archive, ...members.map((m) => `${m}*`), '-d', stage], options)
    : await execa('tar', ['-xzf', archive, '-C', stage, '--no-same-owner', '--', ...members], options);
  const tool = isZip ? 'unzip' : 'tar';
  const missing = missingProgram(result, tool, `Debian: apt-get install ${tool}`);
  if (missing) throw missing;
  if (result.exitCode !== 0) {
    throw new BenchError(`${tool} could not unpack ${members.join(', ')} from ${archive} (exit code ${result.exitCode}): ${String(result.all ?? '').trim().slice(-2000)}`);
  }
  for (const rule of artifact.unpack) {
    const src = path.join(stage, rule.from);
    if (!fs.existsSync(src)) throw new BenchError(`${artifact.file} has no '${rule.from}' (lock entry ${artifact.id}); fix its unpack rules`);
    const destDir = path.join(home, rule.to);
    if (fs.statSync(src).isDirectory()) mergeMove(src, destDir);
    else mergeMove(src, path.join(destDir, path.basename(src)));
  }
}

/** Hard-links where possible (homes and cache share the bytes), else copies. */
function placeFile(src: string, dest: string): void {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (fs.existsSync(dest)) throw new BenchError(`assembling a distribution: ${dest} would be written twice; two lock entries place the same file`);
  try {
    fs.linkSync(src, dest);
  } catch {
    fs.copyFileSync(src, dest);
  }
}

function makeScriptsExecutable(home: string): void {
  for (const dir of ['bin', 'sbin']) {
    const full = path.join(home, dir);
    if (!fs.existsSync(full)) continue;
    for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
      if (entry.isFile()) fs.chmodSync(path.join(full, entry.name), 0o755);
    }
  }
}

/** Assembles into `home` (an empty or absent directory); `cached` maps artifact id → cached file. */
export async function assembleHome(
  name: EngineDistributionName,
  entry: LockedDistribution,
  cached: ReadonlyMap<string, string>,
  home: string,
  options: { signal?: AbortSignal; onProgress?: (message: string) => void } = {},
): Promise<void> {
  fs.mkdirSync(home, { recursive: true });
  const stageRoot = `${home}.stage`;
  try {
    for (const [index, artifact] of entry.artifacts.entries()) {
      const file = cached.get(artifact.id);
      if (!file) throw new Error(`artifact ${artifact.id} was not made ready before assembly`);
      if (artifact.source === 'pypi') {
        options.onProgress?.(`${name}: unpacking ${artifact.file}`);
        await unpackArchive(file, artifact, home, path.join(stageRoot, String(index)), options.signal);
      } else {
        placeFile(file, path.join(home, artifact.into, artifact.file));
      }
    }
  } finally {
    fs.rmSync(stageRoot, { recursive: true, force: true });
  }
  for (const [relative, content] of Object.entries(generatedFiles(name))) {
    fs.mkdirSync(path.dirname(path.join(home, relative)), { recursive: true });
    fs.writeFileSync(path.join(home, relative), content);
  }
  makeScriptsExecutable(home);
  const missing = requiredFiles(name, entry).filter((relative) => !fs.existsSync(path.join(home, relative)));
  if (missing.length) throw new BenchError(`the assembled ${name} home ${home} lacks ${missing.join(', ')}; the lock's unpack rules or pins are wrong`);
}
