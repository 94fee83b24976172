#!/bin/sh
# Provisions SIP users into the subscriber table (auth_db) of the database.
#
#   mk/provision.sh <db> <realm> <users-file>...
#
# <db>: the SQLite file, or the cfg's postgres:// DBURL (mk/dbsql.sh).
#
# A users file holds one "user password" per line; blank lines and lines
# starting with # are skipped.  Each user is inserted or updated (so a run is
# idempotent, and a changed password or realm takes effect) with
#   domain = realm
#   ha1    = MD5(user:realm:password)          (RFC 2617 A1)
#   ha1b   = MD5(user@realm:realm:password)
# and an empty password column: the cfg runs auth_db with calculate_ha1=0,
# so no plain-text password is stored.  The realm must be the one the cfg
# challenges with: the served domain, i.e. the listen address SIP_ADDR.
# Users not named in the files are left alone.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
DB=${1:?usage: mk/provision.sh <db> <realm> <users-file>...}
REALM=${2:?usage: mk/provision.sh <db> <realm> <users-file>...}
shift 2
[ $# -gt 0 ] || { echo "usage: mk/provision.sh <db> <realm> <users-file>..." >&2; exit 2; }

md5() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }

for f in "$@"; do
	n=0
	while read -r user pass rest || [ -n "${user:-}" ]; do
		n=$((n + 1))
		case "$user" in "" | "#"*) continue ;; esac
		# user part of a SIP URI, no quoting needed in SQL or sipp
		if ! printf '%s' "$user" | grep -qxE '[A-Za-z0-9._~-]+' ||
			[ -z "$pass" ] || [ -n "$rest" ] || printf '%s' "$pass" | grep -q "'"; then
			echo "$f:$n: expected \"user password\" (user: letters, digits, . _ ~ -; password without quotes or spaces)" >&2
			exit 1
		fi
		echo "INSERT INTO subscriber (username, domain, password, ha1, ha1b)
 VALUES ('$user', '$REALM', '', '$(md5 "$user:$REALM:$pass")', '$(md5 "$user@$REALM:$REALM:$pass")')
 ON CONFLICT (username, domain) DO UPDATE SET password = excluded.password,
 ha1 = excluded.ha1, ha1b = excluded.ha1b;"
	done <"$f"
done | { echo "BEGIN;"; cat; echo "COMMIT;"; } | sh "$TOP/mk/dbsql.sh" "$DB"
