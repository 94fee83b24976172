# Pager Mode CPM Standalone Messages relayed through the real proxy
# (seed 5.1, 5.3): registration in usrloc, delivery to the registered
# contact, the three CPM headers arriving byte-identical, the reply coming
# back, plain SIP IM still relayed, unknown users refused.
plan 15

ALICE_PORT=$(next_port)
BOB_PORT=$(next_port)
check "alice registers (200)" register alice "$ALICE_PORT"
check "bob registers (200)" register bob "$BOB_PORT"

# Values with every token character class, mixed case: a proxy that
# rewrote, re-cased or re-generated them would show here.
CONV="f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
CONTRIB="Contrib.Mixed_Case~!%*+\`'-0042"
IRT="9a0b7c1e-4d2f-4e8a-b6c3-2f1e0d9c8b7a"

sipp_uas_start uas_message.xml "$BOB_PORT"
check "CPM MESSAGE alice->bob: 200 comes back to alice" \
	sipp_uac cpm_message.xml -key from_user alice -key to_user bob \
	-key conv "$CONV" -key contrib "$CONTRIB" -key irt "$IRT"
check "Conversation-ID arrives byte-identical at bob's UA" \
	uas_has "Conversation-ID: $CONV"
check "Contribution-ID arrives byte-identical at bob's UA" \
	uas_has "Contribution-ID: $CONTRIB"
check "InReplyTo-Contribution-ID arrives byte-identical at bob's UA" \
	uas_has "InReplyTo-Contribution-ID: $IRT"
check "each CPM header arrives exactly once" uas_then test \
	"$(count_lines "$UAS_TRACE" "Conversation-ID: $CONV")$(count_lines "$UAS_TRACE" "Contribution-ID: $CONTRIB")$(count_lines "$UAS_TRACE" "InReplyTo-Contribution-ID: $IRT")" = 111
check "the CPIM body arrives intact" uas_has "Hello from CPM."
check "the MESSAGE reaches bob's registered contact" \
	uas_has "MESSAGE sip:bob@127.0.0.1:$BOB_PORT;transport=UDP SIP/2.0"

sipp_uas_start uas_message.xml "$BOB_PORT"
check "plain SIP IM without CPM headers is relayed (200)" \
	sipp_uac plain_message.xml -key from_user alice -key to_user bob
check "plain MESSAGE reaches bob's UA with no CPM header added on the way" \
	uas_then sh -c "test -s '$UAS_TRACE' && ! tr -d '\r' <'$UAS_TRACE' | grep -qiE '^(Conversation|Contribution|InReplyTo-Contribution)-ID'"

check "MESSAGE to an unregistered user is refused with 404" \
	sipp_uac unknown_user.xml

# The same relay over TCP (the cfg listens on UDP and TCP).
BOB_TCP_PORT=$(next_port)
sipp_uas_start uas_message.xml "$BOB_TCP_PORT" -t t1
check "bob registers over TCP (200)" sipp_uac register.xml -t t1 \
	-key user bobtcp -key contact_port "$BOB_TCP_PORT" -key expires 600
check "CPM MESSAGE over TCP: 200 comes back" \
	sipp_uac cpm_message.xml -t t1 -key from_user alice -key to_user bobtcp \
	-key conv "$CONV" -key contrib "tcp-$CONTRIB" -key irt "$IRT"
check "Contribution-ID arrives byte-identical at bob's TCP UA" \
	uas_has "Contribution-ID: tcp-$CONTRIB"
