#!/usr/bin/python3
"""Golden values for dev.quiver.rollout.ProportionTest, from SciPy's normal distribution (Debian python3-scipy).

Run with Debian's interpreter: /usr/bin/python3 make_ab_golden.py > ab_golden.json
The two-proportion z-test: two-sided p-value from the pooled standard error; the confidence interval of
pB - pA from the unpooled one; the minimum detectable effect (z_{1-alpha/2} + z_power) * pooled SE.
"""
import json
import math

from scipy.stats import norm

CASES = [
    # nA, successesA, nB, successesB, alpha, power
    (1000, 500, 1000, 550, 0.05, 0.8),
    (1000, 500, 1000, 510, 0.05, 0.8),
    (5000, 4450, 5000, 4100, 0.05, 0.8),
    (200, 30, 180, 45, 0.05, 0.9),
    (10000, 1200, 10000, 1265, 0.01, 0.8),
    (50, 49, 60, 60, 0.05, 0.8),
    (123456, 61000, 120000, 60000, 0.05, 0.8),
]

out = []
for n_a, x_a, n_b, x_b, alpha, power in CASES:
    p_a, p_b = x_a / n_a, x_b / n_b
    diff = p_b - p_a
    pooled = (x_a + x_b) / (n_a + n_b)
    pooled_se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = diff / pooled_se
    p_value = 2 * norm.sf(abs(z))
    z_alpha = norm.ppf(1 - alpha / 2)
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    out.append({
        "n_a": n_a, "successes_a": x_a, "n_b": n_b, "successes_b": x_b, "alpha": alpha, "power": power,
        "difference": diff, "ci_low": diff - z_alpha * se, "ci_high": diff + z_alpha * se, "z": z,
        "p_value": p_value, "minimum_detectable_effect": (z_alpha + norm.ppf(power)) * pooled_se,
        "significant": bool(p_value < alpha),
    })
print(json.dumps({"generator": "make_ab_golden.py, scipy " + __import__("scipy").__version__, "cases": out}, indent=2))
