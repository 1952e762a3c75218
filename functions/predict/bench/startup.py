#!/usr/bin/env python3
"""Time from starting the predict function's JVM to its first answered prediction (standard library only).

Run from the repository root after building: python3 functions/predict/bench/startup.py [runs] [jvm options...]
With no JVM options it starts the function as the README's run command does, with @config/predict.jvm.args.
To compare JVM options on this machine, whose speed drifts, give several sets separated by `--`: each round then
starts one run of every set in turn (an empty set is a plain `java -jar`), e.g.
  python3 functions/predict/bench/startup.py 3 -- @config/predict.jvm.args --
Each run starts the jar on existing stores in a temporary directory (the catalog import and the demo features' load
happen once, in a discarded first run),
polls POST /predict every 20 ms from this one process, and stops the JVM after the first 200.
With CPU=1 it also prints, per run, the resident memory and the CPU time each JVM thread had used by then (Linux
/proc): on a machine with few cores it shows whether the start is waiting for CPU (the JIT compilers compete with the
main thread). A word JAR=<path> in a set starts that jar instead of the build's, to compare two builds.
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
options = sys.argv[2:]
if "--" in options:
    if options[0] != "--":
        options = ["--", *options]
    sets = []
    for word in options:
        if word == "--":
            sets.append([])
        else:
            sets[-1].append(word)
else:
    sets = [options or ["@config/predict.jvm.args"]]
body = open("functions/predict/bench/one-row.json", "rb").read()
store = tempfile.mkdtemp(prefix="quiver-startup-")
jar = "functions/predict/target/quiver-predict-runner.jar"
port = int(os.environ.get("PORT", "8089"))
paths = [f"-Dquiver.{key}={store}/{name}" for key, name in
         (("store.path", "models"), ("rollouts.path", "rollouts"), ("capture.path", "capture"),
          ("features.store.path", "features"))]

with socket.socket() as probe:
    if probe.connect_ex(("127.0.0.1", port)) == 0:
        sys.exit(f"port {port} is already in use: stop what listens there, or set PORT")


def thread_cpu(pid):
    """The CPU seconds (user + system) of the process and of its busiest threads so far."""
    tick = os.sysconf("SC_CLK_TCK")
    by_name = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        by_name[name] = by_name.get(name, 0) + (int(fields[11]) + int(fields[12])) / tick
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / tick
    busiest = sorted(by_name.items(), key=lambda kv: -kv[1])[:5]
    return f"cpu {total:.2f} s; " + ", ".join(f"{name} {cpu:.2f}" for name, cpu in busiest)


def rss_mb(pid):
    """The process's resident memory in MB (Linux /proc)."""
    kb = [line for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS")][0].split()[1]
    return round(int(kb) / 1024)


def one_run(jvm):
    chosen = [word[4:] for word in jvm if word.startswith("JAR=")]
    jvm = [word for word in jvm if not word.startswith("JAR=")]
    t0 = time.monotonic()
    p = subprocess.Popen([os.environ.get("JAVA", "java"), *jvm, f"-Dquarkus.http.port={port}", *paths, "-jar",
                          chosen[0] if chosen else jar],
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
                    elapsed = (time.monotonic() - t0) * 1000
                    if os.environ.get("CPU") == "1":
                        print(f"  {elapsed:.0f} ms, {rss_mb(p.pid)} MB resident {' '.join(jvm)}: " + thread_cpu(p.pid))
                    return elapsed
            except OSError:
                pass
            time.sleep(0.02)
    finally:
        p.terminate()
        p.wait()


try:
    one_run(sets[0])  # imports the catalog into the store
    times = [[] for _ in sets]
    for _ in range(runs):
        for jvm, taken in zip(sets, times):
            taken.append(one_run(jvm))
    for jvm, taken in zip(sets, times):
        if len(sets) > 1:
            print("options:", " ".join(jvm) or "(none)")
        print("first prediction after (ms):", " ".join(f"{t:.0f}" for t in taken))
        print(f"median {statistics.median(taken):.0f} ms, min {min(taken):.0f} ms, max {max(taken):.0f} ms over {runs} runs")
finally:
    shutil.rmtree(store, ignore_errors=True)
