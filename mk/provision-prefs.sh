#!/bin/sh
# Loads User Preferences Profiles (cpm_pf, seed 4.1) into the database.
#
#   mk/provision-prefs.sh <db> <sql-file>...
#
# <db>: the SQLite file, or the cfg's postgres:// DBURL (mk/dbsql.sh).
#
# Each file is SQL on the tables cpm_pref_profile and cpm_pref_active
# (modules/cpm_pf/sql/), e.g. cfg/demo-prefs.sql, which replaces the demo
# users' rows (idempotent).  A running Kamailio reads them after the RPC
# cpm_pf.prefs_reload.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DB=${1:?usage: mk/provision-prefs.sh <db> <sql-file>...}
shift
[ $# -gt 0 ] || { echo "usage: mk/provision-prefs.sh <db> <sql-file>..." >&2; exit 2; }
for f in "$@"; do
	sh "$TOP/mk/dbsql.sh" "$DB" <"$f"
done
