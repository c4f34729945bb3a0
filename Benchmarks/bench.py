#!/usr/bin/env python3
"""The benchmark driver behind run.sh: runs every workload with Slope, the native Swift limits and
the Python peers, checks their final numbers against WORKLOADS.md's references, and prints the
markdown tables on stdout (progress and problems go to stderr).

Usage (run.sh prepares the build, the data, the venv and the native binaries first):
    bench.py --slope PATH --native DIR [--peer-python PATH] [FILTER ...]
FILTER selects items by name or prefix: w1 … w5, matmul, compile (default: all of them).

Timing: in-process times are medians of 3 runs inside one process (for Slope, the `run` phase of
`slope run --time --json --quiet`; for every peer and native program, wall time around the work
only). Whole-process times are medians of 3 separate processes, wall time from start to exit;
Slope's whole process is the same 3 runs, the others run with `--once` (JAX: the first call
only, so trace and compile are included, as Slope's parse and compile are).
Exit status: 0 when every result that ran matched, 1 when a result was wrong or a run failed
unexpectedly, 2 for a bad command line.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["w1", "w2", "w3", "w4", "w5"]
ITEMS = WORKLOADS + ["matmul", "compile"]
TIMEOUT = 3600  # seconds per process; a run that takes longer is a failure, not a hang
RUNS = 3
RELATIVE = 1e-9

GRAPHS = {
    "w1": "workloads/w1_linreg.graph",
    "w2": "workloads/w2_logistic.graph",
    "w3": "workloads/w3_mlp.graph",
    "w4": "workloads/w4_scalar.graph",
    "w5": "workloads/w5_newton.graph",
    "matmul": "workloads/matmul.graph",
}
NATIVE = {"w1": "w1_linreg", "w2": "w2_logistic", "w3": "w3_mlp", "w4": "w4_scalar",
          "w5": "w5_newton"}
TITLES = {"w1": "W1 linreg", "w2": "W2 logistic", "w3": "W3 mlp", "w4": "W4 scalar",
          "w5": "W5 newton"}

# The names of the values each program prints, in order, and WORKLOADS.md's reference values.
VALUES = {
    "w1": ["m", "b", "cost"],
    "w2": ["loss", "accuracy", "w1", "w2", "b"],
    "w3": ["loss", "accuracy"],
    "w4": ["sum_f", "sum_fx", "sum_fy"],
    "w5": ["converged", "sum_x", "sum_y"],
    "matmul": ["sum"],
}
REFERENCE = {
    "w1": {"m": 2.99971449230604, "b": 2.00011457745664, "cost": 0.0100096097677796},
    "w2": {"loss": 0.159247596012713, "accuracy": 0.93244, "w1": 5.07369997326993,
           "w2": -7.73108226454093, "b": 1.29661467503097},
    "w3": {"loss": 0.187180437213105, "accuracy": 0.9251708984375},
    "w4": {"sum_f": 81403847.7012412, "sum_fx": 8169.8643674692, "sum_fy": 1475.88246171392},
    "w5": {"converged": 100000, "sum_x": 400000.0, "sum_y": 400000.0},
}
EXACT = {("w5", "converged")}
MATMUL_FLOP = 2 * 2048 ** 3
CHAIN_SIZES = [100000, 200000]

# Systems, in table order: key, column title, how to run it.
PEERS = [
    ("numpy", "NumPy", "numpy_peer.py", None),
    ("torch", "PyTorch", "torch_peer.py", None),
    ("torch1", "PyTorch 1 thread", "torch_peer.py", 1),
    ("jax", "JAX jit (warm)", "jax_peer.py", None),
]


def log(message):
    print(message, file=sys.stderr, flush=True)


class Result:
    """One system on one workload: medians, values, and what went wrong if anything."""

    def __init__(self, system):
        self.system = system
        self.inproc = None      # median in-process seconds
        self.whole = None       # median whole-process seconds
        self.first = None       # JAX: median first call (trace + compile + run) seconds
        self.values = None
        self.status = None      # None when it ran; else a short text for the table
        self.detail = None      # the longer story for the problems list
        self.wrong = []         # (name, got, reference, relative error)
        self.extra = {}         # Slope: phase medians; peers: threads, version


def run_process(cmd, env=None):
    """Runs cmd; returns (exit status, stdout, stderr, wall seconds)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, env=env,
                              cwd=HERE)
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {TIMEOUT} s", time.perf_counter() - start
    return proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - start


def last_lines(text, n=6):
    return "\n".join(text.strip().splitlines()[-n:])


def check(workload, result):
    """Compares result.values with the reference; records mismatches."""
    ref = REFERENCE.get(workload)
    if ref is None or result.values is None:
        return
    for name, want in ref.items():
        got = result.values.get(name)
        if got is None:
            result.wrong.append((name, None, want, None))
            continue
        if (workload, name) in EXACT:
            if got != want:
                result.wrong.append((name, got, want, None))
            continue
        rel = abs(got - want) / max(abs(want), 1e-300)
        if not rel <= RELATIVE:  # also catches NaN
            result.wrong.append((name, got, want, rel))


def as_number(v):
    return float(v) if isinstance(v, str) else v  # "nan", "inf", "-inf"


def run_slope(slope, workload, path=None):
    """RUNS runs of `slope run FILE --json --time --quiet`; both timings come from each run."""
    result = Result("slope")
    graph = path or os.path.join(HERE, GRAPHS[workload])
    runs, walls = [], []
    for _ in range(RUNS):
        status, out, err, wall = run_process([slope, "run", graph, "--json", "--time", "--quiet"])
        if status != 0:
            text = last_lines(err)
            if "newton" in err and ("limit" in err or "Hessian" in err):
                result.status = "not yet supported"
            else:
                result.status = "FAILED" if status is not None else "TIMEOUT"
            result.detail = f"slope run {os.path.relpath(graph, HERE)} exited {status}:\n{text}"
            return result
        try:
            runs.append(json.loads(out))
        except json.JSONDecodeError as error:
            result.status, result.detail = "FAILED", f"slope printed no JSON ({error}):\n{out[:300]}"
            return result
        walls.append(wall)
    prints = runs[-1]["prints"]
    names = VALUES.get(workload, [])
    result.values = {n: as_number(p["value"]) for n, p in zip(names, prints)}
    for phase in ("parse", "compile", "load", "run"):
        result.extra[phase] = statistics.median(r["time"][phase] for r in runs)
    result.inproc = result.extra["run"]
    result.whole = statistics.median(walls)
    check(workload, result)
    return result


def run_program(system, cmd, workload, env=None):
    """A peer or native program: one process of 3 in-process runs, then 3 `--once` processes."""
    result = Result(system)
    status, out, err, _ = run_process(cmd + [workload] if workload else cmd, env)
    if status != 0:
        result.status = "FAILED" if status is not None else "TIMEOUT"
        result.detail = f"{' '.join(cmd)} exited {status}:\n{last_lines(err)}"
        return result
    try:
        report = json.loads(out.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError) as error:
        result.status, result.detail = "FAILED", f"{' '.join(cmd)} printed no JSON ({error})"
        return result
    result.values = report["values"]
    result.inproc = report["median"]
    result.first = report.get("first")
    result.extra = {k: report.get(k) for k in ("threads", "version")}
    walls = []
    for _ in range(RUNS):
        status, _, err, wall = run_process(cmd + ([workload] if workload else []) + ["--once"], env)
        if status != 0:
            result.status = "FAILED"
            result.detail = f"{' '.join(cmd)} --once exited {status}:\n{last_lines(err)}"
            return result
        walls.append(wall)
    result.whole = statistics.median(walls)
    check(workload, result)
    return result


def peer_command(python, script, threads):
    cmd = [python, os.path.join(HERE, "peers", script)]
    env = dict(os.environ)
    if threads is not None:
        cmd += ["--threads", str(threads)]
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return cmd, env


def available_peers(python):
    """The peers whose library imports in the venv; a message for each one that does not."""
    found = {}
    for key, module in (("numpy", "numpy"), ("torch", "torch"), ("jax", "jax")):
        if python is None:
            found[key] = False
            continue
        status = subprocess.run([python, "-c", f"import {module}"], capture_output=True,
                                text=True).returncode
        found[key] = status == 0
        if status != 0:
            log(f"bench: {module} is not importable with {python}: the {module} peer is skipped")
    found["torch1"] = found["torch"]
    return found


# ---------------------------------------------------------------------------------- formatting

def seconds(t):
    if t is None:
        return "—"
    if t >= 100:
        return f"{t:.0f}"
    if t >= 10:
        return f"{t:.1f}"
    if t >= 1:
        return f"{t:.2f}"
    if t >= 0.001:
        return f"{t:.3f}" if t >= 0.1 else f"{t:.4f}"
    return f"{t:.6f}"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.2f}" if r < 10 else (f"{r:.1f}" if r < 100 else f"{r:.0f}")


def cell(result, attr):
    """A time cell: the time, or why there is none; wrong numbers are marked."""
    if result is None:
        return "skipped"
    if result.status:
        return result.status
    text = seconds(getattr(result, attr))
    return text + " (wrong)" if result.wrong else text


def ok_time(result, attr):
    if result is None or result.status or result.wrong:
        return None
    return getattr(result, attr)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor() or "unknown"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, {platform.system()} {platform.release()}", load


def git_commit():
    try:
        out = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True)
        dirty = subprocess.run(["git", "-C", HERE, "status", "--porcelain", "--", ".."],
                               capture_output=True, text=True).stdout.strip()
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------------- benchmarks

def workload_tables(rows, columns, torch_threads):
    """The in-process and whole-process tables for the workloads that ran."""
    titles = []
    for key, title in columns:
        if key == "torch" and torch_threads:
            title = f"PyTorch ({torch_threads} threads)"
        titles.append((key, title))
    lines = ["### In-process time (median of 3 runs in one process, seconds)", ""]
    head = ["workload", "Slope"] + [t for _, t in titles] + ["JAX first call"]
    head += [f"Slope ÷ {t}" for _, t in titles]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for w, res in rows:
        slope = res["slope"]
        row = [TITLES[w], cell(slope, "inproc")]
        row += [cell(res.get(k), "inproc") for k, _ in titles]
        jax = res.get("jax")
        row.append(cell(jax, "first") if jax is not None else "skipped")
        row += [ratio(ok_time(slope, "inproc"), ok_time(res.get(k), "inproc")) for k, _ in titles]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "### Whole-process time (median of 3 processes, start to exit, seconds)", ""]
    head = ["workload", "Slope"] + [t.replace(" (warm)", " (first call)") for _, t in titles]
    head += [f"Slope ÷ {t.replace(' (warm)', '')}" for _, t in titles]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" + "---:|" * (len(head) - 1)]
    for w, res in rows:
        slope = res["slope"]
        row = [TITLES[w], cell(slope, "whole")] + [cell(res.get(k), "whole") for k, _ in titles]
        row += [ratio(ok_time(slope, "whole"), ok_time(res.get(k), "whole")) for k, _ in titles]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "### Slope's phases (median seconds of the same 3 runs)", "",
              "| workload | parse | compile | load | run |", "|---|---:|---:|---:|---:|"]
    for w, res in rows:
        slope = res["slope"]
        if slope.status:
            lines.append(f"| {TITLES[w]} | {slope.status} | | | |")
        else:
            lines.append(f"| {TITLES[w]} | " + " | ".join(
                seconds(slope.extra[p]) for p in ("parse", "compile", "load", "run")) + " |")
    return lines


def matmul_table(res):
    lines = ["### Matmul: one 2048×2048 float64 product (median of 3)", "",
             "| system | seconds | GFLOP/s | Slope's GFLOP/s as a share of it |", "|---|---:|---:|---:|"]
    slope_rate = None
    slope = res["slope"]
    if not slope.status and slope.inproc:
        slope_rate = MATMUL_FLOP / slope.inproc / 1e9
    names = [("slope", "Slope (run phase)"), ("numpy", "NumPy"), ("torch", "PyTorch"),
             ("torch1", "PyTorch 1 thread"), ("jax", "JAX jit (warm)")]
    for key, title in names:
        r = res.get(key)
        if r is None:
            lines.append(f"| {title} | skipped | | |")
            continue
        if r.status:
            lines.append(f"| {title} | {r.status} | | |")
            continue
        rate = MATMUL_FLOP / r.inproc / 1e9
        share = "—" if key == "slope" or slope_rate is None else f"{100 * slope_rate / rate:.0f}%"
        lines.append(f"| {title} | {seconds(r.inproc)} | {rate:.1f} | {share} |")
    lines.append("")
    lines.append("(The time includes the sum of the product, 4M additions; the systems draw "
                 "different random matrices, so their sums are not compared.)")
    return lines


def chain_program(nodes):
    """A program of `nodes` chained forward nodes: x, then nodes/2 of `t_k = sin(t_{k-1}) + x`,
    printing the end of the chain and its derivative (so reverse mode runs over all of it)."""
    path = os.path.join(HERE, "data", f"chain_{nodes}.graph")
    if not os.path.exists(path):
        half = nodes // 2
        with open(path + ".tmp", "w") as f:
            f.write(f"# generated by bench.py: {nodes} chained nodes\nparam x = 0.5\nt0 = x\n")
            for k in range(1, half + 1):
                f.write(f"t{k} = sin(t{k - 1}) + x\n")
            f.write(f"print t{half}, grad(t{half}, x)\n")
        os.replace(path + ".tmp", path)
    return path


def compile_table(slope):
    lines = ["### Compile time: generated chains `t_k = sin(t_k-1) + x`, printing the end and "
             "its gradient (median of 3)", "",
             "| nodes | parse | compile (lower, optimize, differentiate, plan) | parse + compile "
             "| ÷ first size | `slope run` whole process | `slope ir` whole process |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    problems = []
    base = None
    for nodes in CHAIN_SIZES:
        path = chain_program(nodes)
        res = run_slope(slope, "compile", path)
        if res.status:
            problems.append(res.detail)
            lines.append(f"| {nodes:,} | {res.status} | | | | | |")
            continue
        walls = []
        for _ in range(RUNS):
            status, _, err, wall = run_process([slope, "ir", path])
            if status != 0:
                problems.append(f"slope ir {path} exited {status}:\n{last_lines(err)}")
                break
            walls.append(wall)
        ir = seconds(statistics.median(walls)) if len(walls) == RUNS else "FAILED"
        p, c = res.extra["parse"], res.extra["compile"]
        base = base or p + c
        lines.append(f"| {nodes:,} | {seconds(p)} | {seconds(c)} | {seconds(p + c)} "
                     f"| {(p + c) / base:.2f} | {seconds(res.whole)} | {ir} |")
        log(f"  compile {nodes}: parse {p:.3f} s, compile {c:.3f} s, ir {ir} s")
    # The second shape: 20 Newton steps of the sauna unrolled through fns of nested grads
    # (workloads/compile_newton20.graph): many small derivatives at the end of a growing graph.
    res = run_slope(slope, "compile", os.path.join(HERE, "workloads", "compile_newton20.graph"))
    lines += ["", "| program | parse | compile | parse + compile | `slope run` whole process |",
              "|---|---:|---:|---:|---:|"]
    if res.status:
        problems.append(res.detail)
        lines.append(f"| 20 Newton steps through nested-grad fns | {res.status} | | | |")
    else:
        p, c = res.extra["parse"], res.extra["compile"]
        lines.append(f"| 20 Newton steps through nested-grad fns | {seconds(p)} | {seconds(c)} | {seconds(p + c)} "
                     f"| {seconds(res.whole)} |")
        log(f"  compile newton20: parse {p:.3f} s, compile {c:.3f} s")
    return lines, problems


def selected(filters):
    if not filters:
        return ITEMS
    chosen = []
    for f in filters:
        for part in f.lower().split(","):
            match = [i for i in ITEMS if i.startswith(part) or part.startswith(i)]
            if not part or not match:
                print(f"bench: unknown workload filter '{part}' (choose from {', '.join(ITEMS)})",
                      file=sys.stderr)
                sys.exit(2)
            chosen += [m for m in match if m not in chosen]
    return [i for i in ITEMS if i in chosen]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slope", required=True, help="the slope executable")
    parser.add_argument("--native", required=True, help="the folder of native binaries")
    parser.add_argument("--peer-python", help="the python with numpy/torch/jax (the venv's)")
    parser.add_argument("filters", nargs="*", help="w1 … w5, matmul, compile (default: all)")
    args = parser.parse_args()
    items = selected(args.filters)
    have = available_peers(args.peer_python)
    machine_text, load_before = machine()
    started = datetime.datetime.now().astimezone()

    rows, problems, wrong, unexpected = [], [], False, False
    matmul_res, torch_threads, versions = None, None, {}
    for item in items:
        if item == "compile":
            continue
        log(f"bench: {item}")
        res = {"slope": run_slope(args.slope, item)}
        log(f"  slope: {res['slope'].status or seconds(res['slope'].inproc) + ' s'}")
        if item in NATIVE:
            binary = os.path.join(args.native, NATIVE[item])
            res["native"] = run_program("native", [binary], None)
            log(f"  native: {res['native'].status or seconds(res['native'].inproc) + ' s'}")
        for key, _, script, threads in PEERS:
            if not have.get(key):
                continue
            cmd, env = peer_command(args.peer_python, script, threads)
            r = run_program(key, cmd, item, env)
            res[key] = r
            if key == "torch" and r.extra.get("threads"):
                torch_threads = r.extra["threads"]
            if r.extra.get("version"):
                versions[key.rstrip("1")] = r.extra["version"]
            log(f"  {key}: {r.status or seconds(r.inproc) + ' s'}"
                + (f" (first call {seconds(r.first)} s)" if r.first else ""))
        for key, r in res.items():
            if r.status and r.status != "not yet supported":
                unexpected = True
            if r.detail:
                problems.append(f"{item} {key}: {r.status}: {r.detail}")
            for name, got, want, rel in r.wrong:
                wrong = True
                problems.append(f"{item} {key}: {name} = {got!r}, reference {want!r}"
                                + (f" (relative error {rel:.2e})" if rel is not None else ""))
        if item == "matmul":
            matmul_res = res
        else:
            rows.append((item, res))

    columns = [("native", "native Swift")] + [(k, t) for k, t, _, _ in PEERS]
    out = [f"## Slope benchmark — {started:%Y-%m-%d %H:%M %Z}", "",
           f"- Machine: {machine_text}",
           f"- Load average before the run: {load_before}; after: "
           + " ".join(f"{x:.2f}" for x in os.getloadavg()),
           f"- Slope commit {git_commit()}, `swift build -c release`; native Swift loops "
           "built with `swiftc -Ounchecked`, one thread",
           "- Peers: " + (", ".join(f"{k} {v}" for k, v in sorted(versions.items())) or "none"),
           f"- Checked against WORKLOADS.md's reference values (relative {RELATIVE:g}; W5's count "
           "exactly); \"(wrong)\" marks a time whose numbers disagree. Ratios above 1 mean Slope "
           "is slower.", ""]
    if rows:
        out += workload_tables(rows, columns, torch_threads) + [""]
    if matmul_res:
        out += matmul_table(matmul_res) + [""]
    if "compile" in items:
        log("bench: compile")
        lines, chain_problems = compile_table(args.slope)
        out += lines + [""]
        if chain_problems:
            unexpected = True
            problems += chain_problems
    if problems:
        out += ["### Problems and notes", ""] + ["- " + p.replace("\n", "\n  ") for p in problems] + [""]
    print("\n".join(out))
    for p in problems:
        log("bench: " + p)
    if wrong or unexpected:
        log("bench: FAILED: some results disagree with the reference or some runs failed "
            "(see 'Problems and notes' above)")
        sys.exit(1)


if __name__ == "__main__":
    main()
