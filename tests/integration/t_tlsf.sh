# `make run` starts Kamailio with the TLSF allocator (-x tlsf); the other
# cases run under qm (see run.sh).  A second instance under tlsf, running the
# shipped cfg/kamailio.cfg itself (no test hooks, no test define), must
# register with digest authentication, relay a CPM MESSAGE with its headers
# untouched and refuse a malformed one.
plan 5

TLSF_PORT=$(next_port)
check "tlsf: kamailio -x tlsf starts with cfg/kamailio.cfg" \
	start_instance "$RUNDIR/tlsf" "$TOP/cfg/kamailio.cfg" "$TLSF_PORT" -x tlsf
TLSF_PID=$INST_PID

MAIN_PROXY_PORT=$PROXY_PORT
PROXY_PORT=$TLSF_PORT
TLSF_BOB=$(next_port)
check "tlsf: bob registers" register tlsfbob "$TLSF_BOB"
sipp_uas_start uas_message.xml "$TLSF_BOB"
check "tlsf: CPM MESSAGE relayed (200)" sipp_uac cpm_message.xml \
	-key from_user alice -key to_user tlsfbob -key conv tlsf-conv \
	-key contrib Tlsf.Contrib-1 -key irt tlsf-irt
check "tlsf: Contribution-ID arrives byte-identical at bob's UA" \
	uas_has "Contribution-ID: Tlsf.Contrib-1"
tlsf_refused() {
	sipp_uac cpmh_refused.xml -key from_user alice -key to_user tlsfbob \
		-key h1 Conversation-ID -key v1 a1 -key h2 Contribution-ID \
		-key v2 c1 -key h3 contribution-id -key v3 c2 &&
		has_line "$LAST_TRACE" "SIP/2.0 400 Duplicate Contribution-ID header"
}
check "tlsf: duplicate Contribution-ID refused (400 Duplicate)" tlsf_refused
PROXY_PORT=$MAIN_PROXY_PORT
kill -TERM "$TLSF_PID" 2>/dev/null
