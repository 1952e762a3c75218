#!/usr/bin/python3
"""Malformed and hostile requests against the predict and features functions: how each kind is answered, how long it
takes, and what the run leaves in the predict function's resident memory (standard library only).

Run from the repository root after building both functions (./mvnw -q install -DskipTests):

    /usr/bin/python3 functions/predict/bench/bad-input-corpus.py [rounds]

It starts both jars itself, as the README's run commands do (predict with @config/predict.jvm.args), on free loopback
ports with stores in a temporary directory, sends 2,000 good predictions, reads the predict process's VmRSS, then sends
`rounds` (default 20) rounds of every kind below twice over, reading VmRSS after each pass and 10 s after the second:
what a pass leaves behind shows in the first, whether that keeps growing in the second. A request that gets no complete
answer within 15 s counts as a hang. Kinds that send 50 MB send it whole when the server lets them; the server
may answer and close first, which is the point.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.getcwd()
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
TIMEOUT = 15.0
MB50 = 50 * 1024 * 1024


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait_ready(port, path, proc, log):
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the function on port {port} exited; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"the function on port {port} was not ready in 90 s; see {log}")


def jvm_args():
    args = []
    with open(os.path.join(ROOT, "config/predict.jvm.args")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                args.append(line)
    return args


def send(port, head, body=b"", stream=None):
    """Sends head (CRLF lines, no blank line) and body, or the chunks `stream` yields; returns (status, seconds, text).
    Status 0 with text 'hang' is no complete answer within TIMEOUT; 'closed' is a connection closed without one."""
    t0 = time.time()
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(TIMEOUT)
    got = b""
    try:
        s.sendall((head + "\r\nHost: localhost\r\n\r\n").encode("latin-1"))
        try:
            if stream is not None:
                for part in stream:
                    s.sendall(part)
            elif body:
                s.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking it all
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            got += b
            if complete(got):
                break
    except socket.timeout:
        return 0, time.time() - t0, "hang"
    finally:
        s.close()
    text = got.decode("utf-8", "replace")
    if not text.startswith("HTTP/1.1 "):
        return 0, time.time() - t0, "closed"
    return int(text[9:12]), time.time() - t0, text


def complete(raw):
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        return False
    head = raw[:end].decode("latin-1").lower()
    for line in head.split("\r\n"):
        if line.startswith("content-length:"):
            return len(raw) - end - 4 >= int(line.split(":", 1)[1])
    return False


def chunked(total, size=65536):
    sent = 0
    piece = b"x" * size
    while sent < total:
        n = min(size, total - sent)
        yield b"%x\r\n" % n + piece[:n] + b"\r\n"
        sent += n
    yield b"0\r\n\r\n"


def kinds(p, f, key):
    auth = f"\r\nAuthorization: Bearer {key}"
    json_ = "\r\nContent-Type: application/json"
    tensor = lambda shape, data: json.dumps({"inputs": [{"name": "features", "shape": shape, "datatype": "FP64",
                                                          "data": data}]}).encode()
    row = json.load(open(os.path.join(ROOT, "docs/examples/customer.json")))
    both = dict(row, version="1", alias="champion")
    long_id = dict(row, request_id="x" * (10 * 1024 * 1024))
    long_id_body = json.dumps(long_id).encode()
    part = b'--XYZ\r\nContent-Disposition: form-data; name="descriptor"\r\n\r\n{}\r\n'
    return [
        ("empty body, OIP infer", p, "POST /v2/models/churn/infer HTTP/1.1" + json_ + "\r\nContent-Length: 0", b""),
        ("empty body, alias move", p, "PUT /registry/models/churn/aliases/x HTTP/1.1" + json_ + auth
         + "\r\nContent-Length: 0", b""),
        ("empty body, rollout feedback", p, "POST /rollouts/churn/feedback HTTP/1.1" + json_ + auth
         + "\r\nContent-Length: 0", b""),
        ("multipart, wrong boundary", p, "POST /registry/models/churn/versions HTTP/1.1" + auth
         + "\r\nContent-Type: multipart/form-data; boundary=ABC\r\nContent-Length: %d" % (len(part) + 9),
         part + b"--XYZ--\r\n"),
        ("multipart, no closing boundary", p, "POST /registry/models/churn/versions HTTP/1.1" + auth
         + "\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: %d" % len(part), part),
        ("CloudEvent without data, binary", p, "POST / HTTP/1.1\r\nce-id: 1\r\nce-specversion: 1.0\r\nce-type: predict"
         "\r\nce-source: /corpus\r\nContent-Length: 0", b""),
        ("CloudEvent without data, structured", p, "POST / HTTP/1.1\r\nContent-Type: application/cloudevents+json"
         "\r\nContent-Length: 61", b'{"id":"1","specversion":"1.0","type":"predict","source":"/c"}'),
        ("CloudEvent push without data", f, "POST / HTTP/1.1\r\nce-id: 1\r\nce-specversion: 1.0\r\nce-type: push"
         "\r\nce-source: /corpus" + auth + "\r\nContent-Length: 0", b""),
        ("OIP shape as a string", p, None, tensor("1,73", [0.0] * 73)),
        ("OIP shape as strings", p, None, tensor(["1", "73"], [0.0] * 73)),
        ("OIP shape as floats", p, None, tensor([1.5, 73], [0.0] * 73)),
        ("OIP data nested against its shape", p, None, tensor([1, 73], [[[0.0]] * 73])),
        ("version and alias both", p, "POST /predict HTTP/1.1" + json_, json.dumps(both).encode()),
        ("10 MB request_id", p, "POST /predict HTTP/1.1" + json_, long_id_body),
        ("malformed chunked body", p, "POST /predict HTTP/1.1" + json_ + "\r\nTransfer-Encoding: chunked",
         b"ZZ\r\n{}\r\n0\r\n\r\n"),
        ("text/plain push", f, "POST /push HTTP/1.1\r\nContent-Type: text/plain" + auth, b"{}"),
        ("malformed JSON", p, "POST /predict HTTP/1.1" + json_, b'{"model": "churn", "rows": ['),
        ("50 MB JSON, declared length", p, "POST /predict HTTP/1.1" + json_, b"[" + b"0," * (MB50 // 2) + b"0]"),
        ("50 MB JSON, chunked", p, "POST /predict HTTP/1.1" + json_ + "\r\nTransfer-Encoding: chunked", "stream"),
        ("50 MB upload without a key", p, "POST /registry/models/churn/versions HTTP/1.1"
         "\r\nContent-Type: multipart/form-data; boundary=XYZ", b"--XYZ\r\n" + b"x" * MB50),
    ]


def main():
    work = tempfile.mkdtemp(prefix="quiver-corpus-")
    procs = []
    try:
        pp, fp = free_port(), free_port()
        common = [f"-Dquiver.security.local-key.path={work}/deploy-key", f"-Dquiver.audit.path={work}/audit",
                  f"-Dquiver.features.store.path={work}/features"]
        predict_log, features_log = f"{work}/predict.log", f"{work}/features.log"
        predict = subprocess.Popen(
            ["java", *jvm_args(), f"-Dquarkus.http.port={pp}", f"-Dquiver.store.path={work}/models",
             f"-Dquiver.rollouts.path={work}/rollouts", f"-Dquiver.capture.path={work}/capture", *common, "-jar",
             "functions/predict/target/quiver-predict-runner.jar"], stdout=open(predict_log, "w"),
            stderr=subprocess.STDOUT)
        procs.append(predict)
        wait_ready(pp, "/v2/health/ready", predict, predict_log)
        features = subprocess.Popen(["java", f"-Dquarkus.http.port={fp}", *common, "-jar",
                                     "functions/features/target/quarkus-app/quarkus-run.jar"],
                                    stdout=open(features_log, "w"), stderr=subprocess.STDOUT)
        procs.append(features)
        wait_ready(fp, "/q/health/ready", features, features_log)
        key = open(f"{work}/deploy-key").read().strip() if os.path.exists(f"{work}/deploy-key") else "none"
        body = open(os.path.join(ROOT, "docs/examples/customer.json"), "rb").read()
        for _ in range(2000):
            st, _, _ = send(pp, "POST /predict HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: %d"
                            % len(body), body)
            assert st == 200, st
        before = rss_mb(predict.pid)
        results = {}
        started = time.time()
        passes = []
        for _ in range(2):
            for _ in range(ROUNDS):
                for name, port, head, payload in kinds(pp, fp, key):
                    if head is None:
                        head = "POST /v2/models/churn/infer HTTP/1.1\r\nContent-Type: application/json"
                    if payload == "stream":
                        st, secs, text = send(port, head, stream=chunked(MB50))
                    else:
                        if "Content-Length" not in head and "Transfer-Encoding" not in head:
                            head += "\r\nContent-Length: %d" % len(payload)
                        st, secs, text = send(port, head, payload)
                    results.setdefault(name, []).append((st, secs, text))
            passes.append(rss_mb(predict.pid))
        elapsed = time.time() - started
        time.sleep(10)
        settled = rss_mb(predict.pid)
        total = hangs = closed = fives = fours = 0
        print(f"{'kind':40} {'answers':22} {'max s':>6}")
        for name, rs in results.items():
            statuses = {}
            for st, secs, text in rs:
                label = text if st == 0 else str(st)
                statuses[label] = statuses.get(label, 0) + 1
                total += 1
                hangs += text == "hang"
                closed += text == "closed"
                fives += 500 <= st < 600
                fours += 400 <= st < 500
            shown = ", ".join(f"{k} x{v}" for k, v in sorted(statuses.items()))
            print(f"{name:40} {shown:22} {max(r[1] for r in rs):6.2f}")
        print(f"\n{total} requests in {elapsed:.1f} s: {fours} answered 4xx, {fives} answered 5xx, {hangs} hangs,"
              f" {closed} closed without an answer")
        print(f"predict VmRSS: {before:.0f} MB after 2,000 predictions, {passes[0]:.0f} MB after the first pass,"
              f" {passes[1]:.0f} MB after the second, {settled:.0f} MB 10 s later")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
