# cpm_pf deferred delivery with a real client (issue 6 "A real client"):
# a headless linphonec (Debian's linphone-cli) registers once (the PF learns
# its +sip.instance), goes offline (its binding removed), a CPM message is
# sent to it and answered 202; when linphonec starts again (same rc, same
# +sip.instance) and registers, it gets the stored message and shows the
# text of the CPIM body.  linphonec setup: linphone_lib.sh.
plan 4

. "$TOP/tests/integration/pf_store_lib.sh"

. "$TOP/tests/integration/linphone_lib.sh"
PLP_PORT=$(next_port)
PLP_TEXT="Stored while you were away $$"

if ! command -v linphonec >/dev/null 2>&1; then
	skip_rest linphone "linphonec not installed (mk/deps.sh installs linphone-cli)"
else
	lp_start pflp "$PLP_PORT"
	check "linphone: pflp's linphonec registers; the PF knows its +sip.instance" \
		pf_wait_sql "$RUNDIR/cpm.sqlite" "SELECT count(*) FROM cpm_device WHERE username='pflp' AND device LIKE '<urn:uuid:%'" 1
	lp_stop pflp
	# offline: linphonec 5.1 does not unregister on quit; remove its binding
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" ul.rm location pflp >/dev/null 2>&1
	sipp_uac pf_store_message.xml -key from_user alice -key to_user pflp \
		-key conv "plp-conv-$$" -key contrib "plp-contrib-$$" -key irt "plp-irt" \
		-key text "$PLP_TEXT"
	check "linphone: CPM message to offline linphonec: 202 Accepted" \
		uac_then test "$(last_status "$LAST_TRACE")" = "SIP/2.0 202 Accepted"
	lp_start pflp "$PLP_PORT"
	check "linphone: linphonec registers again and shows the stored text" \
		lp_wait_line "$LP_DIR/pflp/out" "Message received from sip:alice@$PROXY: $PLP_TEXT" 150
	check "linphone: it leaves the store (the only known device has it)" \
		pf_wait_sql "$RUNDIR/cpm.sqlite" "SELECT count(*) FROM cpm_store WHERE username='pflp'" 0
	lp_stop pflp
fi
