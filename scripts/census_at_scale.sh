#!/usr/bin/env bash
# The CIN census at scale (issue 5): generate a caseload into a throwaway SQLite database, export the
# census, check the file against DfE's schema and run all of DfE's rules on it; print counts and times.
#   scripts/census_at_scale.sh [CHILDREN]          CHILDREN defaults to 100000
# Environment: SEED (0), YEAR (the current census year), JOBS (2: processes reading the XML for DfE's
# rules), CHECK_READER=1 (also run DfE's own, quadratic, reader on the whole file and compare: only
# for a few thousand children), KEEP=1 (keep the working directory), WORK (where to work; default a
# new directory under /tmp). Needs `make setup validator`. Exit 0 only when the file is valid, DfE's
# report is empty, no rule failed to run and there is no return-level query.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
children="${1:-100000}"
seed="${SEED:-0}"
jobs="${JOBS:-2}"
if [ -z "${YEAR:-}" ]; then
  # The census that counts today: the year ending on the next 31 March.
  YEAR=$(($(date +%Y) + ($(date +%-m) >= 4 ? 1 : 0)))
fi
ruleset="cin$((YEAR - 1))_$((YEAR % 100))"
app="$here/.venv/bin/python"
dfe="$here/.venv-validator/bin/python"
[ -x "$app" ] && [ -x "$dfe" ] || { echo "Run 'make setup validator' first." >&2; exit 2; }

work="${WORK:-$(mktemp -d /tmp/census-at-scale.XXXXXX)}"
mkdir -p "$work"
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$work"' EXIT
export DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL="sqlite:///$work/census.sqlite3"
xml="$work/census-$YEAR.xml"
cd "$here"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

echo "== $children children, seed $seed, census $YEAR ($ruleset), in $work"
echo "generating (about 15 minutes per 100,000 children on two cores)"
t=$(now)
"$app" manage.py migrate --noinput >/dev/null
"$app" manage.py generate_caseload --children "$children" --seed "$seed" 2>/dev/null | tail -1
generate_s=$(since "$t")

t=$(now)
"$app" manage.py export_cin_census --year "$YEAR" --output "$xml"
export_s=$(since "$t")
size=$(stat -c %s "$xml")

t=$(now)
xsd_rc=0
"$app" - "$xml" <<'EOF' || xsd_rc=$?
import sys
from pathlib import Path

from lxml import etree

xsd = etree.XMLSchema(etree.parse(str(Path("closewell/census/reference/CIN_schema_2026.xsd"))))
doc = etree.parse(sys.argv[1], etree.XMLParser(huge_tree=True))
ok = xsd.validate(doc)
print(f"XSD: {'valid' if ok else 'INVALID'}, {len(doc.findall('Children/Child'))} children")
for error in list(xsd.error_log)[:20]:
    print(f"  line {error.line}: {error.message}")
sys.exit(0 if ok else 1)
EOF
xsd_s=$(since "$t")

t=$(now)
dfe_rc=0
"$dfe" -W ignore scripts/cin_validator_large.py "$xml" --ruleset "$ruleset" --jobs "$jobs" \
  --report "$work/user_report.csv" --summary "$work/dfe.json" ${CHECK_READER:+--check-reader} || dfe_rc=$?
dfe_s=$(since "$t")

cat <<EOF
== Summary
children generated:   $children (seed $seed) in ${generate_s}s
census $YEAR file:      $(grep -c '<Child>' "$xml") children, $((size / 1024 / 1024)) MB ($size bytes), exported in ${export_s}s
XSD:                  $([ "$xsd_rc" = 0 ] && echo valid || echo INVALID) in ${xsd_s}s
DfE $ruleset:     $([ "$dfe_rc" = 0 ] && echo "empty report" || echo "PROBLEMS (exit $dfe_rc)") in ${dfe_s}s
EOF
[ "${KEEP:-}" = 1 ] && echo "kept: $work (DfE's report: $work/user_report.csv)"
[ "$xsd_rc" = 0 ] && [ "$dfe_rc" = 0 ]
