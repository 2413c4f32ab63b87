"""sockscope's own CPU per name, measured in pairs against the floor inside the resolver lab.

Run by bench/batch.sh with BENCH_PAIRED=1 (the lab's world runs it with SOCKSCOPE set to the
release binary). For every N x J cell and for `hostbyname` (against the floor's AF_INET calls)
and `addrinfo` (AF_UNSPEC), each round runs the floor and sockscope back to back, in turns
first, over the same N names, and takes each one's CPU (user + system, from wait4). The figure
is the median of the rounds' differences: a busy moment of the shared machine lands on both
runs of a round, so it moves the difference far less than it moves either run, which the
medians of bench/batch_driver.py's separate runs suffer from. Wall time is paired the same
way: the last column is the median of the rounds' ratios (sockscope's wall time over the
floor's, each from the start of the process to wait4's return). Prints a Markdown table.

Knobs (environment): BENCH_SIZES=1000,10000 BENCH_JOBS=16,64,256 BENCH_REPEAT=9
SOCKSCOPE_BENCH_BIN (another build), SOCKSCOPE_BENCH_FLOOR (the floor client, required).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

SOCKSCOPE = os.environ.get("SOCKSCOPE_BENCH_BIN") or os.environ["SOCKSCOPE"]
FLOOR = os.environ["SOCKSCOPE_BENCH_FLOOR"]
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
JOBS = [int(j) for j in os.environ.get("BENCH_JOBS", "16,64,256").split(",")]
REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))
ADDRESS = "192.0.2.1"  # what the lab's server answers for every name
CALLS = (("hostbyname", "inet"), ("addrinfo", "unspec"))


def run_ms(argv, names):
    """One run's CPU and wall time in milliseconds; its output is checked to be there and
    dropped."""
    with open(names) as keys, tempfile.TemporaryFile() as out:
        started = time.monotonic()
        child = subprocess.Popen(argv, stdin=keys, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = (time.monotonic() - started) * 1000
        out.seek(0)
        if status != 0 or not out.read(1):
            sys.exit(f"batch_cpu: {' '.join(argv)} failed (status {status})")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall


def main():
    print(
        "| N | J | call | floor CPU ms | sockscope CPU ms | CPU x floor | own CPU µs/name "
        "| wall x floor |"
    )
    print("|--:|--:|---|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            names = os.path.join(tmp, f"names{n}")
            with open(names, "w") as f:
                f.writelines(f"n{i}.bench.test\n" for i in range(n))
            for jobs in JOBS:
                for call, family in CALLS:
                    floor = [FLOOR, names, str(jobs), ADDRESS, family]
                    ours = [SOCKSCOPE, call, "-", "--jobs", str(jobs), "--format", "jsonl"]
                    floors, own, diffs, walls = [], [], [], []
                    for round_ in range(REPEAT):
                        if round_ % 2:
                            mine = run_ms(ours, names)
                            base = run_ms(floor, names)
                        else:
                            base = run_ms(floor, names)
                            mine = run_ms(ours, names)
                        floors.append(base[0])
                        own.append(mine[0])
                        diffs.append(mine[0] - base[0])
                        walls.append(mine[1] / base[1])
                    base, mine = statistics.median(floors), statistics.median(own)
                    per_name = statistics.median(diffs) * 1000 / n
                    print(
                        f"| {n} | {jobs} | {call} | {base:.1f} | {mine:.1f} | "
                        f"{mine / base:.2f} | {per_name:.1f} | {statistics.median(walls):.3f} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
