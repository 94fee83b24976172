# cpm_pf, the authenticated originator (seed 6.1; RFC 3325) on the wire:
# P-Asserted-Identity from a trusted peer only, else the digest-authenticated
# user; P-Preferred-Identity only when it is the user's own; no originator ->
# 403 + Warning 127; toward the recipient P-Asserted-Identity with the SIP and
# the TEL URI of the cpm_identity table; Referred-By naming the originator
# carries both.  Users pfoalice/pfobob (tests/integration/identities.txt:
# tel:+15550109001/2) and pfonorow (no identity row).
plan 21

PFO_BOB_PORT=$(next_port)
PFO_N=0

# pfo_msg <from_user> <display> <h1> <v1> [sipp args]: MESSAGE to pfobob
# (PFO_H2/PFO_V2: a second header instead of X-Pad2)
pfo_msg() {
	_f=$1 _d=$2 _h=$3 _v=$4
	shift 4
	PFO_N=$((PFO_N + 1))
	sipp_uac pf_msg.xml -key from_user "$_f" -key from_name "$_d" \
		-key to_user pfobob -cid_str "pfo-$PFO_N-%u-%p@%s" -key body "hello" \
		-key h1 "$_h" -key v1 "$_v" -key h2 "${PFO_H2:-X-Pad2}" -key v2 "${PFO_V2:-2}" -key h3 X-Pad3 \
		-key v3 3 "$@"
}

# pfo_status <status line> <pfo_msg args>
pfo_status() {
	_want=$1
	shift
	pfo_msg "$@"
	_got=$(last_status "$LAST_TRACE")
	[ "$_got" = "$_want" ] || { echo "expected [$_want], got [$_got] ($LAST_TRACE)"; return 1; }
}

# the recipient's trace: what a header of its MESSAGE says
uas_pai() { uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -i '^P-Asserted-Identity'"; }

check "pf originator: pfobob registers" register pfobob "$PFO_BOB_PORT"

# 1. authenticated user: PAI = its default SIP URI and its TEL URI
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfoalice '' X-Pad 1
check "pf originator: authenticated pfoalice's MESSAGE is delivered (200)" \
	trace_has "SIP/2.0 200 OK"
check "pf originator: recipient sees P-Asserted-Identity with pfoalice's SIP URI" \
	uas_has "P-Asserted-Identity: <sip:pfoalice@127.0.0.1>"
check "pf originator: recipient sees P-Asserted-Identity with pfoalice's TEL URI" \
	uas_has "P-Asserted-Identity: <tel:+15550109001>"

# 2. a forged P-Asserted-Identity from a client never reaches the recipient
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfoalice '' P-Asserted-Identity "<sip:pfobob@127.0.0.1>"
pfo_forged() {
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -i '^P-Asserted-Identity' | grep -qi pfobob" &&
		{ echo "pfobob's identity reached the recipient"; return 1; }
	uas_has "P-Asserted-Identity: <sip:pfoalice@127.0.0.1>"
}
check "pf originator: forged P-Asserted-Identity from a client replaced by the authenticated one" \
	pfo_forged

# 3. P-Preferred-Identity of another user: 403 + Warning 122 (exact)
pfo_status "SIP/2.0 403 Forbidden" pfoalice '' P-Preferred-Identity "<sip:pfobob@127.0.0.1>"
check "pf originator: P-Preferred-Identity of another user -> 403" \
	test "$(last_status "$LAST_TRACE")" = "SIP/2.0 403 Forbidden"
check "pf originator: ... with Warning: 399 $PROXY \"122 Function not allowed\"" \
	has_line "$LAST_TRACE" "Warning: 399 $PROXY \"122 Function not allowed\""
pfo_status "SIP/2.0 403 Forbidden" pfoalice '' P-Preferred-Identity "<tel:+15550109002>"
check "pf originator: P-Preferred-Identity with another user's TEL URI -> 403 + Warning 122" \
	has_line "$LAST_TRACE" "Warning: 399 $PROXY \"122 Function not allowed\""

# 4. P-Preferred-Identity of one's own TEL URI: honoured, display name moved
#    to P-Asserted-Identity (seed 6.3 NOTE)
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfoalice '"From Name" ' P-Preferred-Identity '"Ali O" <tel:+1-555-010-9001>'
check "pf originator: own TEL P-Preferred-Identity honoured (PAI shows it as preferred)" \
	uas_has "P-Asserted-Identity: <tel:+1-555-010-9001>"
check "pf originator: ... the PPI's display name on the SIP P-Asserted-Identity, no PPI passed on" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: \"Ali O\" <sip:pfoalice@127.0.0.1>' &&
		! tr -d '\r' <'$UAS_TRACE' | grep -qi '^P-Preferred-Identity'"

# 5. trusted peer: its P-Asserted-Identity is the originator (the TEL URI
#    added from the table); without one: 403 + Warning 127
pfo_trusted() {
	SIPP_IP=$TRUSTED_IP
	pfo_msg "$@"
	_rc=$?
	unset SIPP_IP
	return $_rc
}
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_trusted pfoalice '' P-Asserted-Identity '"Peer Said" <sip:pfoalice@127.0.0.1>' -au nobody
check "pf originator: trusted peer's P-Asserted-Identity kept, TEL URI added" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: \"Peer Said\" <sip:pfoalice@127.0.0.1>' &&
		tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: <tel:+15550109001>'"
# an S-CSCF that asserts both URIs: its header goes on as it is
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_trusted pfoalice '' P-Asserted-Identity '<sip:pfoalice@127.0.0.1>, <tel:+15550109001>' -au nobody
check "pf originator: trusted peer's complete P-Asserted-Identity (SIP and TEL) passed on unchanged" \
	uas_then sh -c "[ \"\$(tr -d '\r' <'$UAS_TRACE' | grep -ci '^P-Asserted-Identity')\" = 1 ] &&
		tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: <sip:pfoalice@127.0.0.1>, <tel:+15550109001>'"
# ... unless the originator asked for privacy: not to the device then
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
PFO_H2=Privacy PFO_V2=id
pfo_trusted pfoalice '' P-Asserted-Identity '<sip:pfoalice@127.0.0.1>, <tel:+15550109001>' -au nobody
unset PFO_H2 PFO_V2
check "pf originator: trusted peer's complete P-Asserted-Identity with Privacy id does not reach the device" \
	uas_then sh -c "! tr -d '\r' <'$UAS_TRACE' | grep -qi '^P-Asserted-Identity'"
pfo_trusted pfoalice '' X-Pad 1 -au nobody
check "pf originator: trusted peer without P-Asserted-Identity -> 403 + Warning 127 (no authenticated originator)" \
	uac_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep '^SIP/2.0' | tail -n 1)\" = 'SIP/2.0 403 Forbidden' ] &&
		tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 $PROXY \"127 Service not authorised\"'"
# a trusted peer's request whose From is not in our domain is no served
# user's (the originating role needs From in our domain,
# cpm_pf_message_orig() returns 4): no 403 for the missing
# P-Asserted-Identity, the terminating role delivers it
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
SIPP_IP=$TRUSTED_IP
sipp_uac message_from.xml -key from_user carol -key from_host example.org \
	-key to_user pfobob -key to_host "$PROXY" -key h1 X-Pad -key v1 1
unset SIPP_IP
check "pf originator: trusted peer's request From another domain is not originating: delivered (200)" \
	uas_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep '^SIP/2.0' | tail -n 1)\" = 'SIP/2.0 200 OK' ] &&
		tr -d '\r' <'$UAS_TRACE' | grep -q '^From: <sip:carol@example.org>'"

# 6. a user without a row: sip:<user>@<served domain>, no TEL
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfonorow '' X-Pad 1
check "pf originator: user without identity row asserted as sip:pfonorow@127.0.0.1 only" \
	uas_then sh -c "[ \"\$(tr -d '\r' <'$UAS_TRACE' | grep -ci '^P-Asserted-Identity')\" = 1 ] &&
		tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: <sip:pfonorow@127.0.0.1>'"

# 7. Referred-By set to the originator carries both URIs (seed 6.1)
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfoalice '' Referred-By "<sip:pfoalice@127.0.0.1>;cid=\"x@y\""
check "pf originator: Referred-By naming the originator carries the SIP and the TEL URI" \
	uas_has "Referred-By: <sip:pfoalice@127.0.0.1>;cid=\"x@y\", <tel:+15550109001>"
sipp_uas_start uas_message.xml "$PFO_BOB_PORT"
pfo_msg pfoalice '' Referred-By "<sip:carol@127.0.0.1>"
check "pf originator: Referred-By naming somebody else is left alone" \
	uas_has "Referred-By: <sip:carol@127.0.0.1>"

# 8. operators: the identity RPCs and the statistics
PFO_CTL="kamcmd -s unix:$RUNDIR/kamailio_ctl"
check "pf originator: cpm_pf.identity_list shows pfoalice's TEL URI; identity_reload reloads" \
	sh -c "$PFO_CTL cpm_pf.identity_list | grep -qF 'tel:+15550109001' &&
		$PFO_CTL cpm_pf.identity_reload | grep -qE '^[0-9]+ identities loaded$'"
# a reload that cannot read the table fails and keeps the cached identities
pfo_reload_fails() {
	sqlite3 -cmd ".timeout 10000" "$RUNDIR/cpm.sqlite" "ALTER TABLE cpm_identity RENAME TO cpm_identity_off;" || return 1
	$PFO_CTL cpm_pf.identity_reload >"$RUNDIR/pfo_reload.out" 2>&1
	sqlite3 -cmd ".timeout 10000" "$RUNDIR/cpm.sqlite" "ALTER TABLE cpm_identity_off RENAME TO cpm_identity;" || return 1
	cat "$RUNDIR/pfo_reload.out"
	grep -q "500 - Reload failed" "$RUNDIR/pfo_reload.out" &&
		$PFO_CTL cpm_pf.identity_list | grep -qF 'tel:+15550109001'
}
check "pf originator: identity_reload without the table fails and keeps the cache" pfo_reload_fails
pfo_stat() {
	$PFO_CTL stats.get_statistics cpm_pf: 2>/dev/null |
		sed -n "s/.*cpm_pf:$1 = \([0-9]*\).*/\1/p"
}
pfo_stats() {
	_a=$(pfo_stat orig_asserted) _r=$(pfo_stat orig_refused)
	echo "orig_asserted=$_a orig_refused=$_r"
	[ "${_a:-0}" -ge 7 ] && [ "${_r:-0}" -ge 3 ]
}
check "pf originator: statistics orig_asserted and orig_refused count" pfo_stats
