#!/usr/bin/python3
"""Golden values for dev.quiver.drift, from SciPy and NumPy (Debian python3-scipy, python3-numpy).

Run from this directory with Debian's interpreter:
    /usr/bin/python3 make_drift_golden.py > drift_golden.json

Deterministic: the random samples come from seeded generators, the churn cases from fixed row ranges of
platform/tools/train/data/mlc_churn.csv, and the long samples from an integer sequence both sides can rebuild.

Each statistic is what Evidently computes for the test of the same name (read from Evidently's
src/evidently/legacy/calculations/stattests/*.py and utils.py); the numbers themselves come from
scipy.stats.ks_2samp (method='auto'), scipy.stats.chisquare, scipy.stats.wasserstein_distance,
scipy.spatial.distance.jensenshannon, scipy.stats.norm and numpy's histogram. Evidently itself is not
installed here; this script is the reference its semantics are checked against.

A sample is written either inline ("values"), as rows of a churn column ("csv": column, rows [from, to),
then optionally "scale"/"add" for numbers or "replace" {"from", "to", "every"} for categories: every
row whose offset within the range is a multiple of "every" and whose value is "from" becomes "to"), or
as a sequence ("sequence": n, m, p, a, b: value i = a + b * ((i * m) mod p) / p for i in [0, n)), or as
counts of categories ("counts": {value: count}, in that order).
"""
import csv
import json
import math
import os

import numpy as np
import scipy
from scipy.spatial import distance
from scipy.stats import chisquare, ks_2samp, norm, wasserstein_distance

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join(HERE, "..", "..", "..", "..", "..", "functions", "train", "data", "mlc_churn.csv")
with open(CSV, newline="") as f:
    CHURN = list(csv.DictReader(f))

NUMERICAL, CATEGORICAL = "numerical", "categorical"
CATEGORICAL_COLUMNS = {"state", "area_code", "international_plan", "voice_mail_plan", "churn"}
DEFAULT_THRESHOLDS = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1, "jensenshannon": 0.1, "psi": 0.1}


# ---------------------------------------------------------------------------------------------------------
# samples

def materialise(spec, kind):
    if "values" in spec:
        return list(spec["values"])
    if "counts" in spec:
        return [value for value, count in spec["counts"].items() for _ in range(count)]
    if "sequence" in spec:
        s = spec["sequence"]
        return [s["a"] + s["b"] * (((i * s["m"]) % s["p"]) / s["p"]) for i in range(s["n"])]
    column = spec["csv"]
    lo, hi = spec["rows"]
    raw = [row[column] for row in CHURN[lo:hi]]
    if kind == NUMERICAL:
        values = [float(v) for v in raw]
        if "scale" in spec:
            values = [v * spec["scale"] for v in values]
        if "add" in spec:
            values = [v + spec["add"] for v in values]
        return values
    if "replace" in spec:
        r = spec["replace"]
        raw = [r["to"] if i % r["every"] == 0 and v == r["from"] else v for i, v in enumerate(raw)]
    return raw


def inline(values):
    return {"values": [float(v) for v in values]}


def churn(column, rows, **extra):
    spec = {"csv": column, "rows": list(rows)}
    spec.update(extra)
    return spec


def sequence(n, m, p, a=0.0, b=1.0):
    return {"sequence": {"n": n, "m": m, "p": p, "a": a, "b": b}}


# ---------------------------------------------------------------------------------------------------------
# Evidently's semantics, in NumPy and SciPy

def default_test(reference, current, kind):
    """Evidently's _get_default_stattest for numerical and categorical columns."""
    n_values = len(set(reference) | set(current))
    if len(reference) <= 1000:
        if kind == NUMERICAL and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if kind == NUMERICAL and n_values > 5:
        return "wasserstein"
    return "jensenshannon"


def binned(reference, current, kind, fill_zeroes):
    """Evidently's get_binned_data: Sturges bins over reference + current for numbers with more than 20
    distinct reference values, shares per value otherwise; optionally empty shares replaced by a small one."""
    if kind == NUMERICAL and len(set(reference)) > 20:
        ref = np.asarray(reference, dtype=float)
        cur = np.asarray(current, dtype=float)
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        ref_shares = np.histogram(ref, edges)[0] / len(ref)
        cur_shares = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(reference) | set(current))
        ref_counts = {k: 0 for k in keys}
        cur_counts = {k: 0 for k in keys}
        for v in reference:
            ref_counts[v] += 1
        for v in current:
            cur_counts[v] += 1
        ref_shares = np.array([ref_counts[k] / len(reference) for k in keys])
        cur_shares = np.array([cur_counts[k] / len(current) for k in keys])
    if fill_zeroes:
        for shares in (ref_shares, cur_shares):
            smallest = min(shares[shares != 0])
            np.place(shares, shares == 0, smallest / 10 ** 6 if smallest <= 0.0001 else 0.0001)
    return ref_shares, cur_shares


def run(test, reference, current, kind):
    """statistic, p-value (or None), extra fields"""
    if test == "ks":
        r = ks_2samp(np.asarray(reference, dtype=float), np.asarray(current, dtype=float))
        method = "exact" if max(len(reference), len(current)) <= 10000 else "asymptotic"
        return float(r.statistic), float(r.pvalue), {"method": method}
    if test == "chisquare":
        keys = sorted(set(reference) | set(current))
        k_norm = len(current) / len(reference)
        f_exp = [sum(1 for v in reference if v == k) * k_norm for k in keys]
        f_obs = [sum(1 for v in current if v == k) for k in keys]
        with np.errstate(divide="ignore"):
            r = chisquare(f_obs, f_exp)
        return float(r.statistic), float(r.pvalue), {"categories": len(keys)}
    if test == "z":
        if len(set(reference)) == 1 and len(set(current)) == 1 and set(reference) == set(current):
            return 0.0, 1.0, {}
        first = sorted(set(reference) | set(current))[0]
        n1, n2 = len(reference), len(current)
        p1 = float(sum(0 if v == first else 1 for v in reference)) / n1
        p2 = float(sum(0 if v == first else 1 for v in current)) / n2
        pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        return float(z), float(2 * (1 - norm.cdf(np.abs(z)))), {}
    if test == "wasserstein":
        std = float(np.std(np.asarray(reference, dtype=float)))
        distance_ = float(wasserstein_distance(reference, current))
        return distance_ / max(std, 0.001), None, {"distance": distance_, "reference_std": std}
    if test == "jensenshannon":
        ref, cur = binned(reference, current, kind, False)
        return float(distance.jensenshannon(ref, cur)), None, {"bins": len(ref)}
    if test == "psi":
        ref, cur = binned(reference, current, kind, True)
        return float(np.sum((ref - cur) * np.log(ref / cur))), None, {"bins": len(ref)}
    raise ValueError(test)


def drifted(test, statistic, p_value, threshold):
    if test == "ks":
        return p_value <= threshold
    if p_value is not None:
        return p_value < threshold
    return statistic >= threshold


# ---------------------------------------------------------------------------------------------------------
# cases

rng = np.random.RandomState(20240611)
CASES = []


def case(name, test, kind, reference_spec, current_spec, threshold=None):
    reference = materialise(reference_spec, kind)
    current = materialise(current_spec, kind)
    statistic, p_value, extra = run(test, reference, current, kind)
    t = DEFAULT_THRESHOLDS[test] if threshold is None else threshold
    entry = {"name": name, "test": test, "type": kind, "reference": reference_spec, "current": current_spec,
             "threshold": t, "statistic": statistic, "p_value": p_value,
             "drifted": bool(drifted(test, statistic, p_value, t)),
             "default_test": default_test(reference, current, kind)}
    entry.update(extra)
    CASES.append(entry)


def normal(n, loc=0.0, scale=1.0, decimals=6):
    return np.round(rng.normal(loc, scale, n), decimals)


# Kolmogorov-Smirnov, exact path: unequal and equal sizes, ties, identical samples, far apart samples
case("ks small unequal", "ks", NUMERICAL, inline(normal(7)), inline(normal(11, 0.8)))
case("ks equal sizes", "ks", NUMERICAL, inline(normal(20)), inline(normal(20, 0.5)))
case("ks ties", "ks", NUMERICAL, inline(rng.randint(0, 4, 30)), inline(rng.randint(0, 5, 45)))
case("ks ties equal sizes", "ks", NUMERICAL, inline(rng.randint(0, 3, 25)), inline(rng.randint(1, 4, 25)))
case("ks identical", "ks", NUMERICAL, inline([1, 2, 3, 4, 5, 6]), inline([6, 5, 4, 3, 2, 1]))
case("ks one each", "ks", NUMERICAL, inline([1.5]), inline([2.5]))
case("ks disjoint", "ks", NUMERICAL, inline(normal(300)), inline(normal(250, 10)))
case("ks multiples", "ks", NUMERICAL, inline(normal(40)), inline(normal(120, 0.3)))
case("ks coprime", "ks", NUMERICAL, inline(normal(97)), inline(normal(101, 0.2, 1.3)))
case("ks churn 1000 vs 1000", "ks", NUMERICAL, churn("total_day_minutes", (0, 1000)), churn("total_day_minutes", (4000, 5000)))
case("ks churn 1000 vs 4000 shifted", "ks", NUMERICAL, churn("total_eve_minutes", (0, 1000)),
     churn("total_eve_minutes", (1000, 5000), add=4.0))
case("ks churn 999 vs 1001 ints", "ks", NUMERICAL, churn("account_length", (0, 999)), churn("account_length", (3999, 5000)))
case("ks churn 2500 vs 2500", "ks", NUMERICAL, churn("total_night_minutes", (0, 2500)), churn("total_night_minutes", (2500, 5000)))
case("ks churn 2500 vs 2500 scaled", "ks", NUMERICAL, churn("total_day_charge", (0, 2500)),
     churn("total_day_charge", (2500, 5000), scale=1.02))
# Kolmogorov-Smirnov, asymptotic path (a sample over 10,000): kstwo.sf over several of its regimes
case("ks asymptotic n>140 close", "ks", NUMERICAL, sequence(800, 37, 797), sequence(12000, 7919, 10007))
case("ks asymptotic n>140 mid", "ks", NUMERICAL, sequence(800, 37, 797, 0.03), sequence(12000, 7919, 10007))
case("ks asymptotic n>140 far", "ks", NUMERICAL, sequence(800, 37, 797, 0.07), sequence(12000, 7919, 10007))
case("ks asymptotic n>140 very far", "ks", NUMERICAL, sequence(800, 37, 797, 0.5), sequence(12000, 7919, 10007))
case("ks asymptotic n<=140 close", "ks", NUMERICAL, sequence(120, 11, 113), sequence(10500, 7919, 10007))
case("ks asymptotic n<=140 mid", "ks", NUMERICAL, sequence(120, 11, 113, 0.12), sequence(10500, 7919, 10007))
case("ks asymptotic n<=140 far", "ks", NUMERICAL, sequence(120, 11, 113, 0.3), sequence(10500, 7919, 10007))
case("ks asymptotic n<=140 half", "ks", NUMERICAL, sequence(120, 11, 113, 0.6), sequence(10500, 7919, 10007))
case("ks asymptotic tiny n", "ks", NUMERICAL, sequence(3, 1, 3, 0.1), sequence(10001, 7919, 10007))
case("ks asymptotic big n", "ks", NUMERICAL, sequence(9000, 31, 8999, 0.004), sequence(11000, 7919, 10007))

# chi-square: categories missing on either side, unequal sizes, churn columns
case("chisquare small", "chisquare", CATEGORICAL, {"values": list("aabbbccccd")}, {"values": list("abbcccccddd")})
case("chisquare new category", "chisquare", CATEGORICAL, {"values": list("aabbbcccc")}, {"values": list("abbcccz")})
case("chisquare lost category", "chisquare", CATEGORICAL, {"values": list("aabbbccccdd")}, {"values": list("abbcccc")})
case("chisquare numbers as categories", "chisquare", CATEGORICAL, inline([1, 2, 2, 3, 3, 3]), inline([1, 1, 2, 3, 3]))
case("chisquare churn area_code", "chisquare", CATEGORICAL, churn("area_code", (0, 1000)), churn("area_code", (4000, 5000)))
case("chisquare churn state", "chisquare", CATEGORICAL, churn("state", (0, 1000)), churn("state", (1000, 5000)))
case("chisquare churn area_code shifted", "chisquare", CATEGORICAL, churn("area_code", (0, 900)),
     churn("area_code", (4000, 5000), replace={"from": "area_code_415", "to": "area_code_510", "every": 3}))
case("chisquare churn service calls", "chisquare", NUMERICAL, churn("number_customer_service_calls", (0, 1000)),
     churn("number_customer_service_calls", (4000, 4500)))

# z-test for two proportions
case("z small", "z", CATEGORICAL, {"values": list("aaabbbbbbb")}, {"values": list("aaaaaabbb")})
case("z one category", "z", CATEGORICAL, {"values": list("aaaa")}, {"values": list("aaaaaa")})
case("z one category each", "z", CATEGORICAL, {"values": list("aaaa")}, {"values": list("bbb")})
case("z churn international_plan", "z", CATEGORICAL, churn("international_plan", (0, 1000)),
     churn("international_plan", (4000, 5000)))
case("z churn churn shifted", "z", CATEGORICAL, churn("churn", (0, 1000)),
     churn("churn", (4000, 5000), replace={"from": "no", "to": "yes", "every": 9}))
case("z churn voice_mail_plan", "z", CATEGORICAL, churn("voice_mail_plan", (0, 700)), churn("voice_mail_plan", (700, 5000)))
case("z numbers", "z", NUMERICAL, inline([0, 0, 1, 1, 1]), inline([0, 1, 1, 1, 1, 1, 1]))

# Wasserstein distance, normed by the reference's standard deviation (ddof 0, at least 0.001)
case("wasserstein small", "wasserstein", NUMERICAL, inline(normal(15)), inline(normal(9, 0.4)))
case("wasserstein constant reference", "wasserstein", NUMERICAL, inline([2.0] * 5), inline([2.0, 2.0005, 2.001]))
case("wasserstein churn", "wasserstein", NUMERICAL, churn("total_day_minutes", (0, 2500)),
     churn("total_day_minutes", (2500, 5000)))
case("wasserstein churn shifted", "wasserstein", NUMERICAL, churn("total_day_minutes", (0, 2500)),
     churn("total_day_minutes", (2500, 5000), scale=1.05, add=2.0))
case("wasserstein churn ints", "wasserstein", NUMERICAL, churn("account_length", (0, 2500)),
     churn("account_length", (2500, 5000), add=6.0))
case("wasserstein churn unequal", "wasserstein", NUMERICAL, churn("total_night_charge", (0, 3100)),
     churn("total_night_charge", (3100, 5000)))

# Jensen-Shannon distance (natural logarithm): Sturges bins over both samples, or shares per value
case("jensenshannon churn numbers", "jensenshannon", NUMERICAL, churn("total_eve_minutes", (0, 2500)),
     churn("total_eve_minutes", (2500, 5000)))
case("jensenshannon churn numbers shifted", "jensenshannon", NUMERICAL, churn("total_eve_minutes", (0, 2500)),
     churn("total_eve_minutes", (2500, 5000), scale=1.1))
case("jensenshannon churn few values", "jensenshannon", NUMERICAL, churn("number_customer_service_calls", (0, 2500)),
     churn("number_customer_service_calls", (2500, 5000)))
case("jensenshannon churn state", "jensenshannon", CATEGORICAL, churn("state", (0, 2500)), churn("state", (2500, 5000)))
case("jensenshannon churn plan shifted", "jensenshannon", CATEGORICAL, churn("international_plan", (0, 2500)),
     churn("international_plan", (2500, 5000), replace={"from": "no", "to": "yes", "every": 4}))
case("jensenshannon sequence bins", "jensenshannon", NUMERICAL, sequence(4096, 17, 4093), sequence(4096, 29, 4091, 0.2))
case("jensenshannon small", "jensenshannon", CATEGORICAL, {"values": list("aabbc")}, {"values": list("bccdd")})

# Population stability index: the same bins, empty ones replaced by a small share
case("psi churn numbers", "psi", NUMERICAL, churn("total_intl_minutes", (0, 2500)), churn("total_intl_minutes", (2500, 5000)))
case("psi churn numbers shifted", "psi", NUMERICAL, churn("total_intl_minutes", (0, 2500)),
     churn("total_intl_minutes", (2500, 5000), add=1.5))
case("psi churn state", "psi", CATEGORICAL, churn("state", (0, 2500)), churn("state", (2500, 5000)))
case("psi empty bins", "psi", NUMERICAL, inline(normal(200)), inline(normal(150, 3)))
case("psi tiny shares", "psi", CATEGORICAL, {"counts": {"a": 20001, "b": 1}}, {"counts": {"a": 5, "c": 2}})
case("psi churn few values", "psi", NUMERICAL, churn("total_intl_calls", (0, 2500)),
     churn("total_intl_calls", (2500, 5000), add=1.0))


# ---------------------------------------------------------------------------------------------------------
# whole data sets: each churn column with its default test, and the data set's verdict

def dataset(name, reference_rows, current_rows, shifts, drift_share=0.5):
    columns = []
    for column in CHURN[0].keys():
        kind = CATEGORICAL if column in CATEGORICAL_COLUMNS else NUMERICAL
        reference_spec = churn(column, reference_rows)
        current_spec = churn(column, current_rows, **shifts.get(column, {}))
        reference = materialise(reference_spec, kind)
        current = materialise(current_spec, kind)
        test = default_test(reference, current, kind)
        statistic, p_value, _ = run(test, reference, current, kind)
        t = DEFAULT_THRESHOLDS[test]
        columns.append({"name": column, "type": kind, "current": current_spec, "test": test, "statistic": statistic,
                        "p_value": p_value, "threshold": t, "drifted": bool(drifted(test, statistic, p_value, t))})
    n_drifted = sum(1 for c in columns if c["drifted"])
    share = n_drifted / len(columns)
    return {"name": name, "reference_rows": list(reference_rows), "drift_share": drift_share, "columns": columns,
            "drifted_columns": n_drifted, "share_of_drifted_columns": share,
            "dataset_drift": bool(share >= drift_share)}


SHIFTS = {
    "total_day_minutes": {"scale": 1.1},
    "total_eve_minutes": {"add": 15.0},
    "total_night_calls": {"add": 10.0},
    "account_length": {"scale": 1.3},
    "international_plan": {"replace": {"from": "no", "to": "yes", "every": 3}},
    "number_customer_service_calls": {"add": 1.0},
}
DATASETS = [
    dataset("churn 2500 vs 2500", (0, 2500), (2500, 5000), {}),
    dataset("churn 2500 vs 2500 shifted", (0, 2500), (2500, 5000), SHIFTS, drift_share=0.3),
    dataset("churn 1000 vs 1000", (0, 1000), (4000, 5000), {}),
    dataset("churn 1000 vs 1000 shifted", (0, 1000), (4000, 5000), SHIFTS, drift_share=0.25),
]

# one case per line, so that a change to the script shows as a readable diff
print('{"generator": ' + json.dumps("make_drift_golden.py, scipy " + scipy.__version__ + ", numpy " + np.__version__) + ",")
print(' "csv": "platform/tools/train/data/mlc_churn.csv",')
print(' "cases": [\n  ' + ",\n  ".join(json.dumps(c) for c in CASES) + "\n ],")
print(' "datasets": [\n  ' + ",\n  ".join(json.dumps(d) for d in DATASETS) + "\n ]}")
