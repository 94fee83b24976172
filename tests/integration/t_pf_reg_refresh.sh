# cpm_pf, the reg-event subscription's life (seed 4.1 "handling
# Registration Event Information"; RFC 6665, RFC 3680; 3GPP TS 24.229
# 5.7.1.4).  sipp plays the S-CSCF from the trusted address TRUSTED_IP:
#   (i)   after a third-party REGISTER the PF SUBSCRIBEs; the S-CSCF grants
#         only 4 s; the PF refreshes the subscription before it runs out,
#         in the dialog of the first 2xx (Request-URI = the 2xx's Contact,
#         same Call-ID, the S-CSCF's To tag, CSeq 2);
#   (ii)  a NOTIFY in that dialog with Subscription-State:
#         terminated;reason=deactivated (no body) is answered 200 and the
#         PF subscribes again at once (a new dialog: new Call-ID, CSeq 1);
#   (iii) terminated;reason=rejected: answered 200, the state is dropped
#         and no new SUBSCRIBE follows (RFC 6665 4.1.3);
#   (iv)  the next third-party REGISTER subscribes again; a refresh
#         answered 481 (the S-CSCF forgot it, RFC 6665 4.1.2.2) is followed
#         by a new SUBSCRIBE in a new dialog.
plan 12

RR_CTL="unix:$RUNDIR/kamailio_ctl"
# rr_line <trace> <n> <regexp>: the n-th line of the trace matching
rr_line() { tr -d '\r' <"$1" | grep -E "$3" | sed -n "${2}p"; }

RR_SUB=$(next_port)
RR_PATH=$(next_port)
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_refresh.xml "$RR_SUB" \
	-key reason deactivated -timeout 15s
RR_PID=$UAS_PID RR_TR=$UAS_TRACE
SIPP_IP=$TRUSTED_IP sipp_uac pf_3pr_register.xml -au nobody -key user pfrr \
	-key ue_host 10.0.0.9:5070 -key path_port "$RR_PATH" -key sub_port "$RR_SUB" \
	-key expires 600 -key params ';+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg"'
check "refresh: the third-party REGISTER -> 200" \
	uac_then sh -c "tr -d '\r' <'$LAST_TRACE' | grep -qx 'SIP/2.0 200 OK'"
wait "$RR_PID"
RR_RC=$?
check "refresh: the S-CSCF got the SUBSCRIBE, its refresh within the 4 s granted, and the NOTIFY's 200" \
	test "$RR_RC" = 0
rr_refresh_ok() {
	_r1=$(rr_line "$RR_TR" 1 '^SUBSCRIBE ')
	_r2=$(rr_line "$RR_TR" 2 '^SUBSCRIBE ')
	_c1=$(rr_line "$RR_TR" 1 '^Call-ID:')
	_c2=$(tr -d '\r' <"$RR_TR" | awk '/^SUBSCRIBE /{n++} n==2 && /^Call-ID:/{print; exit}')
	_t2=$(tr -d '\r' <"$RR_TR" | awk '/^SUBSCRIBE /{n++} n==2 && /^To:/{print; exit}')
	_q2=$(tr -d '\r' <"$RR_TR" | awk '/^SUBSCRIBE /{n++} n==2 && /^CSeq:/{print; exit}')
	echo "first: $_r1 / $_c1; refresh: $_r2 / $_c2 / $_t2 / $_q2"
	[ "$_r1" = "SUBSCRIBE sip:pfrr@$PROXY SIP/2.0" ] &&
		[ "$_r2" = "SUBSCRIBE sip:scscf@$TRUSTED_IP:$RR_SUB SIP/2.0" ] &&
		[ -n "$_c1" ] && [ "$_c1" = "$_c2" ] &&
		printf '%s' "$_t2" | grep -q ';tag=[0-9]*sub1$' &&
		[ "$_q2" = "CSeq: 2 SUBSCRIBE" ]
}
check "refresh: the refresh SUBSCRIBE is in the dialog of the first 200 (its Contact, same Call-ID, its To tag, CSeq 2)" \
	rr_refresh_ok
check "refresh: the refresh carries Event: reg and Expires again" \
	sh -c "[ \"\$(tr -d '\r' <'$RR_TR' | grep -cx 'Event: reg')\" -ge 2 ] && [ \"\$(tr -d '\r' <'$RR_TR' | grep -cx 'Expires: 600000')\" -ge 2 ]"
RR_CID1=$(rr_line "$RR_TR" 1 '^Call-ID:')
check "deactivated: RPC cpm_pf.reg_subscriptions shows the AOR about to subscribe again (retry or pending)" \
	sh -c "kamcmd -s '$RR_CTL' cpm_pf.reg_subscriptions 2>/dev/null | tr -d '\t' | grep -A1 -x 'aor: pfrr' | grep -qE '^state: (retry|pending)$'"

# (ii) terminated;reason=deactivated: a new subscription at once (it is
# retransmitted by tm until this S-CSCF listens again)
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_end.xml "$RR_SUB" \
	-key reason rejected -timeout 15s
RR_PID=$UAS_PID RR_TR2=$UAS_TRACE
wait "$RR_PID"
RR_RC=$?
check "deactivated: the PF subscribes again (answered, then ended with reason=rejected: 200)" \
	test "$RR_RC" = 0
rr_new_ok() {
	_c=$(rr_line "$RR_TR2" 1 '^Call-ID:')
	_q=$(rr_line "$RR_TR2" 1 '^CSeq:')
	_r=$(rr_line "$RR_TR2" 1 '^SUBSCRIBE ')
	echo "new: $_r / $_c / $_q (first $RR_CID1)"
	[ -n "$_c" ] && [ "$_c" != "$RR_CID1" ] && [ "$_q" = "CSeq: 1 SUBSCRIBE" ] &&
		[ "$_r" = "SUBSCRIBE sip:pfrr@$PROXY SIP/2.0" ]
}
check "deactivated: the new SUBSCRIBE starts a new dialog (new Call-ID, CSeq 1, to the AOR)" \
	rr_new_ok

# (iii) reason=rejected: dropped, never subscribed again
sleep 2
check "rejected: RPC cpm_pf.reg_subscriptions no longer lists the AOR" \
	sh -c "! kamcmd -s '$RR_CTL' cpm_pf.reg_subscriptions 2>/dev/null | grep -q 'pfrr'"
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_uas.xml "$RR_SUB" -timeout 3s
RR_PID=$UAS_PID RR_TR3=$UAS_TRACE
wait "$RR_PID"
check "rejected: no new SUBSCRIBE reaches the S-CSCF within 3 s" \
	sh -c "! tr -d '\r' <'$RR_TR3' 2>/dev/null | grep -q '^SUBSCRIBE '"

# (iv) subscribed again by the next third-party REGISTER; refresh -> 481
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_481.xml "$RR_SUB" -timeout 15s
RR_PID=$UAS_PID RR_TR4=$UAS_TRACE
SIPP_IP=$TRUSTED_IP sipp_uac pf_3pr_register.xml -au nobody -key user pfrr \
	-key ue_host 10.0.0.9:5070 -key path_port "$RR_PATH" -key sub_port "$RR_SUB" \
	-key expires 600 -key params ';+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.oma.cpm.msg"'
wait "$RR_PID"
RR_RC=$?
check "481: after the next third-party REGISTER the S-CSCF gets a SUBSCRIBE and its refresh (answered 481)" \
	test "$RR_RC" = 0
SIPP_IP=$TRUSTED_IP sipp_uas_start pf_reg_sub_uas.xml "$RR_SUB" -timeout 10s
RR_PID=$UAS_PID RR_TR5=$UAS_TRACE
wait "$RR_PID"
RR_RC=$?
rr_481_ok() {
	_c4=$(rr_line "$RR_TR4" 1 '^Call-ID:')
	_c5=$(rr_line "$RR_TR5" 1 '^Call-ID:')
	_q5=$(rr_line "$RR_TR5" 1 '^CSeq:')
	echo "forgotten: $_c4; new: $_c5 / $_q5"
	[ "$RR_RC" = 0 ] && [ -n "$_c5" ] && [ "$_c5" != "$_c4" ] && [ "$_q5" = "CSeq: 1 SUBSCRIBE" ]
}
check "481: a new SUBSCRIBE follows in a new dialog (new Call-ID, CSeq 1)" rr_481_ok
check "481: RPC cpm_pf.reg_subscriptions shows the new subscription active" \
	sh -c "kamcmd -s '$RR_CTL' cpm_pf.reg_subscriptions 2>/dev/null | tr -d '\t' | grep -A1 -x 'aor: pfrr' | grep -qx 'state: active'"
