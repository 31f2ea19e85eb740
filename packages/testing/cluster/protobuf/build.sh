#!/usr/bin/env bash
# Builds kates-protobuf (this folder): the fake API server's protobuf codec and the client-go
# test program, from the Kubernetes release's Go modules (k8s.io/apimachinery, k8s.io/api,
# k8s.io/client-go at the test cluster's RELEASE).
# Cached like ../build-kubectl.sh, outside the work tree (default ~/.cache/kates/protobuf, or
# $KATES_PROTOBUF_CACHE), by the hash of ../go.mod, ../go.sum, this folder's Go files and this
# script. It is built in a scratch module inside the cache, pinned by ../go.mod and ../go.sum,
# never in ../: a change there would change ../build.sh's cache key and rebuild kube-apiserver.
#
#   build.sh           builds if needed; prints the binary's path as its last line
#   build.sh --cached  builds nothing; prints the path if it is built, else exits 4
#
# Exits 3 where Go is not installed.
set -euo pipefail
cd "$(dirname "$0")"
release=$(cat ../RELEASE)
key=$(cat ../go.mod ../go.sum ./*.go build.sh | sha256sum | cut -c1-16)
root="${KATES_PROTOBUF_CACHE:-${HOME}/.cache/kates/protobuf}"
out="${root}/${release}-${key}"
if [ -x "${out}/kates-protobuf" ]; then
  echo "${out}/kates-protobuf"
  exit 0
fi
if [ "${1:-}" = "--cached" ]; then
  exit 4
fi
mkdir -p "${out}/module"
exec 9>"${out}/.lock"
if ! flock -n 9; then
  echo "build.sh: another build of ${out} is running; waiting for it" >&2
  flock 9
fi
if [ -x "${out}/kates-protobuf" ]; then
  echo "${out}/kates-protobuf"
  exit 0
fi
command -v go >/dev/null || { echo "protobuf/build.sh: Go is not installed; the protobuf codec is built from Go modules (see README)" >&2; exit 3; }
sed 's#^module .*#module kates.local/protobuf#' ../go.mod >"${out}/module/go.mod"
cp ../go.sum "${out}/module/go.sum"
rm -f "${out}/module/"*.go
cp ./*.go "${out}/module/"
log="${out}/kates-protobuf.build.log"
echo "protobuf/build.sh: building kates-protobuf for ${release} (a cold build takes minutes, cached afterwards in ${out})" >&2
start=$(date +%s)
# The flags of build-kubectl.sh, so the packages kubectl's build compiled are reused from Go's cache.
if ! (cd "${out}/module" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "-s -w" -o "${out}/kates-protobuf.tmp" .) >"$log" 2>&1; then
  echo "protobuf/build.sh: building kates-protobuf failed; last lines of ${log}:" >&2
  tail -20 "$log" >&2
  exit 1
fi
mv "${out}/kates-protobuf.tmp" "${out}/kates-protobuf"
echo "protobuf/build.sh: kates-protobuf built in $(( $(date +%s) - start ))s" >&2
echo "${out}/kates-protobuf"
