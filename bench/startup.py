#!/usr/bin/env python3
"""Whole-process cost of one local lookup, side by side with getent doing the same lookup.

Usage: bench/startup.py [--runs N] [--check] BINARY [BINARY ...]

Every round runs each pair -- `getent services ssh` and `BINARY servbyname ssh`, and so on for
each subcommand that has a getent counterpart -- once, in an order that rotates from round to
round, so a busy moment of the machine falls on all of them alike. Prints each command's median
and p90 wall time (spawn to exit), its ratio to its getent counterpart's median, and the same
ratio with /bin/true's median (the cost of spawning anything) taken off both. Pass two builds
of sockscope (before and after a change) to compare them in one run, never a lone time.

Every name and address here is in /etc/hosts, /etc/services or /etc/protocols, and the hosts
files backend comes first in nsswitch.conf, so nothing asks a nameserver (`strace -f -e
trace=connect,sendto` shows no packet to port 53). It runs outside an empty network namespace
because getent ahosts/ahostsv4 ask with AI_ADDRCONFIG, which fails with only a loopback
interface. Output goes to /dev/null. `--check` runs
each command once and exits: a quick test that the script and its commands still work.
"""

import argparse
import os
import statistics
import time

# (sockscope arguments, getent counterpart); None: compared with /bin/true only.
PAIRS = [
    (["servbyname", "ssh"], ["getent", "services", "ssh"]),
    (["servbyport", "22"], ["getent", "services", "22"]),
    (["protobyname", "tcp"], ["getent", "protocols", "tcp"]),
    (["protobynumber", "6"], ["getent", "protocols", "6"]),
    (["hostbyname", "localhost"], ["getent", "ahostsv4", "localhost"]),
    (["addrinfo", "localhost"], ["getent", "ahosts", "localhost"]),
    (["hostbyaddr", "127.0.0.1"], ["getent", "hosts", "127.0.0.1"]),
    (["servbyname", "ssh", "--json"], ["getent", "services", "ssh"]),
    (["--version"], None),
]
TRUE = ["/bin/true"]


def once(argv):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
    ])
    _, status = os.waitpid(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    commands = {" ".join(TRUE): TRUE}
    rows = []  # (label, reference label)
    for sub, getent in PAIRS:
        ref = " ".join(getent) if getent else " ".join(TRUE)
        if getent:
            commands[ref] = getent
        for binary in args.binaries:
            label = " ".join([binary, *sub])
            commands[label] = [binary, *sub]
            rows.append((label, ref))
    order = list(commands.items())
    if args.check:
        for _, argv in order:
            once(argv)
        print(f"ok: {len(order)} commands")
        return
    times = {label: [] for label, _ in order}
    for _ in range(5):  # warm the page cache
        for _, argv in order:
            once(argv)
    for round_ in range(args.runs):
        shift = round_ % len(order)
        for label, argv in order[shift:] + order[:shift]:
            times[label].append(once(argv))
    med = {label: statistics.median(t) for label, t in times.items()}
    spawn = med[" ".join(TRUE)]
    print(f"{args.runs} interleaved rounds; {os.cpu_count()} cores; "
          f"/bin/true (spawning alone) median {spawn * 1000:.3f} ms\n")
    print("| command | median ms | p90 ms | reference | x reference | x reference, spawn off |")
    print("|---|--:|--:|---|--:|--:|")
    for label, ref in rows:
        samples = sorted(times[label])
        p90 = samples[int(len(samples) * 0.9)]
        ratio = med[label] / med[ref]
        own = (med[label] - spawn) / (med[ref] - spawn) if ref != " ".join(TRUE) else float("nan")
        print(f"| `{label}` | {med[label] * 1000:.3f} | {p90 * 1000:.3f} | `{ref}` "
              f"({med[ref] * 1000:.3f}) | {ratio:.2f} | {own:.2f} |")


if __name__ == "__main__":
    main()
