#!/bin/sh
# Installs what the project needs on a Debian 12 machine and prepares the
# Kamailio source tree whose headers the modules compile against.
#
#   mk/deps.sh <build-dir>
#
# Idempotent: a second run with everything in place takes a fraction of a
# second and downloads nothing.  Everything comes from Debian's archive: the
# binary packages through the machine's apt configuration, the source package
# of the *installed* kamailio through a deb-src list kept private to
# <build-dir> (the machine's apt sources are never touched).
set -eu

BUILD=${1:?usage: mk/deps.sh <build-dir>}
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

# kamailio-postgres-modules and postgresql (the server, with psql): the
# PostgreSQL deployment (DBURL postgres://, cfg define WITH_POSTGRES) that
# tests/integration/t_pf_deferred_pg.sh runs in a throw-away cluster of its
# own; Debian's package also sets up its default cluster, which the project
# does not use.
PKGS="kamailio kamailio-sqlite-modules kamailio-postgres-modules postgresql
sip-tester libcmocka-dev libxml2-dev uuid-dev pkg-config sqlite3 libsqlite3-dev gcc make
dpkg-dev xz-utils valgrind iproute2 procps linphone-cli"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages and not root; run as root or install:$missing" >&2
		exit 1
	fi
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# The module API must match the running core exactly: take the upstream
# version of the installed kamailio package (5.6.3-2 -> 5.6.3).
kver=$(dpkg-query -W -f='${Version}' kamailio)
kup=${kver#*:}
kup=${kup%-*}
SRCROOT="$BUILD/kamailio-src"
SRC="$SRCROOT/kamailio-$kup"

# `make cfg` arguments that reproduce the installed core's compile flags
# (kamailio -V): optimised with debug info, and the OpenSSL 1.1+ shared-mutex
# workaround when the core has it (Makefile.defs detects it only when
# libssl-dev is installed, which we do not need otherwise).
CFG_ARGS='CC_EXTRA_OPTS=-O2 -g'
if /usr/sbin/kamailio -V 2>/dev/null | grep -q 'TLS_PTHREAD_MUTEX_SHARED'; then
	CFG_ARGS="$CFG_ARGS|LIBSSL_SET_MUTEX_SHARED=1"
fi

if [ ! -f "$SRC/src/config.mak" ]; then
	echo "deps: fetching Debian source package kamailio=$kver"
	rm -rf "$SRCROOT"
	mkdir -p "$SRCROOT/apt/lists/partial"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	opt=""
	[ -f "$keyring" ] && opt="[signed-by=$keyring] "
	# Mirror every binary repository the machine uses as a deb-src line.
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
		'Identifier: Packages' | sort -u | while read -r uri rel comp; do
		echo "deb-src ${opt}$uri $rel $comp"
	done >"$SRCROOT/apt/sources.list"
	APTO="-o Dir::Etc::SourceList=$SRCROOT/apt/sources.list
	      -o Dir::Etc::SourceParts=/dev/null
	      -o Dir::State::Lists=$SRCROOT/apt/lists
	      -o APT::Sandbox::User=root"
	apt-get $APTO -q update
	(cd "$SRCROOT" && apt-get $APTO -q source "kamailio=$kver")
fi
if [ "$(cat "$SRCROOT/make-cfg.args" 2>/dev/null)" != "$CFG_ARGS" ]; then
	(IFS='|'; set -f; make -C "$SRC" cfg $CFG_ARGS) >"$SRCROOT/make-cfg.log" 2>&1 || {
		cat "$SRCROOT/make-cfg.log" >&2
		exit 1
	}
	echo "$CFG_ARGS" >"$SRCROOT/make-cfg.args"
fi
ln -sfn "kamailio-src/kamailio-$kup" "$BUILD/kamailio"
