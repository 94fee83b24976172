#!/bin/sh
# Prints the folder that holds the installed Kamailio's modules, e.g.
# /usr/lib/x86_64-linux-gnu/kamailio/modules on Debian amd64.  The one place
# that knows it: the Makefile, tests/run.sh, tests/integration/*.sh and
# tests/bench/*.sh all ask this script (KMODDIR in the environment wins).
#
# Derived from the installed package's own file list (where dpkg put tm.so),
# falling back to Debian's multiarch triplet; exits 1 when neither names a
# folder holding tm.so.
set -u
if [ -n "${KMODDIR:-}" ]; then
	echo "$KMODDIR"
	exit 0
fi
d=$(dpkg-query -L kamailio 2>/dev/null | sed -n 's|/tm\.so$||p' | head -n 1)
if [ -z "$d" ] || [ ! -f "$d/tm.so" ]; then
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null ||
		gcc -print-multiarch 2>/dev/null)
	d=/usr/lib/${ma:-x86_64-linux-gnu}/kamailio/modules
fi
if [ ! -f "$d/tm.so" ]; then
	echo "kmoddir: no Kamailio module folder found (is kamailio installed?)" >&2
	exit 1
fi
echo "$d"
