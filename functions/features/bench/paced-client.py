#!/usr/bin/env python3
"""A second load generator for the paced 100-entity measurement: one keep-alive HTTP/1.1 connection, one POST
every 1/rate s on a fixed schedule, each request timed from sending it to the last byte of its answer.

Why beside wrk: a client that reads in larger pieces offers the server a larger TCP window, so the two see the
kernel's pacing of a large answer differently (docs/performance.md, Online features); a second reading of the same
call tells the function's time from the client's. This client's own cost (Python's HTTP parsing and reading 96 KB)
is included in its figures.

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
