#!/usr/bin/env python3
"""A second load generator for the paced 100-entity measurement: one keep-alive HTTP/1.1 connection, one POST
every 1/rate s on a fixed schedule, each request timed from sending it to the last byte of its answer.

Why beside wrk: on the development VM, wrk often reported a mode at 5.5-6 ms for 2-15% of the 100-entity calls
that this client, run right after it against the same process, saw far less of. The 2026-12-07a runs found the cause in the
kernel, not in wrk: the VM's TCP congestion control (BBR) paces the second half of the 96 KB answer about 4 ms
after the first when the answer does not fit the client's receive window, and wrk reads with a small buffer, so
its window stays under 96 KB (docs/benchmarks.md section 4, runs of 2026-12-07a). The 2026-12-07b runs found what set it off: the
answer reaching the kernel in one write. Since the function writes large answers in 32 KB parts, wrk no longer sees
the mode. This client's own cost (Python's HTTP parsing and reading 96 KB) is included in its figures.

Usage, from the repository root, against a running function:
  python3 functions/features/bench/paced-client.py PORT [BODY] [RATE] [SECONDS]
"""
import http.client
import sys
import time


def main():
    port = int(sys.argv[1])
    body = open(sys.argv[2] if len(sys.argv) > 2 else "functions/features/bench/hundred-entities.json", "rb").read()
    rate = float(sys.argv[3]) if len(sys.argv) > 3 else 100.0
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Content-Type": "application/json"}
    latencies = []
    interval = 1.0 / rate
    slot = time.monotonic()
    end = slot + seconds
    while slot < end:
        wait = slot - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        start = time.monotonic()
        connection.request("POST", "/get-online-features", body, headers)
        answer = connection.getresponse()
        answer.read()
        latencies.append((time.monotonic() - start) * 1000)
        if answer.status != 200:
            sys.exit(f"status {answer.status} after {len(latencies)} requests")
        # a late answer does not make the next requests leave in a burst: the schedule restarts from now
        slot = max(slot + interval, time.monotonic())
    latencies.sort()

    def at(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    print(f"paced-client: requests {len(latencies)}, " + ", ".join(
        f"p{p} {at(p):.2f} ms" for p in (50, 90, 95, 98, 99, 99.5, 99.9)) + f", max {latencies[-1]:.1f} ms")


if __name__ == "__main__":
    main()
