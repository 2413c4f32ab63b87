#!/usr/bin/env python3
"""Echo load generator for bench/serve.sh: many connections, each checked byte for byte.

Usage: load.py HOST PORT CONNECTIONS CONCURRENCY PAYLOAD_BYTES
Prints one JSON line: connections, bytes (echoed, one way), seconds, errors, mismatches.
The same client measures every server, so the numbers compare servers, not clients.
"""
import json
import socket
import sys
import threading
import time


def one(host, port, payload, timeout=30.0):
    """Send payload, half-close, read until EOF (sending on a thread so neither side blocks)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        failed = []

        def send():
            try:
                s.sendall(payload)
                s.shutdown(socket.SHUT_WR)
            except OSError as err:  # reported by the caller as an error, not a traceback
                failed.append(err)
        sender = threading.Thread(target=send)
        sender.start()
        chunks = []
        try:
            while True:
                part = s.recv(65536)
                if not part:
                    break
                chunks.append(part)
        finally:
            sender.join()
        if failed:
            raise failed[0]
        return b"".join(chunks)


def main():
    host, port, total, concurrency, size = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:6])
    lock = threading.Lock()
    state = {"next": 0, "errors": 0, "mismatches": 0, "bytes": 0}

    def worker():
        while True:
            with lock:
                i = state["next"]
                if i >= total:
                    return
                state["next"] += 1
            # Distinct bytes per connection, so a mixed-up echo is caught.
            stamp = ("%08d" % i).encode()
            payload = (stamp * (size // len(stamp) + 1))[:size]
            try:
                back = one(host, port, payload)
            except OSError:
                with lock:
                    state["errors"] += 1
                continue
            with lock:
                if back == payload:
                    state["bytes"] += len(back)
                else:
                    state["mismatches"] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.monotonic() - started
    print(json.dumps({"connections": total - state["errors"], "bytes": state["bytes"],
                      "seconds": seconds, "errors": state["errors"],
                      "mismatches": state["mismatches"]}))


if __name__ == "__main__":
    main()
