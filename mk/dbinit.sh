#!/bin/sh
# Creates the database of the default cfg, or adds the tables it lacks:
# the embedded SQLite file, or a PostgreSQL database that exists already.
#
#   mk/dbinit.sh <db-file>                 SQLite (also "sqlite://<path>")
#   mk/dbinit.sh postgres://user@host/db   PostgreSQL: the cfg's DBURL, as
#                                          psql reads it (mk/dbsql.sh)
#
# Tables: Kamailio's own schemas as Debian ships them in
# /usr/share/kamailio/db_sqlite, or /usr/share/kamailio/postgres (package
# kamailio-postgres-modules) for PostgreSQL (standard: version; usrloc:
# location, location_attrs; auth_db: subscriber; permissions: trusted,
# address; each file also adds its rows to the version table), then the
# project's own: modules/*/sql/*.sql for SQLite, modules/*/sql/postgres/*.sql
# for PostgreSQL, in name order.  A schema file is applied only when none of
# the tables it creates exists yet, so an existing database keeps the
# operator's data and gains only what a newer cfg needs.  On PostgreSQL each
# file is loaded in one transaction (BEGIN ... COMMIT): a failing file
# leaves nothing half made.  Creating the PostgreSQL database and its role
# is the operator's step (docs/operations.md "Moving to PostgreSQL").
#
# The SQLite database is put in WAL journal mode (persistent in the file):
# usrloc's timer process writes (db_mode 2) while the SIP workers read
# subscriber rows (auth_db) at the same time, and db_sqlite sets no busy
# timeout, so in the default rollback-journal mode a read during a write
# fails at once ("database is locked": the request is challenged again).  In
# WAL mode readers do not wait for the writer.
set -eu
DB=${1:?usage: mk/dbinit.sh <db-file|sqlite://path|postgres://user@host/db>}
TOP=$(cd "$(dirname "$0")/.." && pwd)
DBSQL="$TOP/mk/dbsql.sh"

case "$DB" in
postgres://* | postgresql://*)
	KSQL=/usr/share/kamailio/postgres
	OWN=sql/postgres
	# the table named %s in the connection's current schema
	TABLE_Q="SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = '%s'"
	;;
*)
	DB=${DB#sqlite://}
	KSQL=/usr/share/kamailio/db_sqlite
	OWN=sql
	TABLE_Q="SELECT name FROM sqlite_master WHERE type='table' AND name='%s'"
	;;
esac

schemas() {
	for f in standard usrloc auth_db permissions; do
		echo "$KSQL/$f-create.sql"
	done
	for f in "$TOP"/modules/*/$OWN/*.sql; do
		[ -f "$f" ] && echo "$f"
	done
	return 0
}

# has_tables <db> <schema file>: does <db> hold any table the file creates?
has_tables() {
	for t in $(sed -n 's/^CREATE TABLE \([A-Za-z0-9_]*\).*/\1/p' "$2"); do
		# shellcheck disable=SC2059
		[ -n "$(sh "$DBSQL" "$1" "$(printf "$TABLE_Q" "$t")")" ] && return 0
	done
	return 1
}

case "$DB" in
postgres://* | postgresql://*)
	[ -f "$KSQL/standard-create.sql" ] || {
		echo "dbinit: $KSQL missing: install kamailio-postgres-modules" >&2
		exit 1
	}
	for f in $(schemas); do
		has_tables "$DB" "$f" ||
			{ echo "BEGIN;"; cat "$f"; echo "COMMIT;"; } | sh "$DBSQL" "$DB" ||
			{ echo "dbinit: loading $f into $DB failed" >&2; exit 1; }
	done
	exit 0
	;;
esac

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
