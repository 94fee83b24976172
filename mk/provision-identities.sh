#!/bin/sh
# Provisions users' CPM Addresses (seed 6.1) into the cpm_identity table of
# cpm_pf (modules/cpm_pf/sql/cpm_identity.sql).
#
#   mk/provision-identities.sh <db> <domain> <identities-file>...
#
# <db>: the SQLite file, or the cfg's postgres:// DBURL (mk/dbsql.sh).
#
# An identities file holds one "user [uri]... [no-anonymity]" per line;
# blank lines and lines starting with # are skipped.  Each user's rows are
# replaced: sip:<user>@<domain> (the default identity), then each URI listed
# (a SIP or TEL URI); "no-anonymity" sets allow_anonymity = 0 on all of the
# user's rows (operator policy: Privacy id refused with Warning 119).
# Users not named in the files are left alone.  A running Kamailio reads
# the change after `kamcmd cpm_pf.identity_reload`.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
U="usage: mk/provision-identities.sh <db> <domain> <identities-file>..."
DB=${1:?$U}
DOMAIN=${2:?$U}
shift 2
[ $# -gt 0 ] || { echo "$U" >&2; exit 2; }

for f in "$@"; do
	n=0
	while read -r user rest || [ -n "${user:-}" ]; do
		n=$((n + 1))
		case "$user" in "" | "#"*) continue ;; esac
		if ! printf '%s' "$user" | grep -qxE '[A-Za-z0-9._~-]+'; then
			echo "$f:$n: bad user name '$user'" >&2
			exit 1
		fi
		anon=1
		uris="sip:$user@$DOMAIN"
		for w in $rest; do
			case "$w" in
			no-anonymity) anon=0 ;;
			sip:*@* | tel:+[0-9]*)
				if printf '%s' "$w" | grep -q "'"; then
					echo "$f:$n: quote in URI" >&2
					exit 1
				fi
				uris="$uris $w" ;;
			*) echo "$f:$n: expected a sip: or tel: URI or no-anonymity, not '$w'" >&2; exit 1 ;;
			esac
		done
		echo "DELETE FROM cpm_identity WHERE username = '$user';"
		def=1
		for u in $uris; do
			echo "DELETE FROM cpm_identity WHERE uri = '$u';"
			echo "INSERT INTO cpm_identity (username, uri, is_default, allow_anonymity)
 VALUES ('$user', '$u', $def, $anon);"
			def=0
		done
	done <"$f"
done | { echo "BEGIN;"; cat; echo "COMMIT;"; } | sh "$TOP/mk/dbsql.sh" "$DB"
