#!/usr/bin/env bash
# Builds kubectl of the test cluster's release (k8s.io/kubernetes/cmd/kubectl at RELEASE), for
# the kubectl comparison of the fake and the real API server (src/kubectl/compare.ts).
# Cached like build.sh, outside the work tree (default ~/.cache/kates/kubectl, or
# $KATES_KUBECTL_CACHE), by the hash of go.mod, go.sum and this script.
#
# kubectl needs modules the API server does not (cli-runtime, kustomize, ...). They are resolved
# in a scratch module inside the cache, never in this folder: adding them to go.mod would change
# build.sh's cache key and rebuild kube-apiserver (10 to 25 minutes).
# Prints the path of the kubectl binary as its last line.
set -euo pipefail
cd "$(dirname "$0")"
release=$(cat RELEASE)
key=$(cat go.mod go.sum build-kubectl.sh | sha256sum | cut -c1-16)
root="${KATES_KUBECTL_CACHE:-${HOME}/.cache/kates/kubectl}"
out="${root}/${release}-${key}"
if [ -x "${out}/kubectl" ]; then
  echo "${out}/kubectl"
  exit 0
fi
mkdir -p "${out}/module"
exec 9>"${out}/.lock"
if ! flock -n 9; then
  echo "build-kubectl.sh: another build of ${out} is running; waiting for it" >&2
  flock 9
fi
if [ -x "${out}/kubectl" ]; then
  echo "${out}/kubectl"
  exit 0
fi
command -v go >/dev/null || { echo "build-kubectl.sh: Go is not installed; kubectl is built from Go modules (see README)" >&2; exit 3; }
sed 's#^module .*#module kates.local/kubectl-build#' go.mod >"${out}/module/go.mod"
cp go.sum "${out}/module/go.sum"
minor=$(echo "$release" | cut -d. -f2)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="${ldflags} -X ${pkg}.gitVersion=${release} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
done
log="${out}/kubectl.build.log"
echo "build-kubectl.sh: building kubectl ${release} (a cold build takes minutes, cached afterwards in ${out})" >&2
start=$(date +%s)
# -mod=mod adds the requirements kubectl needs beyond the API server's to the scratch go.mod.
if ! (cd "${out}/module" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$ldflags" -o "${out}/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl) >"$log" 2>&1; then
  echo "build-kubectl.sh: building kubectl failed; last lines of ${log}:" >&2
  tail -20 "$log" >&2
  exit 1
fi
mv "${out}/kubectl.tmp" "${out}/kubectl"
echo "build-kubectl.sh: kubectl built in $(( $(date +%s) - start ))s" >&2
echo "${out}/kubectl"
