#!/bin/sh
# Creates the embedded SQLite database of the default cfg, or adds the tables
# it lacks.
#
#   mk/dbinit.sh <db-file>
#
# Tables: Kamailio's own schemas as Debian ships them in
# /usr/share/kamailio/db_sqlite (standard: version; usrloc: location,
# location_attrs; auth_db: subscriber; permissions: trusted, address; each
# file also adds its rows to the version table), then the project's own
# (modules/*/sql/*.sql, in name order).  A schema file is applied only when
# none of the tables it creates exists yet, so an existing database keeps
# the operator's data and gains only what a newer cfg needs.
#
# The database is put in WAL journal mode (persistent in the file): usrloc's
# timer process writes (db_mode 2) while the SIP workers read subscriber
# rows (auth_db) at the same time, and db_sqlite sets no busy timeout, so in
# the default rollback-journal mode a read during a write fails at once
# ("database is locked": the request is challenged again).  In WAL mode
# readers do not wait for the writer.
set -eu
DB=${1:?usage: mk/dbinit.sh <db-file>}
TOP=$(cd "$(dirname "$0")/.." && pwd)
KSQL=/usr/share/kamailio/db_sqlite

schemas() {
	for f in standard usrloc auth_db permissions; do
		echo "$KSQL/$f-create.sql"
	done
	for f in "$TOP"/modules/*/sql/*.sql; do
		[ -f "$f" ] && echo "$f"
	done
	return 0
}

# has_tables <db> <schema file>: does <db> hold any table the file creates?
has_tables() {
	for t in $(sed -n 's/^CREATE TABLE \([A-Za-z0-9_]*\).*/\1/p' "$2"); do
		[ -n "$(sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type='table' AND name='$t';")" ] &&
			return 0
	done
	return 1
}

if [ -s "$DB" ]; then
	for f in $(schemas); do
		has_tables "$DB" "$f" || sqlite3 -bail "$DB" <"$f"
	done
	sqlite3 "$DB" 'PRAGMA journal_mode=WAL;' >/dev/null
	exit 0
fi
mkdir -p "$(dirname "$DB")"
# Leftover -wal/-shm files from an earlier database corrupt a new one.
rm -f "$DB-wal" "$DB-shm" "$DB-journal"
tmp="$DB.new.$$"
trap 'rm -f "$tmp"' EXIT
{
	echo 'PRAGMA journal_mode=WAL;'
	for f in $(schemas); do cat "$f"; done
} | sqlite3 -bail "$tmp" >/dev/null
# a WAL database is a file pair until checkpointed: close it cleanly first
sqlite3 "$tmp" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
mv "$tmp" "$DB"
rm -f "$tmp-wal" "$tmp-shm"
