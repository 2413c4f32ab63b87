#!/usr/bin/env bash
# Benchmark `sockscope serve --echo` against socat and ncat, side by side, on loopback only.
#
# Not run in CI: it builds in release mode and loads the machine. Each server gets the same
# two phases from bench/load.py at each number of concurrent clients: many small connections
# (connections per second), then BIG_TOTAL bytes in large transfers, as many at once as there
# are clients (bytes per second): at 1 client 8 transfers of 8 MiB one after another, at 300
# clients 300 transfers of 218 KiB all at once. Every echo is checked byte for byte.
# Knobs (environment): CONCS="1 50 300" (concurrent clients) ROUNDS=3 SMALL_CONNS=2000
# SMALL_BYTES=64 BIG_TOTAL=67108864 BIG_CONNS=8 (transfers at least; as many as clients when
# there are more) PHASE_TIMEOUT=120 SERVERS="sockscope socat" SOCKSCOPE_BIN=(a fresh release
# build).
#
# ncat can be added (SERVERS="sockscope socat ncat") but is not a fair echo reference: in
# `--exec /bin/cat` mode it closes as soon as the client half-closes, before cat's output is
# relayed, so most echoes come back empty (counted as mismatches), and 8 MiB transfers stall.
set -euo pipefail
cd "$(dirname "$0")/.."

SMALL_CONNS=${SMALL_CONNS:-2000}
SMALL_BYTES=${SMALL_BYTES:-64}
BIG_TOTAL=${BIG_TOTAL:-67108864}
BIG_CONNS=${BIG_CONNS:-8}
PHASE_TIMEOUT=${PHASE_TIMEOUT:-120}
CONCS=${CONCS:-1 50 300}
ROUNDS=${ROUNDS:-3}
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

# SOCKSCOPE_BIN: a build to measure as it is (say, one from before a change); else a fresh
# release build.
BIN=${SOCKSCOPE_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/sockscope
fi
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

# Each concurrency level runs every server in turn (so a busy moment of the machine falls on
# all alike), ROUNDS times over, in an order that rotates; the table gives each server's median
# and its ratio to socat's median from the same run.
echo "loopback echo benchmark: $SMALL_CONNS x ${SMALL_BYTES} B, then $BIG_TOTAL B in at least $BIG_CONNS transfers, one a client; clients $CONCS; median of $ROUNDS; $(nproc) cores"
echo
RESULTS="$WORK/results"
: > "$RESULTS"
servers=($SERVERS)
for conc in $CONCS; do
  for round in $(seq "$ROUNDS"); do
    n=${#servers[@]}
    for i in $(seq 0 $((n - 1))); do
      server=${servers[$(((i + round) % n))]}
      start "$server"
      small=$(phase "$SMALL_CONNS" "$conc" "$SMALL_BYTES")
      big_conns=$(( conc > BIG_CONNS ? conc : BIG_CONNS ))
      big=$(phase "$big_conns" "$conc" "$(( BIG_TOTAL / big_conns ))")
      stop
      printf '%s\t%s\t%s\t%s\n' "$conc" "$server" "$small" "$big" >> "$RESULTS"
    done
  done
done
python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    conc, name, small, big = line.rstrip("\n").split("\t")
    small, big = json.loads(small), json.loads(big)
    cps = small["connections"] / small["seconds"] if small["seconds"] else 0
    mibs = big["bytes"] / big["seconds"] / 2**20 if big["seconds"] else 0
    bad = (-1 in (small["errors"], big["errors"])) + small["errors"] + big["errors"] \
        + small["mismatches"] + big["mismatches"]
    r = rows.setdefault((int(conc), name), {"cps": [], "mibs": [], "bad": 0})
    r["cps"].append(cps)
    r["mibs"].append(mibs)
    r["bad"] += bad
print("| clients | server | conn/s | x socat | MiB/s | x socat | errors+mismatches |")
print("|--:|---|--:|--:|--:|--:|--:|")
for (conc, name), r in sorted(rows.items()):
    cps, mibs = statistics.median(r["cps"]), statistics.median(r["mibs"])
    ref = rows.get((conc, "socat"))
    rc = cps / statistics.median(ref["cps"]) if ref and statistics.median(ref["cps"]) else 0
    rm = mibs / statistics.median(ref["mibs"]) if ref and statistics.median(ref["mibs"]) else 0
    print(f"| {conc} | {name} | {cps:.0f} | {rc:.2f} | {mibs:.1f} | {rm:.2f} | {r['bad']} |")
PY
