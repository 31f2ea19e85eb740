#!/usr/bin/env bash
# Builds the Go kates peer (kates-bench) and caches the binary by the hash of its sources, so the
# cold build (minutes on 2 cores: it compiles client-go and parts of k8s.io/kubernetes) happens
# once per machine. The cache lives outside the work tree (default ~/.cache/kates/bench, or
# $KATES_BENCH_CACHE). Prints the binary's path as its last line; on failure, the build's own
# error lines on stderr and exit 1.
set -euo pipefail
cd "$(dirname "$0")"
key=$(cat go.mod go.sum main.go build.sh | sha256sum | cut -c1-16)
root="${KATES_BENCH_CACHE:-${HOME}/.cache/kates/bench}"
out="${root}/go-kates-$(cat RELEASE)-${key}"
if [ -x "${out}/kates-bench" ]; then
  echo "${out}/kates-bench"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed; the Go kates peer is built from the Go module proxy" >&2; exit 3; }
mkdir -p "$out"
log="${out}/build.log"
start=$(date +%s)
echo "build.sh: building the Go kates peer (emissary $(cat RELEASE)); a cold build takes minutes, cached in ${out}" >&2
if ! CGO_ENABLED=0 go build -trimpath -o "${out}/kates-bench.tmp" . >"$log" 2>&1; then
  echo "build.sh: go build failed; last lines of ${log}:" >&2
  tail -30 "$log" >&2
  exit 1
fi
mv "${out}/kates-bench.tmp" "${out}/kates-bench"
echo "build.sh: built in $(( $(date +%s) - start ))s" >&2
echo "${out}/kates-bench"
