#!/bin/sh
# Runs SQL on the project's database, SQLite or PostgreSQL, so that
# mk/dbinit.sh, the provisioning scripts and the tests take either.
#
#   mk/dbsql.sh <db> [query]
#
# <db> is an SQLite file (a path, or the cfg's "sqlite://<path>" URL) or the
# cfg's PostgreSQL URL "postgres://user[:password]@[host][:port]/database",
# which libpq's psql reads as it is (an empty host: the local unix socket,
# or the folder in PGHOST; docs/operations.md "Moving to PostgreSQL").
#
# Without [query] the SQL comes from standard input and the first error stops
# it (sqlite3 -bail, psql ON_ERROR_STOP), with a non-zero exit.  With [query]
# the rows are printed one a line, columns separated by "|", no header: the
# same text from both (sqlite3's list mode, psql -At).
set -eu
DB=${1:?usage: mk/dbsql.sh <db-file|sqlite://path|postgres://...> [query]}

case "$DB" in
postgres://* | postgresql://*)
	# -X: no ~/.psqlrc; -q: no command tags on stdout
	if [ $# -gt 1 ]; then
		exec psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$2"
	fi
	exec psql -X -q -v ON_ERROR_STOP=1 -d "$DB"
	;;
sqlite://*) DB=${DB#sqlite://} ;;
*://*)
	echo "mk/dbsql.sh: unsupported database URL '$DB' (sqlite:// or postgres://)" >&2
	exit 2
	;;
esac
if [ $# -gt 1 ]; then
	exec sqlite3 -bail "$DB" "$2"
fi
exec sqlite3 -bail "$DB"
