#!/usr/bin/env bash
# Builds kube-apiserver, etcd (and kube-controller-manager) from this Go module
# and caches the binaries by the hash of go.mod, go.sum and this script, so the
# cold build (10 to 25 minutes on 2 cores) happens once per machine.
#
# The cache lives outside the work tree (default ~/.cache/kates/cluster, or
# $KATES_CLUSTER_CACHE) because CI runs in a fresh clone of the repository on the
# same machine: a cache inside the clone would be rebuilt on every run.
# Prints the directory that holds the binaries as its last line.
set -euo pipefail
cd "$(dirname "$0")"
release=$(cat RELEASE)
key=$(cat go.mod go.sum build.sh | sha256sum | cut -c1-16)
root="${KATES_CLUSTER_CACHE:-${HOME}/.cache/kates/cluster}"
out="${root}/${release}-${key}"
commands=(kube-apiserver etcd kube-controller-manager)
if [ -f "${out}/.complete" ]; then
  echo "$out"
  exit 0
fi
mkdir -p "$out"
# One build at a time per cache: test runs started side by side (vitest in two terminals, CI
# beside a developer's run) wait for the first build instead of writing the same files at once.
exec 9>"${out}/.lock"
if ! flock -n 9; then
  echo "build.sh: another build of ${out} is running; waiting for it" >&2
  flock 9
fi
if [ -f "${out}/.complete" ]; then
  echo "$out"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: Go is not installed; the real API server is built from Go modules (see README)" >&2; exit 3; }
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${release} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$release" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=1970-01-01T00:00:00Z"
pkg_of() {
  case "$1" in
    kube-apiserver) echo k8s.io/kubernetes/cmd/kube-apiserver ;;
    kube-controller-manager) echo k8s.io/kubernetes/cmd/kube-controller-manager ;;
    etcd) echo go.etcd.io/etcd/server/v3 ;;
  esac
}
for cmd in "${commands[@]}"; do
  pkg=$(pkg_of "$cmd")
  total=$(go list -deps "$pkg" | wc -l)
  log="${out}/${cmd}.build.log"
  echo "build.sh: building ${cmd} ${release} (${total} packages; a cold build takes minutes, cached afterwards in ${out})" >&2
  start=$(date +%s)
  ( CGO_ENABLED=0 go build -v -trimpath -ldflags "$ldflags" -o "${out}/${cmd}.tmp" "$pkg" >"$log" 2>&1 ) &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 15
    done_n=$(wc -l <"$log" 2>/dev/null || echo 0)
    echo "build.sh: ${cmd}: ${done_n}/${total} packages compiled, $(( $(date +%s) - start ))s" >&2
  done
  if ! wait "$pid"; then
    echo "build.sh: building ${cmd} failed; last lines of ${log}:" >&2
    tail -20 "$log" >&2
    exit 1
  fi
  mv "${out}/${cmd}.tmp" "${out}/${cmd}"
  echo "build.sh: ${cmd} built in $(( $(date +%s) - start ))s, $(du -h "${out}/${cmd}" | cut -f1)" >&2
done
touch "${out}/.complete"
echo "$out"
