#!/usr/bin/env bash
# Builds MinIO (the S3-compatible server the publish/compare tests run against) from source
# through the Go module proxy into the user cache dir; skips when the pinned build is there.
# Pinned version: harness/objectstore/minio.version (a Go pseudo-version of github.com/minio/minio;
# the project publishes no semver tags). Needs Go ≥ 1.24. About 3 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(tr -d '[:space:]' < harness/objectstore/minio.version)
cache="${BENCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/spark-flink-bench}"
bin="$cache/bin"
if [ -x "$bin/minio" ] && [ "$(cat "$bin/minio.version" 2>/dev/null)" = "$version" ]; then
  echo "minio $version already built: $bin/minio"
  exit 0
fi
command -v go >/dev/null || { echo "install-minio: 'go' not found; install Go ≥ 1.24 (the Go module proxy must be reachable)" >&2; exit 1; }
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[ "$go_minor" -ge 24 ] || { echo "install-minio: $(go env GOVERSION) is too old; MinIO needs Go ≥ 1.24" >&2; exit 1; }
mkdir -p "$bin"
started=$(date +%s)
echo "building minio $version with $(go env GOVERSION) into $bin"
GOBIN="$bin" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/minio/minio@$version"
echo "$version" > "$bin/minio.version"
echo "minio built in $(( $(date +%s) - started )) s: $bin/minio"
