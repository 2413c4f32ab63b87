#!/usr/bin/env python3
"""Whole-process cost of one local lookup, side by side: getent as the floor, then each binary.

Usage: bench/startup.py [--runs N] BINARY [BINARY ...]

Each round runs `getent services ssh` and `BINARY servbyname ssh` for every binary once, in an
order that rotates from round to round, so a busy moment of the machine falls on all of them
alike. Prints the median and p90 wall time of each and its ratio to getent's median: compare two
builds of sockscope (before and after a change) in one run, never a lone time. Output goes to
/dev/null; nothing here touches the network.
"""

import argparse
import statistics
import subprocess
import time


def once(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    commands = [("getent services ssh", ["getent", "services", "ssh"])]
    for binary in args.binaries:
        commands.append((f"{binary} servbyname ssh", [binary, "servbyname", "ssh"]))
    times = {label: [] for label, _ in commands}
    for _ in range(10):  # warm the page cache
        for _, argv in commands:
            once(argv)
    for round_ in range(args.runs):
        shift = round_ % len(commands)
        for label, argv in commands[shift:] + commands[:shift]:
            times[label].append(once(argv))
    floor = statistics.median(times[commands[0][0]])
    print(f"{'command':<60} {'median ms':>10} {'p90 ms':>8} {'x getent':>9}")
    for label, _ in commands:
        samples = sorted(times[label])
        median = statistics.median(samples)
        p90 = samples[int(len(samples) * 0.9)]
        print(f"{label:<60} {median * 1000:>10.3f} {p90 * 1000:>8.3f} {median / floor:>9.2f}")


if __name__ == "__main__":
    main()
