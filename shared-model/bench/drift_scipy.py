#!/usr/bin/python3
"""SciPy's side of drift-vs-scipy.sh, under Debian's /usr/bin/python3 (NumPy, SciPy).

  drift_scipy.py generate DIR [ROWS REFERENCE_ROWS COLUMNS]
      writes the one data set both sides read: DIR/current.f64 and DIR/reference.f64, little-endian float64, column
      after column (a column's values contiguous), and DIR/shape (rows, reference rows, columns). Standard normal
      values; the current sample is shifted by 0.1 standard deviations in the even columns, as DriftBenchmark's.
  drift_scipy.py run DIR
      times scipy.stats.ks_2samp (default method) and scipy.stats.wasserstein_distance over every column, the files
      read before the clock starts, and prints one JSON line: seconds per pass and each column's statistics.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy import stats


def shape(d):
    with open(f"{d}/shape") as f:
        return [int(x) for x in f.read().split()]


def generate(d, rows=1_000_000, ref_rows=100_000, columns=20):
    rng = np.random.default_rng(1)
    with open(f"{d}/reference.f64", "wb") as f:
        for c in range(columns):
            rng.standard_normal(ref_rows).astype("<f8").tofile(f)
    with open(f"{d}/current.f64", "wb") as f:
        for c in range(columns):
            shift = 0.1 if c % 2 == 0 else 0.0
            (rng.standard_normal(rows) + shift).astype("<f8").tofile(f)
    with open(f"{d}/shape", "w") as f:
        f.write(f"{rows} {ref_rows} {columns}\n")


def run(d):
    rows, ref_rows, columns = shape(d)
    ref = np.fromfile(f"{d}/reference.f64", dtype="<f8").reshape(columns, ref_rows)
    cur = np.fromfile(f"{d}/current.f64", dtype="<f8").reshape(columns, rows)
    t0 = time.perf_counter()
    ks = [stats.ks_2samp(ref[c], cur[c]) for c in range(columns)]
    t1 = time.perf_counter()
    # Evidently's normed Wasserstein distance: the distance over the reference's standard deviation (ddof 0)
    wd = [stats.wasserstein_distance(ref[c], cur[c]) / max(np.std(ref[c]), 0.001) for c in range(columns)]
    t2 = time.perf_counter()
    print(json.dumps({
        "side": "scipy", "scipy": scipy.__version__, "numpy": np.__version__,
        "python": sys.version.split()[0],
        "ks_seconds": t1 - t0, "wasserstein_seconds": t2 - t1,
        "ks_statistic": [float(r.statistic) for r in ks], "ks_pvalue": [float(r.pvalue) for r in ks],
        "wasserstein_normed": [float(w) for w in wd],
    }))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], *[int(x) for x in sys.argv[3:6]])
    elif sys.argv[1] == "run":
        run(sys.argv[2])
    else:
        sys.exit("usage: drift_scipy.py generate DIR [ROWS REFERENCE_ROWS COLUMNS] | run DIR")
