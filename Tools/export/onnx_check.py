"""Checks an ONNX model written by `slope export --to onnx` against Slope's own values.

usage: onnx_check.py MODEL.onnx CASE.json

CASE.json: {"precision": "float32"|"float64", "inputs": {NAME: V}, "expected": {NAME: V}},
values as `slope run --json` writes them (nested arrays; "nan", "inf", "-inf" as strings).
The model must pass onnx.checker (full check, with shape inference), re-serialize to the same
bytes (Slope's encoder writes what the reference implementation writes), and ONNX Runtime's CPU
provider must reproduce every expected output within 1e-5 (float32) or 1e-12 (float64) of the
output's largest magnitude. Prints one line per output; exits 1 on any mismatch.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime

TOLERANCE = {"float32": 1e-5, "float64": 1e-12}
SPECIAL = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def array(value, dtype):
    def convert(v):
        if isinstance(v, list):
            return [convert(x) for x in v]
        return SPECIAL[v] if isinstance(v, str) else v
    return np.array(convert(value), dtype=dtype)


def main(model_path, case_path):
    with open(model_path, "rb") as f:
        data = f.read()
    with open(case_path) as f:
        case = json.load(f)
    model = onnx.load_from_string(data)
    onnx.checker.check_model(model, full_check=True)
    if model.SerializeToString() != data:
        print("mismatch: the model does not re-serialize to the same bytes")
        return 1
    dtype = np.float32 if case["precision"] == "float32" else np.float64
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    feeds = {i.name: array(case["inputs"][i.name], dtype) for i in session.get_inputs()}
    names = [o.name for o in session.get_outputs()]
    results = dict(zip(names, session.run(names, feeds)))
    tolerance = TOLERANCE[case["precision"]]
    failed = False
    for name, value in case["expected"].items():
        want = array(value, np.float64)
        got = results[name].astype(np.float64)
        if got.shape != want.shape:
            print(f"mismatch: {name} has shape {list(got.shape)}, expected {list(want.shape)}")
            failed = True
            continue
        finite = np.isfinite(want)
        specials_agree = np.array_equal(np.isnan(got), np.isnan(want)) and np.array_equal(got[~finite & ~np.isnan(want)], want[~finite & ~np.isnan(want)])
        scale = max(np.max(np.abs(want[finite]), initial=0.0), np.finfo(np.float64).tiny)
        error = np.max(np.abs(got[finite] - want[finite]), initial=0.0) / scale
        ok = specials_agree and error <= tolerance
        failed |= not ok
        print(f"{'ok' if ok else 'mismatch'}: {name} relative error {error:.3g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
