#!/usr/bin/env python3
"""Time from starting the predict function's JVM to its first answered prediction (standard library only).

Run from the repository root after building: python3 functions/predict/bench/startup.py [runs] [jvm options...]
Each run starts the jar on existing stores in a temporary directory (the catalog import and the demo features' load
happen once, in a discarded first run),
polls POST /predict every 20 ms from this one process, and stops the JVM after the first 200.
"""
import http.client
import os
import shutil
import socket
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
port = int(os.environ.get("PORT", "8089"))
paths = [f"-Dquiver.{key}={store}/{name}" for key, name in
         (("store.path", "models"), ("rollouts.path", "rollouts"), ("capture.path", "capture"),
          ("features.store.path", "features"))]

with socket.socket() as probe:
    if probe.connect_ex(("127.0.0.1", port)) == 0:
        sys.exit(f"port {port} is already in use: stop what listens there, or set PORT")


def one_run():
    t0 = time.monotonic()
    p = subprocess.Popen([os.environ.get("JAVA", "java"), *jvm, f"-Dquarkus.http.port={port}", *paths, "-jar", jar],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if p.poll() is not None:
                sys.exit(f"the function exited with {p.returncode} before its first prediction")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
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
