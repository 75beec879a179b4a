#!/usr/bin/env bash
# Back up Closewell's PostgreSQL database, restore the backup into a new database, and prove it whole:
# every table's row count the same as the original's, and the audit trail's hash chain intact on the
# copy (manage.py verify_audit). Then the copy is dropped; the backup file is kept if --keep DIR says.
#
#   scripts/backup-restore-check.sh [DATABASE_URL] [--keep DIR]
#
# DATABASE_URL defaults to the environment's. Needs pg_dump, pg_restore and psql of the server's
# major version (or newer), and a role that may create databases. docs/deployment.md explains.
set -euo pipefail
cd "$(dirname "$0")/.."

SOURCE="${DATABASE_URL:-}"
KEEP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP="$2"; shift 2 ;;
    *) SOURCE="$1"; shift ;;
  esac
done
[ -n "$SOURCE" ] || { echo "Give the database URL (or set DATABASE_URL)." >&2; exit 2; }
case "$SOURCE" in postgres://*|postgresql://*) ;; *) echo "Not a PostgreSQL URL: $SOURCE" >&2; exit 2 ;; esac
PYTHON="${PYTHON:-.venv/bin/python}"

# The same server, another database: the copy, and "postgres" to create and drop it from.
with_db() { "$PYTHON" -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p._replace(path="/" + sys.argv[2]).geturl())' "$1" "$2"; }
COPY_NAME="closewell_restore_check_$$"
COPY="$(with_db "$SOURCE" "$COPY_NAME")"
ADMIN="$(with_db "$SOURCE" postgres)"
WORK="$(mktemp -d)"
DUMP="$WORK/closewell-$(date -u +%Y%m%dT%H%M%SZ).dump"

cleanup() {
  psql -q -X "$ADMIN" -c "DROP DATABASE IF EXISTS \"$COPY_NAME\"" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Row counts of every table, one "table count" a line, sorted: what must come back the same.
counts() {
  psql -q -X -A -t -F ' ' "$1" -c "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name"
}

echo "Backing up with pg_dump (custom format, one consistent snapshot)…"
pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$SOURCE"
echo "Backup: $(du -h "$DUMP" | cut -f1)"
counts "$SOURCE" > "$WORK/source.txt"

echo "Restoring into a new database, $COPY_NAME…"
psql -q -X "$ADMIN" -c "CREATE DATABASE \"$COPY_NAME\"" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$COPY" "$DUMP"
counts "$COPY" > "$WORK/copy.txt"

if ! diff -u "$WORK/source.txt" "$WORK/copy.txt"; then
  echo "FAILED: the restored copy's row counts differ from the original's (above)." >&2
  exit 1
fi
echo "Row counts match: $(wc -l < "$WORK/source.txt") tables, $(awk '{s += $2} END {print s}' "$WORK/source.txt") rows."

echo "Checking the audit trail's hash chain on the copy…"
DATABASE_URL="$COPY" DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}" \
  "$PYTHON" manage.py verify_audit --no-seal

if [ -n "$KEEP" ]; then
  mkdir -p "$KEEP"
  cp "$DUMP" "$KEEP/"
  echo "Backup kept: $KEEP/$(basename "$DUMP")"
fi
echo "OK: the backup restores whole."
