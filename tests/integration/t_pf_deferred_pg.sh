# cpm_pf deferred delivery on PostgreSQL (issue 6 item 4: "PostgreSQL
# through db_postgres works by changing the db URL").  mk/deps.sh installs
# PostgreSQL's server and Kamailio's db_postgres (kamailio-postgres-modules),
# so a missing piece is a failure here, not a skip; only a run that is not
# root (initdb must run as the postgres user) skips.
#
# A throw-away cluster (unix socket in a temp folder, no TCP, trust auth),
# loaded by mk/dbinit.sh with Kamailio's PostgreSQL schemas and the
# project's sql/postgres/ ones, provisioned by the same scripts as the
# SQLite database; an instance of its own runs the shipped cfg
# (tests/integration/test.cfg) with DBURL="postgres://postgres@/postgres"
# and PGHOST = the socket folder, so every DB user (auth_db, usrloc,
# permissions, cpm_pf's identities, profiles, users and store) works on
# PostgreSQL.  Then: pfpg's two devices are known and offline; a MESSAGE
# (a UTF-8 CPIM body) is answered 202 and is in cpm_store byte-identical;
# SIGKILL of the whole instance and a restart; device A registers and gets
# it byte-identical, its delivered mark is written and the message stays
# for B; B registers and gets it; then it leaves the store.
plan 11

. "$TOP/tests/integration/pf_store_lib.sh"

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ "$(id -u)" != 0 ]; then
	skip_rest postgres "not root: initdb runs as the postgres user"
elif [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ] || ! id postgres >/dev/null 2>&1; then
	fail "postgres: PostgreSQL's server is installed" \
		"no /usr/lib/postgresql/*/bin/initdb or no postgres user: run mk/deps.sh"
	skip_rest postgres "PostgreSQL server missing"
elif [ ! -f "$KMODDIR/db_postgres.so" ]; then
	fail "postgres: Kamailio's db_postgres is installed" \
		"no $KMODDIR/db_postgres.so: run mk/deps.sh (kamailio-postgres-modules)"
	skip_rest postgres "db_postgres missing"
else
	# the cluster (owned by postgres) apart from the instance's folder,
	# which stays in RUNDIR for run.sh's crash scan of its log
	PG_DIR=$(mktemp -d /tmp/cpm-pg.XXXXXX)
	PG_KDIR=$RUNDIR/pfpg
	chown postgres "$PG_DIR"
	pg_as() { runuser -u postgres -- "$@"; }
	# libpq: an empty host in the URL means the socket folder in PGHOST,
	# for psql (mk/dbsql.sh) and for db_postgres alike (it leaves an empty
	# host to libpq)
	PG_URL="postgres://postgres@/postgres"
	PGHOST=$PG_DIR
	export PGHOST
	PG_DEV_A=$(next_port)
	PG_DEV_B=$(next_port)
	PG_INST_A="44444444-dddd-4ddd-8ddd-00000000pg0a"
	PG_INST_B="44444444-dddd-4ddd-8ddd-00000000pg0b"
	PG_CONTRIB="pg-Contrib.42"
	PG_TEXT="Gruesse ueber PostgreSQL: $(printf '\303\274\342\234\223') (stored, BYTEA)"
	PG_PORT=$(next_port)
	MAIN_PROXY_PORT=$PROXY_PORT

	pg_start() {
		pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust >"$PG_DIR/initdb.log" 2>&1 &&
			pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/log" \
				-o "-k $PG_DIR -c listen_addresses=''" start >/dev/null ||
			{ tail -n 20 "$PG_DIR/initdb.log" "$PG_DIR/log"; return 1; }
	}
	# mk/dbinit.sh on PostgreSQL: Kamailio's tables and ours, version rows
	pg_schemas() {
		sh "$TOP/mk/dbinit.sh" "$PG_URL" || return 1
		got=$(sh "$TOP/mk/dbsql.sh" "$PG_URL" "SELECT string_agg(table_name || '=' ||
			table_version, ' ' ORDER BY table_name) FROM version WHERE table_name IN
			('cpm_device', 'cpm_store', 'cpm_store_delivery', 'subscriber', 'location', 'address')")
		[ "$got" = "address=6 cpm_device=1 cpm_store=1 cpm_store_delivery=1 location=9 subscriber=7" ] ||
			{ echo "version rows: $got"; return 1; }
		# a second run on the loaded database changes nothing and succeeds
		sh "$TOP/mk/dbinit.sh" "$PG_URL"
	}
	pg_start_instance() {
		INST_DBURL=$PG_URL start_instance "$PG_KDIR" "$TOP/tests/integration/test.cfg" "$PG_PORT" ||
			return 1
		if grep -q 'ERROR: db_postgres' "$PG_KDIR/kamailio.log"; then
			grep 'ERROR: db_postgres' "$PG_KDIR/kamailio.log" | head -n 5
			return 1
		fi
	}
	pg_q() { sh "$TOP/mk/dbsql.sh" "$PG_URL" "$1"; }
	# the body the sender sent (its trace) = the stored BYTEA, in hex
	pg_stored_identical() {
		sent=$(pf_body "$PG_SENT" "$PG_CONTRIB" | pf_hex)
		stored=$(pg_q "SELECT encode(body, 'hex') FROM cpm_store
			WHERE username = 'pfpg' AND contribution_id = '$PG_CONTRIB'")
		[ ${#sent} -gt 200 ] && [ "$sent" = "$stored" ] ||
			{ echo "sent   $sent"; echo "stored $stored"; return 1; }
	}
	# the body device $1 received = the body sent, and the CPM headers
	pg_got_identical() {
		eval "t=\$PG_TRACE_$1"
		[ "$(count_lines "$t" "Contribution-ID: $PG_CONTRIB")" = 1 ] ||
			{ echo "Contribution-ID seen $(count_lines "$t" "Contribution-ID: $PG_CONTRIB") times"; return 1; }
		for h in "Conversation-ID: pg-conv" "InReplyTo-Contribution-ID: pg-irt" \
			"Date: Wed, 25 Nov 2026 12:00:00 GMT" "Content-Type: message/cpim"; do
			has_line "$t" "$h" || { echo "missing: $h"; return 1; }
		done
		sent=$(pf_body "$PG_SENT" "$PG_CONTRIB" | pf_hex)
		got=$(pf_body "$t" "$PG_CONTRIB" | pf_hex)
		[ ${#sent} -gt 200 ] && [ "$sent" = "$got" ] ||
			{ echo "sent $sent"; echo "got  $got"; return 1; }
	}

	check "postgres: a throw-away cluster starts (initdb, unix socket only)" pg_start
	check "postgres: mk/dbinit.sh loads Kamailio's and the project's schemas" pg_schemas
	if ! provision_db "$PG_URL" >"$PG_DIR/provision.log" 2>&1 || ! pg_start_instance; then
		fail "postgres: test.cfg runs on PostgreSQL" "see $PG_DIR/provision.log, $PG_KDIR/kamailio.log"
		skip_rest postgres "the PostgreSQL instance did not start"
	else
		PROXY_PORT=$PG_PORT
		# auth_db reads subscriber from PostgreSQL: the REGISTERs' digest;
		# cpm_pf's writer records each device in cpm_device
		pf_reg pfpg "$PG_DEV_A" "$PG_INST_A" 600 &&
			pf_wait_sql "$PG_URL" "SELECT count(*) FROM cpm_device WHERE username='pfpg'" 1 >/dev/null &&
			pf_reg pfpg "$PG_DEV_B" "$PG_INST_B" 600 &&
			pf_wait_sql "$PG_URL" "SELECT count(*) FROM cpm_device WHERE username='pfpg'" 2 >/dev/null &&
			pf_reg pfpg "$PG_DEV_A" "$PG_INST_A" 0 && pf_reg pfpg "$PG_DEV_B" "$PG_INST_B" 0
		check "postgres: pfpg registers two devices (digest from PostgreSQL), both in cpm_device" \
			pf_wait_sql "$PG_URL" "SELECT count(*) FROM cpm_device WHERE username='pfpg'" 2
		check "postgres: permissions loaded the trusted peer from PostgreSQL" \
			sh -c "kamcmd -s 'unix:$PG_KDIR/kamailio_ctl' permissions.addressDump | grep -qF '$TRUSTED_IP'"

		sipp_uac pf_store_message.xml -key from_user alice -key to_user pfpg \
			-key conv pg-conv -key contrib "$PG_CONTRIB" -key irt pg-irt -key text "$PG_TEXT"
		PG_SENT=$LAST_TRACE
		check "postgres: MESSAGE to offline pfpg is answered 202 Accepted" \
			uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
		check "postgres: when the 202 left, cpm_store holds the body byte-identical" \
			pg_stored_identical

		# a crash of the whole server between the 202 and the registration
		pf_kill9 "$INST_PID"
		if ! pg_start_instance; then
			fail "postgres: the instance restarts on the same database" "see $PG_KDIR/kamailio.log"
			skip_rest postgres "the PostgreSQL instance did not restart"
		else
			sipp_uas_start pf_store_uas.xml "$PG_DEV_A" -m 1 -timeout 12s
			PG_TRACE_A=$UAS_TRACE
			pf_reg pfpg "$PG_DEV_A" "$PG_INST_A" 600
			sipp_uas_wait
			check "postgres: after SIGKILL and restart device A gets it, CPM headers and body byte-identical" \
				pg_got_identical A
			check "postgres: A's delivered mark is in cpm_store_delivery, the message stays for B" \
				pf_wait_sql "$PG_URL" "SELECT count(*) FROM cpm_store_delivery d JOIN cpm_store s
					ON s.id = d.msg_id WHERE s.username = 'pfpg' AND d.device LIKE '%$PG_INST_A%'" 1
			check "postgres: usrloc wrote device A's contact to the location table" \
				pf_wait_sql "$PG_URL" "SELECT count(*) FROM location WHERE username = 'pfpg'
					AND instance LIKE '%$PG_INST_A%'" 1 250

			sipp_uas_start pf_store_uas.xml "$PG_DEV_B" -m 1 -timeout 12s
			PG_TRACE_B=$UAS_TRACE
			pf_reg pfpg "$PG_DEV_B" "$PG_INST_B" 600
			sipp_uas_wait
			check "postgres: device B gets it byte-identical" pg_got_identical B
			check "postgres: once both devices have it, it leaves cpm_store" \
				pf_wait_sql "$PG_URL" "SELECT count(*) FROM cpm_store WHERE username = 'pfpg'" 0 50
			kill -TERM "$INST_PID" 2>/dev/null
			_w=0
			while kill -0 "$INST_PID" 2>/dev/null && [ $_w -lt 50 ]; do
				sleep 0.1
				_w=$((_w + 1))
			done
		fi
		PROXY_PORT=$MAIN_PROXY_PORT
	fi
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m immediate stop >/dev/null 2>&1
	unset PGHOST
	rm -rf "$PG_DIR"
fi
