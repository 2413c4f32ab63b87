#!/usr/bin/env bash
# Benchmark batch lookups: sockscope --jobs against getent loops, xargs -P and a Python
# thread pool, side by side inside the resolver lab, whose DNS server answers after a fixed delay.
#
# Not run in CI: it builds in release mode and loads the machine for a few minutes. Needs what
# the lab needs (root or user namespaces, unshare, ip, mount, hostname) plus getent, xargs and
# python3 and GNU time. Prints the Markdown tables of docs/benchmarks.md on stdout. About 7 minutes.
# Knobs (environment): BENCH_DELAY_MS=20 BENCH_SIZES=1000,10000 BENCH_JOBS=16,64,256
# BENCH_LOOP_MAX=1000 BENCH_REPEAT=3 BENCH_WAYS=sockscope,floor,xargs,python,loop
# (see bench/batch_driver.py). BENCH_PAIRED=1 runs bench/batch_cpu.py instead: sockscope's own
# CPU per name and its wall time over the floor's, each run paired with a floor run (default
# BENCH_REPEAT=9 rounds a cell).
# Start-up: bench/startup.py; serving: bench/serve.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in python3 getent xargs unshare; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench/batch.sh: please install $tool" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench/batch.sh: please install GNU time (/usr/bin/time)" >&2; exit 1; }
# The real interpreter, not a version manager's shim script, so its start-up is Python's own.
python=$(python3 -c 'import sys; print(sys.executable)')

# The lab's world runs this command with SOCKSCOPE set to the release binary.
export SOCKSCOPE_BENCH_DELAY_MS=${BENCH_DELAY_MS:-20}
driver=batch_driver.py
[ "${BENCH_PAIRED:-0}" = 1 ] && driver=batch_cpu.py
export SOCKSCOPE_BENCH_COMMAND="\"$python\" \"$PWD/bench/$driver\""
export SOCKSCOPE_LAB_REQUIRED=1
cargo build --release --quiet
# The floor: a bare C client doing nothing but the same getaddrinfo calls (bench/floor_client.c).
mkdir -p target/bench
if command -v cc >/dev/null 2>&1; then
  cc -O2 -pthread -o target/bench/floor_client bench/floor_client.c
  export SOCKSCOPE_BENCH_FLOOR="$PWD/target/bench/floor_client"
else
  echo "bench/batch.sh: no C compiler (cc), so no floor row" >&2
fi
# The driver's table comes out on stdout and its progress log on stderr (both once it is done:
# the lab captures them); the test harness's own lines are dropped.
cargo test --release --quiet --test lab -- --ignored --exact lab_bench --nocapture |
  { grep -v -e '^running 1 test$' -e '^test lab_bench' -e '^test result:' -e '^\.$' || true; }
