# cpm_pf, privacy and display names (seed 6.1, 6.3; RFC 3323, RFC 3325) as
# the recipient sees them: Privacy id gives an anonymous From (the client's
# pseudonym or "Anonymous"), no P-Asserted-Identity toward the (untrusted)
# device, and no trace of the originator's name or number in what the
# recipient receives; kept toward a trusted next hop; operator policy that
# forbids anonymity: 403 + Warning 119.  Users pfpalice/pfpbob/pfpnoanon
# (tests/integration/identities.txt).  The bodies carry no identity: the
# CPIM From: of a body is the client's own and never altered.
plan 13

PFP_BOB_PORT=$(next_port)
PFP_N=0

# pfp_msg <from_user> <display> <h1> <v1> <h2> <v2> [sipp args]: to pfpbob,
# Call-ID naming the sender (pfp-<user>-...), a User-Agent naming it too
pfp_msg() {
	_f=$1 _d=$2 _h1=$3 _v1=$4 _h2=$5 _v2=$6
	shift 6
	PFP_N=$((PFP_N + 1))
	sipp_uac pf_msg.xml -key from_user "$_f" -key from_name "$_d" \
		-key to_user pfpbob -cid_str "pfp-$_f-$PFP_N-%u-%p@%s" \
		-key body "a message with no identity in it" \
		-key h1 "$_h1" -key v1 "$_v1" -key h2 "$_h2" -key v2 "$_v2" \
		-key h3 User-Agent -key v3 "$_f-phone/1.0" "$@"
}

uas_lines() { tr -d '\r' <"$UAS_TRACE"; }

check "pf privacy: pfpbob registers" register pfpbob "$PFP_BOB_PORT"

# 1. Privacy: id with a pseudonym
sipp_uas_start uas_message.xml "$PFP_BOB_PORT"
pfp_msg pfpalice '"Night Owl" ' Privacy id Referred-By "<sip:pfpalice@127.0.0.1>"
check "pf privacy: Privacy id MESSAGE delivered; the sender's 200 carries its own Call-ID" \
	uac_then sh -c "tr -d '\r' <'$LAST_TRACE' | grep -q '^SIP/2.0 200 OK' &&
		tr -d '\r' <'$LAST_TRACE' | grep -qE '^Call-ID: pfp-pfpalice-1-'"
check "pf privacy: recipient's From is the pseudonym with the anonymous URI" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -m1 '^From:' |
		grep -qxE 'From: \"Night Owl\" <sip:anonymous@anonymous.invalid>;tag=[0-9]+pf1'"
check "pf privacy: recipient gets no P-Asserted-Identity (untrusted device)" \
	uas_then sh -c "! tr -d '\r' <'$UAS_TRACE' | grep -qi '^P-Asserted-Identity'"
pfp_noleak() {
	uas_then true || return 1
	if uas_lines | grep -inE 'pfpalice|15550109011|555-?010-?9011'; then
		echo "the originator's name or number reached the recipient (above)"
		return 1
	fi
	uas_lines | grep -qE '^Call-ID: anon-[0-9a-f]{16}$'
}
check "pf privacy: no trace of pfpalice's name or TEL number anywhere in what the recipient got (Call-ID replaced, Contact, Referred-By and User-Agent gone)" \
	pfp_noleak

# 2. a display name that names the user is no pseudonym
sipp_uas_start uas_message.xml "$PFP_BOB_PORT"
pfp_msg pfpalice '"PfpAlice Smith" ' Privacy "header;id" X-Pad 1
check "pf privacy: a display name naming the user becomes \"Anonymous\"" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -m1 '^From:' |
		grep -qE '^From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag='"

# 3. operator policy: anonymity not allowed for pfpnoanon
pfp_msg pfpnoanon '' Privacy id X-Pad 1
check "pf privacy: anonymity forbidden for the user -> 403 + Warning: 399 $PROXY \"119 Anonymity not allowed\"" \
	uac_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep '^SIP/2.0' | tail -n 1)\" = 'SIP/2.0 403 Forbidden' ] &&
		tr -d '\r' <'$LAST_TRACE' | grep -qxF 'Warning: 399 $PROXY \"119 Anonymity not allowed\"'"

# 4. Privacy: none: the display name and identity go through (seed 6.3)
sipp_uas_start uas_message.xml "$PFP_BOB_PORT"
pfp_msg pfpalice '"Alice P" ' Privacy none X-Pad 1
check "pf privacy: Privacy none: From and its display name unchanged" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -m1 '^From:' |
		grep -qE '^From: \"Alice P\" <sip:pfpalice@127.0.0.1>;tag='"
check "pf privacy: Privacy none: P-Asserted-Identity with the From display name" \
	uas_has "P-Asserted-Identity: \"Alice P\" <sip:pfpalice@127.0.0.1>"

# 5. toward a trusted next hop the identity is kept (RFC 3325 9.3)
sipp_uas_start uas_message.xml "$PFP_BOB_PORT"
pfp_msg pfpalice '"Night Owl" ' Privacy id X-CPM-Test pf-next-trusted
check "pf privacy: trusted next hop: P-Asserted-Identity kept (SIP and TEL)" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: \"Night Owl\" <sip:pfpalice@127.0.0.1>' &&
		tr -d '\r' <'$UAS_TRACE' | grep -qxF 'P-Asserted-Identity: <tel:+15550109011>'"
check "pf privacy: trusted next hop: From still anonymous" \
	uas_then sh -c "tr -d '\r' <'$UAS_TRACE' | grep -m1 '^From:' |
		grep -qE '^From: \"Night Owl\" <sip:anonymous@anonymous.invalid>;tag='"

# 6. a malformed Privacy header
pfp_msg pfpalice '' Privacy "id;" X-Pad 1
check "pf privacy: malformed Privacy header -> 400" \
	uac_then sh -c "[ \"\$(tr -d '\r' <'$LAST_TRACE' | grep '^SIP/2.0' | tail -n 1)\" = 'SIP/2.0 400 Bad Request: malformed Privacy header' ]"

pfp_stat() {
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" stats.get_statistics cpm_pf: 2>/dev/null |
		sed -n "s/.*cpm_pf:$1 = \([0-9]*\).*/\1/p"
}
pfp_stats() {
	_p=$(pfp_stat privacy_applied)
	echo "privacy_applied=$_p"
	[ "${_p:-0}" -ge 3 ]
}
check "pf privacy: statistic privacy_applied counts" pfp_stats
