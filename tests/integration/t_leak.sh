# No leak per message: the pkg memory the SIP workers use must come back to
# where it was after a few thousand requests through every CPM code path
# (relay with the headers checked, refusal of malformed headers, Warning
# replies with language selection, the $cpm() echo, cpm_add_ids() lumps).
# Kamailio's own allocator hides pkg blocks from valgrind, so this reads the
# allocator's own figures (RPC pkg.stats) for the UDP worker processes.
plan 5

workers_pkg_used() {
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" pkg.stats | awk '
		/^[ \t]*used:/ { used = $2 }
		/desc: udp receiver/ { sum += used }
		END { print sum + 0 }'
}

LEAK_PORT=$(next_port)
check "leak: leakbob registers" register leakbob "$LEAK_PORT"
sipp_uas_start uas_message.xml "$LEAK_PORT" -m 1700 -timeout 60s
leak_round() { # one round of every path, $1 calls each
	sipp_load cpm_message.xml "$1" -key from_user alice -key to_user leakbob \
		-key conv conv-leak -key contrib contrib-leak -key irt irt-leak &&
	sipp_load cpmh_accepted.xml "$1" -key from_user alice -key to_user leakbob \
		-key h1 X-CPM-Test -key v1 add-ids -key h2 X-Pad -key v2 1 \
		-key h3 X-Pad2 -key v3 2 &&
	sipp_load cpmh_refused.xml "$1" -key from_user alice -key to_user leakbob \
		-key h1 Conversation-ID -key v1 a1 -key h2 Contribution-ID \
		-key v2 c1 -key h3 Contribution-ID -key v3 c2 &&
	sipp_load cpmw_reply_lang.xml "$1" -key status 403 -key code 127 \
		-key lang "fr;q=0.5, de;q=0.9" &&
	sipp_load cpmh_echo.xml "$1" -key h1 Conversation-ID -key v1 a1 \
		-key h2 Contribution-ID -key v2 c1 -key h3 Accept-Contact \
		-key v3 "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.session\""
}
check "leak: warm-up round of every CPM path (100 requests each)" leak_round 100
LEAK_BEFORE=$(workers_pkg_used)
check "leak: 750 requests through every CPM path pass" leak_round 750
LEAK_AFTER=$(workers_pkg_used)
echo "# workers' pkg used: before $LEAK_BEFORE, after $LEAK_AFTER" >&2
# 3750 requests: a leak of even 8 bytes per request would show 30 KB.
check "leak: workers' pkg memory back within 4 KB after 3750 requests ($LEAK_BEFORE -> $LEAK_AFTER)" \
	test $((LEAK_AFTER - LEAK_BEFORE)) -lt 4096
check "leak: leakbob's UA got every relayed request" sipp_uas_wait
