#!/usr/bin/env bash
# Benchmark `sockscope serve --echo` against socat and ncat, side by side, on loopback only.
#
# Not run in CI: it builds in release mode and loads the machine. Each server gets the same
# two phases from bench/load.py: many small connections (connections per second) and a few
# large transfers (bytes per second); every echo is checked byte for byte.
# Knobs (environment): SMALL_CONNS=2000 SMALL_CONC=50 SMALL_BYTES=64 BIG_CONNS=8 BIG_CONC=4
# BIG_BYTES=8388608 PHASE_TIMEOUT=120 SERVERS="sockscope socat".
#
# ncat can be added (SERVERS="sockscope socat ncat") but is not a fair echo reference: in
# `--exec /bin/cat` mode it closes as soon as the client half-closes, before cat's output is
# relayed, so most echoes come back empty (counted as mismatches), and 8 MiB transfers stall.
set -euo pipefail
cd "$(dirname "$0")/.."

SMALL_CONNS=${SMALL_CONNS:-2000}
SMALL_CONC=${SMALL_CONC:-50}
SMALL_BYTES=${SMALL_BYTES:-64}
BIG_CONNS=${BIG_CONNS:-8}
BIG_CONC=${BIG_CONC:-4}
BIG_BYTES=${BIG_BYTES:-8388608}
PHASE_TIMEOUT=${PHASE_TIMEOUT:-120}
SERVERS=${SERVERS:-sockscope socat}

need() { command -v "$1" >/dev/null 2>&1; }

# The reference peers come from Debian's packages; install them if this machine lacks them.
missing=()
need socat || missing+=(socat)
case " $SERVERS " in *" ncat "*) need ncat || missing+=(ncat) ;; esac
need python3 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && need apt-get; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench/serve.sh: please install: ${missing[*]}" >&2
    exit 1
  fi
fi

cargo build --release --quiet
BIN=target/release/sockscope
WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 100); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2).close()" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  echo "server on port $1 did not come up" >&2
  return 1
}

# start NAME: starts the server, sets SERVER_PID and PORT.
start() {
  case "$1" in
    sockscope)
      "$BIN" serve 127.0.0.1:0 --echo --format jsonl --max-conns 1000 --backlog 1024 \
        --max-bytes 1G > "$WORK/events" 2>"$WORK/stderr" &
      SERVER_PID=$!
      for _ in $(seq 100); do
        PORT=$(head -1 "$WORK/events" 2>/dev/null | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["port"])' 2>/dev/null) && break
        sleep 0.05
      done
      ;;
    socat)
      PORT=$(free_port)
      socat TCP-LISTEN:"$PORT",bind=127.0.0.1,reuseaddr,fork,backlog=1024 EXEC:cat 2>"$WORK/stderr" &
      SERVER_PID=$!
      ;;
    ncat)
      PORT=$(free_port)
      ncat -l 127.0.0.1 "$PORT" --keep-open --max-conns 1000 --exec /bin/cat 2>"$WORK/stderr" &
      SERVER_PID=$!
      ;;
  esac
  wait_port "$PORT"
}

stop() {
  # TERM, not INT: background jobs of a non-interactive shell start with SIGINT ignored, and
  # ncat keeps it that way.
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

phase() { # phase CONNS CONC BYTES -> JSON line from load.py (or a timeout marker)
  timeout "$PHASE_TIMEOUT" python3 bench/load.py 127.0.0.1 "$PORT" "$1" "$2" "$3" \
    || echo '{"connections": 0, "bytes": 0, "seconds": 0, "errors": -1, "mismatches": 0}'
}

echo "loopback echo benchmark: $SMALL_CONNS x ${SMALL_BYTES} B ($SMALL_CONC at once), then $BIG_CONNS x $BIG_BYTES B ($BIG_CONC at once); $(nproc) cores"
echo
printf '| %-9s | %9s | %12s | %6s | %10s |\n' server "conn/s" "MiB/s" errors mismatches
printf '|%s|%s|%s|%s|%s|\n' ----------- ----------- -------------- -------- ------------
for server in $SERVERS; do
  start "$server"
  small=$(phase "$SMALL_CONNS" "$SMALL_CONC" "$SMALL_BYTES")
  big=$(phase "$BIG_CONNS" "$BIG_CONC" "$BIG_BYTES")
  stop
  python3 - "$server" "$small" "$big" <<'PY'
import json, sys
name, small, big = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
cps = small["connections"] / small["seconds"] if small["seconds"] else 0
mibs = big["bytes"] / big["seconds"] / 2**20 if big["seconds"] else 0
errors = "timeout" if -1 in (small["errors"], big["errors"]) else small["errors"] + big["errors"]
print("| %-9s | %9.0f | %12.1f | %6s | %10d |" % (name, cps, mibs, errors, small["mismatches"] + big["mismatches"]))
PY
done
