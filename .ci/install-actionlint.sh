#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter the test suite runs on
# .github/workflows/nightly.yml) from source through the Go module proxy into the user cache
# dir; skips when the pinned build is there. Pinned version: harness/ci/actionlint.version.
# It also needs the Debian package shellcheck on PATH: actionlint runs it on `run:` blocks.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(tr -d '[:space:]' < harness/ci/actionlint.version)
cache="${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spark-flink-bench}"
bin="$cache/bin"
if [ -x "$bin/actionlint" ] && [ "$(cat "$bin/actionlint.version" 2>/dev/null)" = "$version" ]; then
  echo "actionlint $version already built: $bin/actionlint"
  exit 0
fi
command -v go >/dev/null || { echo "install-actionlint: 'go' not found; install Go (the Go module proxy must be reachable)" >&2; exit 1; }
mkdir -p "$bin"
started=$(date +%s)
echo "building actionlint $version with $(go env GOVERSION) into $bin"
GOBIN="$bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
echo "$version" > "$bin/actionlint.version"
echo "actionlint built in $(( $(date +%s) - started )) s: $bin/actionlint"
