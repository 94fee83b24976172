# cpm_headers (seed 5.3): the proxy refuses MESSAGEs whose Conversation-ID,
# Contribution-ID or InReplyTo-Contribution-ID is malformed, duplicated or
# missing with 400 and a reason phrase naming the header (cfg
# route[CPM_MESSAGE] over cpm_check_headers() / $cpm(error_header)), and
# recognises the headers whatever the case of their names.
#
# sipp/cpmh_refused.xml and sipp/cpmh_accepted.xml send three header lines
# "[h1]: [v1]" .. "[h3]: [v3]"; X-Pad fills an unused slot.

CPMH_BOB_PORT=$(next_port)
check "cpm_headers: cpmhbob registers (200)" register cpmhbob "$CPMH_BOB_PORT"

# cpmh_refused <reason phrase> h1 v1 h2 v2 h3 v3
cpmh_refused() {
	_reason=$1
	sipp_uac cpmh_refused.xml -key from_user cpmhalice -key to_user cpmhbob \
		-key h1 "$2" -key v1 "$3" -key h2 "$4" -key v2 "$5" \
		-key h3 "$6" -key v3 "$7" &&
		has_line "$LAST_TRACE" "SIP/2.0 400 $_reason"
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
check "cpm_headers: bob's UA receives the odd-case MESSAGE" sipp_uas_wait
check "cpm_headers: odd-case Conversation-ID line arrives untouched" \
	has_line "$UAS_TRACE" "conversation-id : Conv-Odd.1"
check "cpm_headers: max-length Contribution-ID arrives untouched" \
	has_line "$UAS_TRACE" "CONTRIBUTION-ID: $CPMH_MAX"
check "cpm_headers: odd-case InReplyTo line arrives untouched" \
	has_line "$UAS_TRACE" "inreplyto-CONTRIBUTION-id: irt~1"
