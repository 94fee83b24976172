# cpm_headers and cpm_warning under tm's branch and failure routes (issue 5):
# the state of a message lives in the message (its headers and lumps) and in
# the transaction (xavp), not in the process.
#
#   (i)   a MESSAGE forked in parallel to two registered contacts of one user,
#         cpm_add_ids() in branch_route: both contacts get the same, single
#         pair of identifiers;
#   (ii)  cpm_add_ids() in request_route, the first contact answers 486 and
#         failure_route forks serially to the second: it gets exactly one
#         pair, the same, and $cpm() in failure_route reads it;
#   (iii) an RCS 5.x MESSAGE (32-hex Contribution-ID, no Conversation-ID) is
#         relayed by the shipped route with its headers untouched;
#   (iv)  cpm_warning_header() before t_relay() of an INVITE: no Warning on
#         the 100 Trying nor on the relayed 180/200; a local 404 carries it.

plan 19

FORK_A=$(next_port)
FORK_B=$(next_port)
check "fork: cpmfork registers a first contact (200)" \
	sipp_uac register_q.xml -key user cpmfork -key contact_port "$FORK_A" \
	-key expires 600 -key q 1.0
check "fork: cpmfork registers a second contact (200)" \
	sipp_uac register_q.xml -key user cpmfork -key contact_port "$FORK_B" \
	-key expires 600 -key q 0.5

fork_value() { # <trace> <header>: the values of header, one a line
	tr -d '\r' <"$1" | sed -n "s/^$2: //p"
}
# one_pair <trace>: exactly one Conversation-ID and one Contribution-ID
one_pair() {
	[ "$(fork_value "$1" Conversation-ID | wc -l)" = 1 ] &&
		[ "$(fork_value "$1" Contribution-ID | wc -l)" = 1 ] || {
		echo "not one pair in $1:"
		tr -d '\r' <"$1" | grep -iE '^(conversation|contribution)-id:'
		return 1
	}
}
same_pair() { # <trace a> <trace b>
	[ "$(fork_value "$1" Conversation-ID)" = "$(fork_value "$2" Conversation-ID)" ] &&
		[ "$(fork_value "$1" Contribution-ID)" = "$(fork_value "$2" Contribution-ID)" ] &&
		[ -n "$(fork_value "$1" Conversation-ID)" ]
}

# (i) parallel fork, cpm_add_ids() in branch_route
sipp_uas_start uas_message.xml "$FORK_A"
FORK_UAS_A=$UAS_PID FORK_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$FORK_B"
FORK_UAS_B=$UAS_PID FORK_TRACE_B=$UAS_TRACE
check "fork: MESSAGE forked in parallel with cpm_add_ids() in branch_route (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmfork \
	-key h1 X-CPM-Test -key v1 branch-ids -key h2 X-Pad -key v2 1 \
	-key h3 X-Pad2 -key v3 2
wait "$FORK_UAS_A"; FORK_RC_A=$?
wait "$FORK_UAS_B"; FORK_RC_B=$?
# passed <rc> <cmd...>: the UAS of that contact passed, and cmd passes
passed() { _rc=$1; shift; [ "$_rc" = 0 ] || { echo "UAS failed ($_rc)"; return 1; }; "$@"; }
check "fork: the first contact receives it with exactly one pair of identifiers" \
	passed "$FORK_RC_A" one_pair "$FORK_TRACE_A"
check "fork: the second contact receives it with exactly one pair of identifiers" \
	passed "$FORK_RC_B" one_pair "$FORK_TRACE_B"
check "fork: both contacts get the same pair" \
	same_pair "$FORK_TRACE_A" "$FORK_TRACE_B"

# (ii) cpm_add_ids() in request_route, 486, serial fork in failure_route
sipp_uas_start uas_busy.xml "$FORK_A"
FORK_UAS_A=$UAS_PID FORK_TRACE_A=$UAS_TRACE
sipp_uas_start uas_message.xml "$FORK_B"
FORK_UAS_B=$UAS_PID FORK_TRACE_B=$UAS_TRACE
check "fork: MESSAGE with cpm_add_ids(), 486, serial fork to the second contact (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmfork \
	-key h1 X-CPM-Test -key v1 serial-ids -key h2 X-Pad -key v2 1 \
	-key h3 X-Pad2 -key v3 2
wait "$FORK_UAS_A"; FORK_RC_A=$?
wait "$FORK_UAS_B"; FORK_RC_B=$?
check "fork: the first (q=1.0) contact is tried first, answers 486, got exactly one pair" \
	passed "$FORK_RC_A" one_pair "$FORK_TRACE_A"
check "fork: the second contact receives the serial branch with exactly one pair" \
	passed "$FORK_RC_B" one_pair "$FORK_TRACE_B"
check "fork: the serial branch carries the pair the first branch got" \
	same_pair "$FORK_TRACE_A" "$FORK_TRACE_B"
check "fork: in failure_route cpm_add_ids() returns 2 and \$cpm() reads the pair" \
	has_line "$FORK_TRACE_B" "X-CPM-Failure: 2 $(fork_value "$FORK_TRACE_A" Conversation-ID) $(fork_value "$FORK_TRACE_A" Contribution-ID)"

# (iii) RCS 5.x dialect: Contribution-ID (32 hex, the chat ID) alone
RCS_CONTRIB=0123456789abcdef0123456789ABCDEF
sipp_uas_start uas_message.xml "$CPMH_BOB_PORT"
check "rcs: MESSAGE with a 32-hex Contribution-ID and no Conversation-ID relayed (200)" \
	sipp_uac cpmh_accepted.xml -key from_user cpmhalice -key to_user cpmhbob \
	-key h1 Contribution-ID -key v1 "$RCS_CONTRIB" -key h2 X-Pad -key v2 1 \
	-key h3 X-Pad2 -key v3 2
once() { test "$(count_lines "$UAS_TRACE" "$1")" = 1; }
check "rcs: bob's UA receives the Contribution-ID untouched, once" \
	uas_then once "Contribution-ID: $RCS_CONTRIB"
check "rcs: no Conversation-ID was added" \
	sh -c "! tr -d '\r' <'$UAS_TRACE' | grep -qi '^conversation-id:'"

# (iv) Warning only on error replies (seed 6.4.1)
no_warning() { ! tr -d '\r' <"$1" | grep -qi '^warning:'; }
sipp_uas_start invite_uas.xml "$FORK_A"
check "warning: INVITE with cpm_warning_header() before t_relay() gets 100, 180, 200" \
	sipp_uac invite_uac.xml -key from_user cpmhalice -key to_user cpmfork \
	-key test warn-invite
WARN_INV_TRACE=$LAST_TRACE
check "warning: the callee gets the INVITE; the caller saw the proxy's 100 Trying" \
	uas_then sh -c "tr -d '\r' <'$WARN_INV_TRACE' | grep -q '^SIP/2.0 100 '"
check "warning: no Warning in the 100 Trying, the 180 or the 200" \
	no_warning "$WARN_INV_TRACE"
check "warning: INVITE with cpm_warning_header() to an unknown user: local 404" \
	sipp_uac invite_refused.xml -key from_user cpmhalice -key to_user nobody \
	-key test warn-invite
check "warning: the local 404 carries the Warning" \
	trace_has "Warning: 399 $PROXY \"129 No destinations\""
