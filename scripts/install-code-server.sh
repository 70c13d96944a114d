#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, runs on Node 20) into .vscode-test/ for the
# real-VS-Code tests and `npm run demo`, following /work/shared/vscode-e2e.md step by step.
# Cached and idempotent: a finished install leaves a marker and the next call returns at once.
# Works as root on a fresh Debian machine offline (npm registry only). Prints the install folder.
set -euo pipefail

VERSION=4.100.3
root=$(cd "$(dirname "$0")/.." && pwd)
dest="${X86DBG_CODE_SERVER_DIR:-$root/.vscode-test/code-server-$VERSION}"
marker="$dest/.x86dbg-installed"

if [ -f "$marker" ]; then
  echo "$dest"
  exit 0
fi

mkdir -p "$(dirname "$dest")"
exec 9>"$dest.lock"
flock 9
if [ -f "$marker" ]; then
  echo "$dest"
  exit 0
fi

# On a fresh Debian machine, as root, install the build dependencies first (CI's .ci/run does too).
missing=""
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v g++ >/dev/null 2>&1 || missing="$missing g++"
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/gssapi.h ] || missing="$missing libkrb5-dev"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-code-server: apt-get install$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
fi

need() { command -v "$1" >/dev/null 2>&1 || { echo "install-code-server: '$1' is missing ($2)" >&2; exit 1; }; }
need rg "apt-get install ripgrep"
need pkg-config "apt-get install pkg-config"
need make "apt-get install make"
need g++ "apt-get install g++"
[ -f /usr/include/gssapi/gssapi.h ] || [ -f /usr/include/gssapi.h ] || {
  echo "install-code-server: gssapi headers are missing (apt-get install libkrb5-dev)" >&2
  exit 1
}

log() { echo "install-code-server: $*" >&2; }
start=$(date +%s)
rm -rf "$dest"
mkdir -p "$dest"
cd "$dest"
printf '{ "name": "x86dbg-code-server", "private": true }\n' >package.json

# npm 11 dropped --unsafe-perm, kerberos needs gssapi headers and @vscode/ripgrep downloads from
# GitHub: so no install scripts, then rebuild the native modules one by one.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
log "npm install code-server@$VERSION"
npm install "code-server@$VERSION" --ignore-scripts --no-save >&2
npm rebuild argon2 >&2

vscode="$dest/node_modules/code-server/lib/vscode"
cd "$vscode"
log "installing VS Code's own modules"
npm install --omit=dev --ignore-scripts >&2
npm_config_yes=true npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid >&2
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
log "installing the built-in extensions' modules"
(cd extensions && npm install --omit=dev >&2)

touch "$marker"
log "done in $(($(date +%s) - start)) s"
echo "$dest"
