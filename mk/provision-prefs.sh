#!/bin/sh
# Loads User Preferences Profiles (cpm_pf, seed 4.1) into the database.
#
#   mk/provision-prefs.sh <db-file> <sql-file>...
#
# Each file is SQL on the tables cpm_pref_profile and cpm_pref_active
# (modules/cpm_pf/sql/), e.g. cfg/demo-prefs.sql, which replaces the demo
# users' rows (idempotent).  A running Kamailio reads them after the RPC
# cpm_pf.prefs_reload.
set -eu
DB=${1:?usage: mk/provision-prefs.sh <db-file> <sql-file>...}
shift
[ $# -gt 0 ] || { echo "usage: mk/provision-prefs.sh <db-file> <sql-file>..." >&2; exit 2; }
for f in "$@"; do
	sqlite3 -bail "$DB" <"$f"
done
