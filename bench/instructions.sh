#!/usr/bin/env bash
# Instructions, not seconds: valgrind's callgrind counts every instruction a run executes, the
# same on a busy machine as on a quiet one, so a change's effect shows without timing noise.
#
# Usage: bench/instructions.sh BINARY [BINARY ...]   (say, a build from before a change and one
# from after). Prints, for each binary beside its floor:
#   - one lookup: `BINARY servbyname ssh` against `getent services ssh`;
#   - per name of a batch: `BINARY hostbyname - --jobs 16 --format jsonl` and `BINARY addrinfo -
#     ...` over N copies of `localhost` (in /etc/hosts: nothing asks a nameserver), against
#     bench/floor_client.c making the same getaddrinfo calls (AF_INET and AF_UNSPEC); "own" is
#     (BINARY's instructions - the floor's) / N: what sockscope adds per name.
# Needs valgrind and cc. Knob: N=1000.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-1000}
command -v valgrind >/dev/null || { echo "bench/instructions.sh: please install valgrind" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -pthread -o "$WORK/floor" bench/floor_client.c
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) print "localhost" }' > "$WORK/names"

count() { # count ARGV... < stdin -> instructions of the whole run
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' | tail -1
}

getent_ir=$(count getent services ssh < /dev/null)
floor_inet=$(count "$WORK/floor" "$WORK/names" 16 127.0.0.1 inet < /dev/null)
floor_unspec=$(count "$WORK/floor" "$WORK/names" 16 127.0.0.1 unspec < /dev/null)
echo "| run | instructions | floor | x floor | own per name |"
echo "|---|--:|--:|--:|--:|"
echo "| getent services ssh | $getent_ir | | | |"
echo "| floor AF_INET, $N names | $floor_inet | | | |"
echo "| floor AF_UNSPEC, $N names | $floor_unspec | | | |"
for bin in "$@"; do
  one=$(count "$bin" servbyname ssh < /dev/null)
  inet=$(count "$bin" hostbyname - --jobs 16 --format jsonl < "$WORK/names")
  unspec=$(count "$bin" addrinfo - --jobs 16 --format jsonl < "$WORK/names")
  python3 - "$bin" "$N" "$getent_ir" "$one" "$floor_inet" "$inet" "$floor_unspec" "$unspec" <<'PY'
import sys
bin_, n, getent, one, f_inet, inet, f_unspec, unspec = sys.argv[1], *map(int, sys.argv[2:])
print(f"| `{bin_} servbyname ssh` | {one} | {getent} (getent) | {one / getent:.2f} | |")
print(f"| `{bin_} hostbyname`, {n} names | {inet} | {f_inet} | {inet / f_inet:.2f} | {(inet - f_inet) / n:.0f} |")
print(f"| `{bin_} addrinfo`, {n} names | {unspec} | {f_unspec} | {unspec / f_unspec:.2f} | {(unspec - f_unspec) / n:.0f} |")
PY
done
