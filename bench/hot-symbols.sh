#!/usr/bin/env bash
# The functions a batch answer and a one-lookup run execute, for build/hot-symbols.txt: the
# linker lays them out first and together in a release build (build/order.rs), so that the ~40
# functions of an answer share a few pages instead of being spread over the 4 MB of code.
#
# Usage: bench/hot-symbols.sh          write build/hot-symbols.txt from target/release/sockscope
#        bench/hot-symbols.sh --check  report how well that binary follows the list
#
# Made with valgrind's callgrind, which names every function run (mangled, as the linker knows
# them): `hostbyname` and `addrinfo` batches over N and then 2N copies of `localhost` (in
# /etc/hosts: nothing asks a nameserver), and `servbyname ssh`. A function whose instructions
# grow with the names runs per answer: those come first, most instructions per name first,
# then the rest of what the runs executed (start-up). Run it again after a change to the code
# on those paths: a renamed function is only missing from the list, which costs speed, never
# correctness. Needs valgrind. Knob: N=200.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-200}
LIST=build/hot-symbols.txt
command -v valgrind >/dev/null || { echo "bench/hot-symbols.sh: please install valgrind" >&2; exit 1; }
cargo build --release --locked --quiet
BIN=target/release/sockscope
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) print "localhost" }' > "$WORK/names"
cat "$WORK/names" "$WORK/names" > "$WORK/names2"

# run NAME ARGV... < stdin: callgrind's per-function instruction counts, "COUNT SYMBOL" lines
# for the named functions in sockscope's own binary.
run() {
  local name=$1
  shift
  valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/$name.cg" "$@" \
    >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err" >&2; exit 1; }
  callgrind_annotate --threshold=100 "$WORK/$name.cg" |
    sed -nE 's/^ *([0-9,]+) .*\?\?\?:([^ ]+) \[.*\/sockscope\]$/\1 \2/p' | tr -d , |
    grep -v ' 0x' > "$WORK/$name.txt" || true # code without a symbol has no name to list
}
for call in hostbyname addrinfo; do
  run "$call" "$BIN" "$call" - --jobs 16 --format jsonl < "$WORK/names"
  run "$call.2" "$BIN" "$call" - --jobs 16 --format jsonl < "$WORK/names2"
done
run servbyname "$BIN" servbyname ssh < /dev/null

# The functions run per answer, "INSTRUCTIONS_PER_NAME SYMBOL": what N more names added.
for call in hostbyname addrinfo; do
  awk -v n="$N" 'NR == FNR { once[$2] = $1; next }
    ($1 - once[$2]) * 2 >= n { printf "%d %s\n", ($1 - once[$2]) / n, $2 }' \
    "$WORK/$call.txt" "$WORK/$call.2.txt"
done > "$WORK/per-name.txt"

if [ "${1:-}" = --check ]; then
  # Where the functions the binary runs per answer lie: on how many pages, over what span.
  python3 - "$BIN" "$WORK" <<'PY'
import subprocess, sys
binary, work = sys.argv[1], sys.argv[2]
addresses = {}
for line in subprocess.run(["nm", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tT":
        addresses.setdefault(parts[2], int(parts[0], 16))
hot = {line.split()[1] for line in open(f"{work}/per-name.txt")}
placed = sorted(addresses[s] for s in hot if s in addresses)
pages = len({a >> 12 for a in placed})
print(f"functions run per answer: {len(hot)}, found: {len(placed)}, "
      f"starting on {pages} pages of 4 KiB, spanning {(placed[-1] - placed[0]) // 1024} KiB")
PY
  exit 0
fi

{
  echo "# Written by bench/hot-symbols.sh: sockscope's functions in the order the linker lays"
  echo "# them out (build/order.rs), those a batch answer runs first. Do not edit by hand."
  python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
order = {}
for line in open(f"{work}/per-name.txt"):
    per_name, symbol = line.split()
    order[symbol] = min(order.get(symbol, (0, 0)), (0, -int(per_name)))
for name in ("hostbyname", "addrinfo", "servbyname"):
    for line in open(f"{work}/{name}.txt"):
        count, symbol = line.split()
        order.setdefault(symbol, (1, -int(count)))
        order[symbol] = min(order[symbol], (1, -int(count)))
for symbol in sorted(order, key=lambda s: (order[s], s)):
    print(symbol)
PY
} > "$LIST"
echo "bench/hot-symbols.sh: $(grep -vc '^#' "$LIST") functions in $LIST"
