#!/usr/bin/env python3
"""Time from starting the predict function's JVM to its first answered prediction (standard library only).

Run from the repository root after building: python3 functions/predict/bench/startup.py [runs] [jvm options...]
Each run starts the jar on an existing model store (the catalog import happens once, before the first run),
polls POST /predict every 20 ms from this one process, and stops the JVM after the first 200.
"""
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
jvm = sys.argv[2:]
body = open("functions/predict/bench/one-row.json", "rb").read()
store = tempfile.mkdtemp(prefix="quiver-startup-")
jar = "functions/predict/target/quarkus-app/quarkus-run.jar"


def one_run():
    t0 = time.monotonic()
    p = subprocess.Popen([os.environ.get("JAVA", "java"), *jvm, "-Dquarkus.http.port=8089", "-Dquiver.store.path=" + store, "-jar", jar],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", 8089, timeout=2)
                c.request("POST", "/predict", body, {"Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                if r.status == 200:
                    return (time.monotonic() - t0) * 1000
            except OSError:
                pass
            time.sleep(0.02)
    finally:
        p.terminate()
        p.wait()


try:
    one_run()  # imports the catalog into the store
    times = [one_run() for _ in range(runs)]
    print("first prediction after (ms):", " ".join(f"{t:.0f}" for t in times))
    print(f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms over {runs} runs")
finally:
    shutil.rmtree(store, ignore_errors=True)
