#!/usr/bin/env bash
# The CSV parser alone (issue 15): builds Benchmarks/csv/main.swift with the SlopeCore files
# that read CSV (swiftc -O -wmo, as the release build compiles them) and runs it on the data
# files, printing MB/s per file. Generate the data first (generate_data.py, or run.sh).
#
#   Benchmarks/csv_parse.sh [FILE.csv ...]     default: every Benchmarks/data/*.csv
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IO="$BENCH/../Sources/SlopeCore/IO"
OUT="$BENCH/.build-csv"
mkdir -p "$OUT"
swiftc -O -wmo -parse-as-library -module-name SlopeCore -o "$OUT/csv_parse" \
  "$IO/CSVTable.swift" "$IO/CSVFieldReader.swift" "$IO/CSVColumnBuilder.swift" \
  "$IO/DecimalParser.swift" "$IO/FileInput.swift" "$BENCH/csv/main.swift"
if [ "$#" -eq 0 ]; then set -- "$BENCH"/data/*.csv; fi
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/csv_parse" "$@"
