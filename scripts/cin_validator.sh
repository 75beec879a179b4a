#!/usr/bin/env bash
# Run DfE's CIN census validator (csc-validator-be-cin, in .venv-validator: `make validator`) on a return.
#   scripts/cin_validator.sh FILE.xml [RULESET]     RULESET defaults to cin2026_27 (census of 31 March 2027)
# Prints DfE's report (user_report.csv) and exits 0 when it is empty (header only), 1 when it lists
# problems, 2 when the validator could not run.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
file="$(realpath "${1:?usage: $0 FILE.xml [RULESET]}")"
ruleset="${2:-cin2026_27}"
python="${CIN_VALIDATOR_PYTHON:-$here/.venv-validator/bin/python}"
[ -x "$python" ] || { echo "No validator: run 'make validator' first." >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The validator writes user_report.csv into the working directory.
(cd "$work" && "$python" -m cin_validator run -r "$ruleset" -o "$file" >"$work/log" 2>&1) || {
  cat "$work/log" >&2; exit 2; }
[ -f "$work/user_report.csv" ] || { cat "$work/log" >&2; exit 2; }
cat "$work/user_report.csv"
[ "$(wc -l <"$work/user_report.csv")" -le 1 ]
