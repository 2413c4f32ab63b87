#!/usr/bin/env python3
"""Batch-lookup benchmark driver, run by bench/batch.sh inside the resolver lab.

The lab's DNS server answers every name with A 192.0.2.1 (AAAA: no data) after DELAY ms.
Each way of resolving N names runs as its own process, timed from spawn to exit, with its peak
RSS from wait4; every way's output is checked for an answer to every name. Prints a Markdown
table on stdout and progress on stderr. Standard library only.

Environment: SOCKSCOPE (the binary), SOCKSCOPE_BENCH_FLOOR (bench/floor_client.c, built; the
floor row is left out without it), BENCH_DELAY_MS=20, BENCH_SIZES=1000,10000,
BENCH_JOBS=16,64,256, BENCH_LOOP_MAX=1000 (the sequential shell loop and sockscope -j1 only up
to this N), BENCH_REPEAT=3 (median of), BENCH_WAYS=sockscope,floor,xargs,python,loop (which
ways to run). Start-up cost is bench/startup.py's, outside the lab.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

# SOCKSCOPE_BENCH_BIN: another build to measure (say, one from before a change); else the
# release binary the lab was built with.
SOCKSCOPE = os.environ.get("SOCKSCOPE_BENCH_BIN") or os.environ["SOCKSCOPE"]
FLOOR = os.environ.get("SOCKSCOPE_BENCH_FLOOR")
# What the lab server was told (bench/batch.sh sets it from BENCH_DELAY_MS).
DELAY_MS = int(os.environ.get("SOCKSCOPE_BENCH_DELAY_MS", os.environ.get("BENCH_DELAY_MS", "20")))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
JOBS = [int(j) for j in os.environ.get("BENCH_JOBS", "16,64,256").split(",")]
LOOP_MAX = int(os.environ.get("BENCH_LOOP_MAX", "1000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
WAYS = os.environ.get("BENCH_WAYS", "sockscope,floor,xargs,python,loop").split(",")
PYTHON = sys.executable  # the interpreter itself, not a pyenv shim script in front of it
ADDRESS = "192.0.2.1"

POOL = """
import socket, sys
from concurrent.futures import ThreadPoolExecutor
def one(name):
    try:
        return name if any(ai[4][0] == "%s" for ai in socket.getaddrinfo(name, None)) else None
    except OSError:
        return None
names = [line.strip() for line in open(sys.argv[1]) if line.strip()]
with ThreadPoolExecutor(int(sys.argv[2])) as pool:
    for name in pool.map(one, names):
        if name:
            print(name)
""" % ADDRESS


def log(text):
    print(text, file=sys.stderr, flush=True)


def measure(argv, stdin_path=None):
    """Run argv; (wall seconds, peak RSS in KiB of its largest process, CPU seconds (user +
    system, with every child it waited for), stdout, exit, stderr).

    GNU time measures the peak RSS: it is the one that forks the command, so the number is the
    command's own. (A child forked from this Python process would inherit its high-water mark,
    which exec does not reset.) The CPU time comes from wait4 on time itself, in microseconds
    (time's own %U and %S have 10 ms steps); it includes time's own few hundred microseconds,
    which every way pays alike. The wall time is taken here, so it includes time's own spawn.
    """
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    with open("bench-out.txt", "wb") as out, open("bench-err.txt", "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(["/usr/bin/time", "-o", "bench-rss.txt", "-f", "%M", *argv],
                                stdin=stdin, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()
    with open("bench-out.txt", encoding="utf-8", errors="replace") as f:
        text = f.read()
    with open("bench-err.txt", encoding="utf-8", errors="replace") as f:
        errors = f.read()
    with open("bench-rss.txt") as f:
        # The last line: time writes "Command exited with non-zero status" above it.
        rss = f.read().splitlines()[-1].strip()
    cpu = usage.ru_utime + usage.ru_stime
    return wall, int(rss), cpu, text, proc.returncode, errors


def answered_jsonl(text):
    names = set()
    for line in text.splitlines():
        record = json.loads(line)
        if record.get("address") == ADDRESS:
            names.add(record["query"])
    return len(names)


def answered_getent(text):
    return len({line.split()[1] for line in text.splitlines() if line.startswith(ADDRESS)})


def answered_lines(text):
    return len(set(text.split()))


def ways(n, jobs, names):
    """(label, argv, stdin file, counter, floor label) for every way at this concurrency, the
    ones BENCH_WAYS names; a sockscope row is compared with the floor making its call."""
    addrinfo_floor = "floor: C threads + getaddrinfo AF_UNSPEC"
    inet_floor = "floor: C threads + getaddrinfo AF_INET"
    out = [
        (
            "sockscope addrinfo",
            [SOCKSCOPE, "addrinfo", "-", "--jobs", str(jobs), "--format", "jsonl", "--stats"],
            names,
            answered_jsonl,
            addrinfo_floor,
        ),
        (
            "sockscope hostbyname",
            [SOCKSCOPE, "hostbyname", "-", "--jobs", str(jobs), "--format", "jsonl"],
            names,
            answered_jsonl,
            inet_floor,
        ),
        (
            "xargs -P getent hosts",
            ["xargs", "-P", str(jobs), "-n", "1", "getent", "hosts"],
            names,
            answered_getent,
            None,
        ),
        ("python ThreadPoolExecutor", [PYTHON, "-c", POOL, names, str(jobs)], None,
         answered_lines, addrinfo_floor),
    ]
    if FLOOR:
        out.append((addrinfo_floor, [FLOOR, names, str(jobs), ADDRESS, "unspec"], None,
                    answered_lines, None))
        out.append((inet_floor, [FLOOR, names, str(jobs), ADDRESS, "inet"], None,
                    answered_lines, None))
    if jobs == 1:
        loop = 'while read -r n; do getent hosts "$n"; done'
        out = [out[0], ("sh loop getent hosts", ["sh", "-c", loop], names, answered_getent, None)]
    keep = {
        "sockscope": lambda label: label.startswith("sockscope"),
        "floor": lambda label: label.startswith("floor"),
        "xargs": lambda label: label.startswith("xargs"),
        "python": lambda label: label.startswith("python"),
        "loop": lambda label: label.startswith("sh loop"),
    }
    return [w for w in out if any(keep[k](w[0]) for k in WAYS if k in keep)]


def stats_latency(err):
    match = re.search(r"latency p50 ([\d.]+) ms, p95 ([\d.]+) ms", err)
    return f"{match.group(1)}/{match.group(2)}" if match else ""


def batch_rows():
    """Every way at every size and concurrency. The repeats are interleaved (way A, way B, ...,
    then again), so a busy moment of the machine falls on all ways alike; each row is the median
    run, with its ratios to the floor's median run from the same cell."""
    rows = []
    for n in SIZES:
        names = f"names-{n}.txt"
        with open(names, "w") as f:
            f.writelines(f"n{i}.bench.test\n" for i in range(n))
        jobs_list = ([1] if n <= LOOP_MAX else []) + JOBS
        for jobs in jobs_list:
            bound = n * DELAY_MS / 1000 / jobs
            repeat = 1 if jobs == 1 else REPEAT
            cell = ways(n, jobs, names)
            runs = {label: [] for label, *_ in cell}
            for _ in range(repeat):
                for label, argv, stdin, count, _ in cell:
                    wall, rss, cpu, text, code, err = measure(argv, stdin)
                    runs[label].append((wall, rss, cpu, count(text), code, err))
            medians = {}
            for label, *_ in cell:
                these = sorted(runs[label], key=lambda r: r[0])
                wall = these[len(these) // 2][0]
                cpu = statistics.median(r[2] for r in these)
                medians[label] = (wall, cpu)
            for label, _, _, _, floor in cell:
                these = sorted(runs[label], key=lambda r: r[0])
                wall, _, _, _, code, err = these[len(these) // 2]
                cpu = medians[label][1]
                rss = max(r[1] for r in these)
                got = min(r[3] for r in these)
                log(f"N={n} J={jobs} {label}: {wall:.3f} s "
                    f"({', '.join(f'{r[0]:.3f}' for r in these)}) cpu {cpu:.2f} s"
                    f" {got}/{n} answered, exit {code}")
                if floor in medians:
                    fwall, fcpu = medians[floor]
                    vs = (wall / fwall, cpu / fcpu if fcpu else 0, (cpu - fcpu) / n * 1e6)
                else:
                    vs = None
                rows.append((n, jobs, label, wall, n / wall, bound, wall / bound, rss, cpu, got,
                             stats_latency(err), vs))
    return rows


def responder_probe(n, in_flight):
    """The lab's DNS server alone: n A queries over one UDP socket, in_flight outstanding at
    once, from this process. Returns (wall seconds, answers). Near n x delay / in_flight means
    the server (and the kernel's loopback) keep up with that many queries in flight."""
    import selectors
    import socket
    import struct

    def query(i):
        labels = b"".join(bytes([len(p)]) + p for p in f"p{i}.bench.test".encode().split(b"."))
        return struct.pack(">HHHHHH", i & 0xFFFF, 0x0100, 1, 0, 0, 0) + labels + b"\0\0\1\0\1"

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:  # SO_RCVBUFFORCE (33): past rmem_max, as root; else as much as rmem_max allows
        sock.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_RCVBUFFORCE", 33), 1 << 24)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 24)
    sock.connect(("127.0.0.1", 53))
    sock.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_READ)
    sent = got = 0
    start = time.monotonic()
    last = start
    while got < n and time.monotonic() - last < 3:  # lost queries are not waited for
        while sent < n and sent - got < in_flight:
            sock.send(query(sent))
            sent += 1
        for _ in sel.select(timeout=1):
            while True:
                try:
                    sock.recv(512)
                except BlockingIOError:
                    break
                got += 1
                last = time.monotonic()
    return last - start, got


def main():
    # Outputs (up to 3 MB a run) go to memory, to keep the disk out of the measurement. (A
    # stall first blamed on the disk was the batch pool's, fixed there.)
    if os.path.isdir("/dev/shm"):
        os.chdir(tempfile.mkdtemp(prefix="sockscope-bench-", dir="/dev/shm"))
    if not os.access("/usr/bin/time", os.X_OK):
        raise SystemExit("GNU time (/usr/bin/time, Debian package time) is missing")
    probe_n, probe_in_flight = 2 * max(SIZES), 2 * max(JOBS)
    probe_wall, probe_got = responder_probe(probe_n, probe_in_flight)
    probe_bound = probe_n * DELAY_MS / 1000 / probe_in_flight
    log(f"responder probe: {probe_got}/{probe_n} answered in {probe_wall:.3f} s")
    rows = batch_rows()
    print(f"Delay {DELAY_MS} ms per answer (A and AAAA alike); median of {REPEAT} runs "
          f"(1 for J=1); {os.cpu_count()} cores; {PYTHON} {sys.version.split()[0]}.\n")
    print("| N | J | way | wall s | wall/bound | wall x floor | CPU s | CPU x floor |"
          " own CPU µs/name | peak RSS MiB | answered | p50/p95 ms |")
    print("|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for n, jobs, label, wall, rate, bound, ratio, rss, cpu, got, lat, vs in rows:
        wx, cx, own = (f"{vs[0]:.3f}", f"{vs[1]:.2f}", f"{vs[2]:.1f}") if vs else ("", "", "")
        print(f"| {n} | {jobs} | {label} | {wall:.3f} | {ratio:.2f} | {wx} | {cpu:.3f} | {cx} |"
              f" {own} | {rss / 1024:.1f} | {got} | {lat} |")
    print(f"\nThe DNS server alone (a raw UDP client in Python): {probe_got} of {probe_n} queries "
          f"answered, {probe_in_flight} in flight, in {probe_wall:.3f} s "
          f"({probe_got / probe_wall:.0f} queries/s), {probe_wall / probe_bound:.2f} x its bound "
          f"of {probe_bound:.3f} s.")
    shutil.rmtree(os.getcwd(), ignore_errors=True)


if __name__ == "__main__":
    main()
