#!/usr/bin/env bash
# Builds etcd-seed (writes objects straight into kube-apiserver's etcd; see main.go) and caches the
# binary by the hash of its sources (default ~/.cache/kates/bench, or $KATES_BENCH_CACHE); a cold
# build takes some 20 s on 2 cores with the module cache warm. Prints the binary's path as its last
# line; on failure, the build's own error lines on stderr and exit 1.
set -euo pipefail
cd "$(dirname "$0")"
key=$(cat go.mod go.sum main.go build.sh | sha256sum | cut -c1-16)
root="${KATES_BENCH_CACHE:-${HOME}/.cache/kates/bench}"
out="${root}/etcd-seed-${key}"
if [ -x "${out}/etcd-seed" ]; then
  echo "${out}/etcd-seed"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed; etcd-seed is built from the Go module proxy" >&2; exit 3; }
mkdir -p "$out"
log="${out}/build.log"
start=$(date +%s)
echo "build.sh: building etcd-seed, cached in ${out}" >&2
if ! CGO_ENABLED=0 go build -trimpath -o "${out}/etcd-seed.tmp" . >"$log" 2>&1; then
  echo "build.sh: go build failed; last lines of ${log}:" >&2
  tail -30 "$log" >&2
  exit 1
fi
mv "${out}/etcd-seed.tmp" "${out}/etcd-seed"
echo "build.sh: built in $(( $(date +%s) - start ))s" >&2
echo "${out}/etcd-seed"
