#!/usr/bin/env bash
# Installs the standalone Redux DevTools server (@redux-devtools/cli) OUTSIDE the repository, for
# the test of remoteDevTools() (devtools.e2e.test.ts), and prints the path of its launcher.
#
#   bash packages/core/src/timetravel/devtools-server.sh          # install if missing, print the path
#   node "$(bash packages/core/src/timetravel/devtools-server.sh)" --port 8000   # run it
#
# It lives in its own folder because it brings ~650 packages (express, socketcluster-server, knex,
# sqlite3, and an Electron app whose binary download is skipped) that the project does not ship.
# Idempotent: a second run only prints the path. The vitest global setup of the integration
# project (packages/testing/src/vitest/devtools-setup.ts) runs it before the tests.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
VERSION="${KATES_REDUX_DEVTOOLS_VERSION:-5.0.0}"
DIR="${KATES_REDUX_DEVTOOLS_DIR:-$HOME/.cache/kates/redux-devtools-cli-$VERSION}"
BIN="$DIR/node_modules/@redux-devtools/cli/bin/redux-devtools.js"
if [[ ! -f "$BIN" || ! -f "$DIR/.installed" ]]; then
  mkdir -p "$DIR"
  cd "$DIR"
  [[ -f package.json ]] || echo '{"name":"kates-redux-devtools-server","private":true}' > package.json
  # sqlite3 (of knex) has no prebuilt binary reachable here and compiles (python3, make, g++;
  # about 3 minutes). node-gyp would download the running Node's headers: use those that the
  # npm package `node` (which pins the project's Node) ships, when present.
  headers=$(ls -d "$ROOT"/node_modules/node/node_modules/node-linux-*/include/node 2>/dev/null | head -1 || true)
  if [[ -n "$headers" && -z "${npm_config_nodedir:-}" ]]; then
    export npm_config_nodedir="${headers%/include/node}"
  fi
  # The Electron app of the package is not needed for the server: skip its binary download.
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm install --no-save --no-audit --no-fund --loglevel=error \
    "@redux-devtools/cli@$VERSION" >&2
  [[ -f "$BIN" ]] || { echo "devtools-server.sh: installing @redux-devtools/cli@$VERSION did not produce $BIN" >&2; exit 1; }
  touch .installed
fi
echo "$BIN"
