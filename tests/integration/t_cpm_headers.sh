# cpm_headers (seed 5.3): the proxy refuses MESSAGEs whose Conversation-ID,
# Contribution-ID or InReplyTo-Contribution-ID is malformed, duplicated or
# missing with 400 and a reason phrase naming the header (cfg
# route[CPM_MESSAGE] over cpm_check_headers() / $cpm(error_header)), and
# recognises the headers whatever the case of their names.
#
# sipp/cpmh_refused.xml and sipp/cpmh_accepted.xml send three header lines
# "[h1]: [v1]" .. "[h3]: [v3]"; X-Pad fills an unused slot.
plan 39

CPMH_BOB_PORT=$(next_port)
check "cpm_headers: cpmhbob registers (200)" register cpmhbob "$CPMH_BOB_PORT"

# cpmh_refused <reason phrase> h1 v1 h2 v2 h3 v3
cpmh_refused() {
	_reason=$1
	sipp_uac cpmh_refused.xml -key from_user cpmhalice -key to_user cpmhbob \
		-key h1 "$2" -key v1 "$3" -key h2 "$4" -key v2 "$5" \
		-key h3 "$6" -key v3 "$7" &&
		trace_has "SIP/2.0 400 $_reason"
}

CPMH_LONG=$(printf '%0257d' 0)   # one octet over the default max_id_length
CPMH_MAX=$(printf 'L%0255d' 0)   # exactly 256 octets
CPMH_CTL=$(printf 'ab\001cd')

check "cpm_headers: empty Conversation-ID refused (400 Malformed)" \
	cpmh_refused "Malformed Conversation-ID header" \
	Conversation-ID "" Contribution-ID c1 X-Pad 1
check "cpm_headers: whitespace-only Contribution-ID refused (400 Malformed)" \
	cpmh_refused "Malformed Contribution-ID header" \
	Conversation-ID a1 Contribution-ID "   " X-Pad 1
check "cpm_headers: over-long Contribution-ID refused (400 Malformed)" \
	cpmh_refused "Malformed Contribution-ID header" \
	Conversation-ID a1 Contribution-ID "$CPMH_LONG" X-Pad 1
check "cpm_headers: control character in Conversation-ID refused (400)" \
	cpmh_refused "Malformed Conversation-ID header" \
	Conversation-ID "$CPMH_CTL" Contribution-ID c1 X-Pad 1
check "cpm_headers: embedded space in InReplyTo-Contribution-ID refused" \
	cpmh_refused "Malformed InReplyTo-Contribution-ID header" \
	Conversation-ID a1 Contribution-ID c1 InReplyTo-Contribution-ID "r 1"
check "cpm_headers: comma list in Conversation-ID refused (400 Malformed)" \
	cpmh_refused "Malformed Conversation-ID header" \
	Conversation-ID "a1, a2" Contribution-ID c1 X-Pad 1
check "cpm_headers: duplicate Contribution-ID refused (400 Duplicate)" \
	cpmh_refused "Duplicate Contribution-ID header" \
	Conversation-ID a1 Contribution-ID c1 Contribution-ID c1
check "cpm_headers: missing Contribution-ID refused (400 Missing)" \
	cpmh_refused "Missing Contribution-ID header" \
	Conversation-ID a1 X-Pad 1 X-Pad 2
check "cpm_headers: InReplyTo alone refused (400 Missing Conversation-ID)" \
	cpmh_refused "Missing Conversation-ID header" \
	InReplyTo-Contribution-ID r1 X-Pad 1 X-Pad 2
check "cpm_headers: odd-case malformed name recognised (400 Malformed)" \
	cpmh_refused "Malformed Contribution-ID header" \
	cONVERSATION-id a1 cOnTrIbUtIoN-iD "c 1" X-Pad 1
check "cpm_headers: odd-case duplicate recognised (400 Duplicate)" \
	cpmh_refused "Duplicate Conversation-ID header" \
	Conversation-ID a1 CONVERSATION-ID a1 Contribution-ID c1

# Odd-case names, whitespace before the colon and a value of exactly
# max_id_length octets: accepted and relayed byte-identical.
sipp_uas_start uas_message.xml "$CPMH_BOB_PORT"
check "cpm_headers: odd-case names + max-length value relayed (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmhbob \
	-key h1 "conversation-id " -key v1 "Conv-Odd.1" \
	-key h2 "CONTRIBUTION-ID" -key v2 "$CPMH_MAX" \
	-key h3 "inreplyto-CONTRIBUTION-id" -key v3 "irt~1"
check "cpm_headers: odd-case Conversation-ID line arrives untouched at bob" \
	uas_has "conversation-id : Conv-Odd.1"
check "cpm_headers: max-length Contribution-ID arrives untouched at bob" \
	uas_has "CONTRIBUTION-ID: $CPMH_MAX"
check "cpm_headers: odd-case InReplyTo line arrives untouched at bob" \
	uas_has "inreplyto-CONTRIBUTION-id: irt~1"

# --- $cpm(), cpm_has_inreplyto(), cpm_has_service(), cpm_add_ids() through the
# --- test hooks of cfg/kamailio.cfg (route[TEST_HOOKS])

# Each echo runs bare: the checks after it read its 200 (trace_has fails
# them all when the 200 did not come).
cpmh_echo() { # h1 v1 h2 v2 h3 v3: 200 from sip:cpm-echo@, trace in $LAST_TRACE
	sipp_uac cpmh_echo.xml -key h1 "$1" -key v1 "$2" -key h2 "$3" \
		-key v2 "$4" -key h3 "$5" -key v3 "$6"
}
# The same from the trusted peer: P-Asserted-Service (RFC 6050) is asserted
# by the trust domain only; from a client the cfg removes it first thing.
cpmh_echo_trusted() {
	SIPP_IP=$TRUSTED_IP
	cpmh_echo "$@"
	_rc=$?
	unset SIPP_IP
	return $_rc
}
ICSI="urn-7:3gpp-service.ims.icsi.oma.cpm"

cpmh_echo \
	Conversation-ID conv-echo-1 Contribution-ID Contrib-Echo-2 \
	InReplyTo-Contribution-ID irt.echo.3
check "cpm_headers: \$cpm(conversation_id) is the header value" \
	trace_has "X-CPM-Conversation-ID: conv-echo-1"
check "cpm_headers: \$cpm(contribution_id) keeps the case" \
	trace_has "X-CPM-Contribution-ID: Contrib-Echo-2"
check "cpm_headers: \$cpm(inreplyto_contribution_id) is the header value" \
	trace_has "X-CPM-InReplyTo: irt.echo.3"
check "cpm_headers: cpm_check_headers() returns 1 for valid headers" \
	trace_has "X-CPM-Check: 1"
check "cpm_headers: cpm_has_inreplyto() is true with InReplyTo-Contribution-ID" \
	trace_has "X-CPM-Is-Reply: yes"
check "cpm_headers: no feature tag, no service" \
	trace_has "X-CPM-Services:"

cpmh_echo \
	Accept-Contact "*;+g.3gpp.icsi-ref=\"urn%3A$(echo "$ICSI" | sed 's/:/%3A/g').largemsg\"" \
	P-Preferred-Service "urn:$ICSI.filetransfer" X-Pad 1
check "cpm_headers: largemsg (Accept-Contact, %-encoded) and filetransfer (P-Preferred-Service) detected" \
	trace_has "X-CPM-Services: largemsg filetransfer"
check "cpm_headers: \$cpm(service) picks filetransfer over largemsg" \
	trace_has "X-CPM-Service: filetransfer"
check "cpm_headers: no CPM header: cpm_check_headers() returns -1" \
	trace_has "X-CPM-Check: -1"
check "cpm_headers: cpm_has_inreplyto() is false without InReplyTo-Contribution-ID" \
	trace_has "X-CPM-Is-Reply: no"

cpmh_echo_trusted \
	Contact "<sip:alice@127.0.0.1>;+g.oma.sip-im" \
	P-Asserted-Service "urn:$ICSI.msgx" X-Pad 1
check "cpm_headers: +g.oma.sip-im is sip-im; .cpm.msgx is no service" \
	trace_has "X-CPM-Services: sip-im"

cpmh_echo_trusted \
	P-Asserted-Service "urn:$ICSI.session" \
	Conversation-ID "bad value" Contribution-ID c-1
check "cpm_headers: session detected from P-Asserted-Service" \
	trace_has "X-CPM-Service: session"
check "cpm_headers: a malformed Conversation-ID reads as \$null" \
	trace_has "X-CPM-Conversation-ID: <null>"
check "cpm_headers: malformed header: cpm_check_headers() returns -3" \
	trace_has "X-CPM-Check: -3"

# RFC 3325: from a client (not a trusted peer) the cfg removes
# P-Asserted-Service before any module reads it: no service is seen.
cpmh_pas_untrusted() {
	cpmh_echo P-Asserted-Service "urn:$ICSI.session" X-Pad 1 X-Pad2 2 &&
		has_line "$LAST_TRACE" "X-CPM-Services:" &&
		has_line "$LAST_TRACE" "X-CPM-Service: <null>"
}
check "cpm_headers: P-Asserted-Service from a client is removed before cpm_headers reads it" \
	cpmh_pas_untrusted

UUID4_RE='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
cpmh_generated() { # <trace> <header>: the one value of a generated header
	tr -d '\r' <"$1" | sed -n "s/^$2: //p"
}
sipp_uas_start uas_message.xml "$CPMH_BOB_PORT"
check "cpm_headers: cpm_add_ids() on a plain MESSAGE, relayed (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmhbob \
	-key h1 X-CPM-Test -key v1 add-ids -key h2 X-Pad -key v2 1 \
	-key h3 X-Pad2 -key v3 2
sipp_uas_wait
GEN_CONV=$(cpmh_generated "$UAS_TRACE" Conversation-ID)
GEN_CONTRIB=$(cpmh_generated "$UAS_TRACE" Contribution-ID)
check "cpm_headers: generated Conversation-ID is one lowercase UUID v4" \
	uas_then sh -c "echo '$GEN_CONV' | grep -qxE '$UUID4_RE'"
check "cpm_headers: generated Contribution-ID is one lowercase UUID v4" \
	uas_then sh -c "echo '$GEN_CONTRIB' | grep -qxE '$UUID4_RE'"
check "cpm_headers: the two generated identifiers differ" \
	uas_then test "$GEN_CONV" != "$GEN_CONTRIB"
check "cpm_headers: cpm_add_ids() returns 1 then 2; \$cpm() shows the generated values" \
	uas_has "X-CPM-Generated: 1 2 $GEN_CONV $GEN_CONTRIB"

sipp_uas_start uas_message.xml "$CPMH_BOB_PORT"
check "cpm_headers: cpm_add_ids() with Conversation-ID present, relayed (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmhbob \
	-key h1 X-CPM-Test -key v1 add-ids -key h2 Conversation-ID \
	-key v2 Keep.Me-1 -key h3 X-Pad -key v3 1
sipp_uas_wait # (the arguments below read the trace)
check "cpm_headers: cpm_add_ids() keeps the present Conversation-ID, once" \
	uas_then test "$(count_lines "$UAS_TRACE" "Conversation-ID: Keep.Me-1")$(tr -d '\r' <"$UAS_TRACE" | grep -c '^Conversation-ID:')" = 11
check "cpm_headers: cpm_add_ids() adds only the missing Contribution-ID" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -cxE 'Contribution-ID: $UUID4_RE' | grep -qx 1"
