#!/usr/bin/env bash
# Slope's benchmark (issue 8): builds Slope in release mode, generates and verifies the data,
# installs the Python peers into Benchmarks/.venv, builds the native Swift limits, then runs
# bench.py, which times every workload with every system, checks the final numbers and prints
# the markdown tables on stdout (progress on stderr).
#
#   Benchmarks/run.sh [FILTER ...]     FILTER: w1 … w5, matmul, compile (default: everything)
#
# Environment: PYTHON (default python3) makes the venv; SKIP_PEERS=1 skips installing and
# running the Python peers. This is a benchmark, not a test: CI does not run it.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="$BENCH/.venv"
NATIVE="$BENCH/.build-native"

say() { echo "run.sh: $*" >&2; }
die() { echo "run.sh: error: $*" >&2; exit 1; }

for tool in swift swiftc "$PYTHON"; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not on PATH"
done

# 1. Slope, release build.
say "building slope (swift build -c release)"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
# SwiftPM rejects Package.swift when a declared test target has no folder (git does not keep
# empty folders), naming one such folder per attempt; the executable does not need them, so
# create each one it names and try again.
for attempt in $(seq 1 20); do
  if (cd "$ROOT" && swift build -c release --product slope) >"$build_log" 2>&1; then
    break
  fi
  missing="$(grep -o "located under 'Tests/[A-Za-z0-9_]*'" "$build_log" | head -1 | sed "s/.*'\(Tests\/[A-Za-z0-9_]*\)'/\1/" || true)"
  if [ -z "$missing" ] || [ -d "$ROOT/$missing" ] || [ "$attempt" = 20 ]; then
    tail -30 "$build_log" >&2
    die "swift build -c release failed"
  fi
  say "creating the empty folder $missing, which SwiftPM requires for a declared test target"
  mkdir -p "$ROOT/$missing"
done
SLOPE="$(cd "$ROOT" && swift build -c release --product slope --show-bin-path)/slope"
[ -x "$SLOPE" ] || die "no slope executable at $SLOPE"

# 2. The Python environment: numpy is required (it generates the data); torch and jax are not.
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)"
fi
PY="$VENV/bin/python"
pip_install() {  # pip_install PACKAGE MODULE: pip-installs PACKAGE unless MODULE already imports
  local package="$1" module="$2" log="$VENV/pip-$2.log"
  if "$PY" -c "import $module" >/dev/null 2>&1; then return 0; fi
  say "pip install $package (log: $log; torch is large and may take many minutes)"
  if "$PY" -m pip install --disable-pip-version-check "$package" >"$log" 2>&1 \
      && "$PY" -c "import $module" >/dev/null 2>&1; then
    return 0
  fi
  tail -5 "$log" >&2
  return 1
}
pip_install numpy numpy || die "could not install numpy into $VENV (needed to generate the data)"
if [ "${SKIP_PEERS:-0}" != 1 ]; then
  pip_install torch torch || say "PyTorch could not be installed: the PyTorch peer is skipped"
  pip_install "jax[cpu]" jax || say "JAX could not be installed: the JAX peer is skipped"
fi

# 3. Data, verified against WORKLOADS.md's checksums (kept when already right).
say "generating / verifying data"
"$PY" "$BENCH/generate_data.py" >&2 || die "data generation failed"

# 4. Native Swift limits: plain loops, closed-form gradients, one thread.
mkdir -p "$NATIVE"
for src in "$BENCH"/native/w*.swift; do
  name="$(basename "$src" .swift)"
  binary="$NATIVE/$name"
  if [ ! -x "$binary" ] || [ "$src" -nt "$binary" ] || [ "$BENCH/native/Common.swift" -nt "$binary" ]; then
    say "swiftc -Ounchecked native/$name.swift"
    swiftc -Ounchecked -parse-as-library "$BENCH/native/Common.swift" "$src" -o "$binary" \
      || die "could not build native/$name.swift"
  fi
done

# 5. The benchmark itself.
export SLOPE_BENCH_DATA="$BENCH/data"
peer_python=(--peer-python "$PY")
[ "${SKIP_PEERS:-0}" = 1 ] && peer_python=()
say "running the benchmark (this takes a while; progress below)"
rm -f "$build_log"
exec "$PY" "$BENCH/bench.py" --slope "$SLOPE" --native "$NATIVE" "${peer_python[@]}" "$@"
