#!/bin/sh
# Creates the embedded SQLite database of the default cfg if it is missing.
#
#   mk/dbinit.sh <db-file>
#
# Tables: Kamailio's own schemas as Debian ships them (version, usrloc), then
# the project's own (modules/*/sql/*.sql, in name order).  An existing file is
# left as it is: it holds the operator's data.
set -eu
DB=${1:?usage: mk/dbinit.sh <db-file>}
TOP=$(cd "$(dirname "$0")/.." && pwd)
KSQL=/usr/share/kamailio/db_sqlite

[ -s "$DB" ] && exit 0
mkdir -p "$(dirname "$DB")"
# Leftover -wal/-shm files from an earlier database corrupt a new one.
rm -f "$DB-wal" "$DB-shm" "$DB-journal"
tmp="$DB.new.$$"
trap 'rm -f "$tmp"' EXIT
{
	cat "$KSQL/standard-create.sql" "$KSQL/usrloc-create.sql"
	for f in "$TOP"/modules/*/sql/*.sql; do
		[ -f "$f" ] && cat "$f"
	done
} | sqlite3 -bail "$tmp"
mv "$tmp" "$DB"
