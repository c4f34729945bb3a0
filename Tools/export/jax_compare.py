"""Compares the JSON of an exported JAX module with `slope run --json`.

usage: jax_compare.py EXPECTED.json ACTUAL.json [TOLERANCE]

Both files hold one JSON object of `slope run --json`'s form; "time" is ignored. The structure
(printed expressions, param names, training targets, methods and steps) must be equal and every
number within TOLERANCE (default 1e-9) of the larger magnitude of the tensor it belongs to.
Prints what differs; exits 1 if anything does.
"""
import json
import sys

import numpy as np

SPECIAL = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def array(value):
    def convert(v):
        if isinstance(v, list):
            return [convert(x) for x in v]
        return SPECIAL[v] if isinstance(v, str) else v
    return np.array(convert(value), dtype=np.float64)


def close(a, b, tolerance):
    a, b = array(a), array(b)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    finite = np.isfinite(b)
    if not np.array_equal(a[~finite & ~np.isnan(b)], b[~finite & ~np.isnan(b)]):
        return False
    scale = max(np.max(np.abs(b[finite]), initial=0.0), np.finfo(np.float64).tiny)
    return np.max(np.abs(a[finite] - b[finite]), initial=0.0) <= tolerance * scale


def main(expected_path, actual_path, tolerance):
    with open(expected_path) as f:
        expected = json.load(f)
    with open(actual_path) as f:
        actual = json.load(f)
    problems = []
    if [p["expr"] for p in expected["prints"]] != [p["expr"] for p in actual["prints"]]:
        problems.append("printed expressions differ")
    else:
        for e, a in zip(expected["prints"], actual["prints"]):
            if not close(a["value"], e["value"], tolerance):
                problems.append(f"print {e['expr']}: {a['value']} != {e['value']}")
    if list(expected["params"]) != list(actual["params"]):
        problems.append("param names differ")
    else:
        for name in expected["params"]:
            if not close(actual["params"][name], expected["params"][name], tolerance):
                problems.append(f"param {name}: {actual['params'][name]} != {expected['params'][name]}")
    for e, a in zip(expected["train"], actual["train"]):
        for key in ("target", "method", "steps"):
            if e[key] != a[key]:
                problems.append(f"train {key}: {a[key]} != {e[key]}")
        for key in ("initial", "final"):
            if not close(a[key], e[key], tolerance):
                problems.append(f"train {e['target']} {key}: {a[key]} != {e[key]}")
    if len(expected["train"]) != len(actual["train"]):
        problems.append("training statements differ")
    for problem in problems:
        print("mismatch: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 1e-9))
