# cpm_pf, recording (seed 4.1: "recording of CPM Standalone Messages ... in a
# network-based storage subject to the preferences of the CPM User and
# service provider policies"; docs/cpm_pf.md "Recording").  The test
# instance runs with recording on (test.cfg: PF_RECORD 1).
#   (i)   pfrec1 -> pfrec2 (online): 200, recorded twice -- orig in pfrec1's
#         history (peer: the Request-URI as addressed), term in pfrec2's
#         (peer: the asserted originator) -- with the CPM identifiers,
#         Content-Type, Call-ID and the body byte for byte as delivered;
#   (ii)  three more messages: cpm_pf.history per user (all conversations,
#         one conversation, a limit) and cpm_pf.history_conversation list
#         them in order (time, id);
#   (iii) a recipient without a device: 202 (stored), recorded both ways;
#   (iv)  a user who opted out (cpm_pf.record_pref ... out, saved in
#         cpm_record_pref) gets no record, the sender still does;
#   (v)   refused messages are not recorded: 403 (another user's
#         P-Preferred-Identity, Warning 122), 404 (no such user) and a
#         device's 486 (both roles were armed: the final reply decides);
#   (vi)  operator policy off (cpm_pf.record_policy 0): nothing recorded;
#   (vii) the statistic `recorded` counts the rows;
#   (viii) the module parameter `record` is range-checked at start-up.
# Absence is checked after a later marker message's rows have appeared: the
# single writer commits in order, so the earlier message's rows would be
# there by then.

plan 17

REC_KAM="kamcmd -s unix:$RUNDIR/kamailio_ctl"
REC_DB=$RUNDIR/cpm.sqlite
REC_SQL() { sqlite3 "$REC_DB" "$1"; }
rec_stat_val() { $REC_KAM stats.get_statistics cpm_pf: | sed -n 's/^cpm_pf:recorded = *//p'; }
REC_STAT0=$(rec_stat_val)
REC_N0=$(REC_SQL "SELECT COUNT(*) FROM cpm_record;")

# rec_rows <contribution-id> <n>: waits (5 s) until n rows carry it
rec_rows() {
	_i=0
	while [ $_i -lt 50 ]; do
		[ "$(REC_SQL "SELECT COUNT(*) FROM cpm_record WHERE contribution_id = '$1';")" = "$2" ] &&
			return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	echo "cpm_record rows for $1:"
	REC_SQL "SELECT id, direction, username, peer FROM cpm_record WHERE contribution_id = '$1';"
	return 1
}
# rec_msg <from> <to> <conv> <contrib> [sipp args]
rec_msg() {
	_f=$1 _t=$2 _c=$3 _b=$4
	shift 4
	sipp_uac pf_message.xml -key from_user "$_f" -key ruri "sip:$_t@$PROXY" \
		-key conv "$_c" -key contrib "$_b" "$@"
}
# the body of the last MESSAGE in a sipp trace, as hex (Content-Length bytes)
trace_body_hex() {
	python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1], 'rb').read()
i = t.rfind(b'MESSAGE sip:')
h, _, rest = t[i:].partition(b'\r\n\r\n')
n = int(re.search(rb'(?im)^(?:Content-Length|l)\s*:\s*(\d+)', h).group(1))
print(rest[:n].hex().upper())
PY
}

# (i) one message, both histories
REC_PORT=$(next_port)
register pfrec2 "$REC_PORT"
sipp_uas_start uas_message.xml "$REC_PORT"
rec_msg pfrec1 pfrec2 pf-rec-conv-1 pf-rec-c1
check "record: pfrec1 -> pfrec2 delivered (200)" uas_then trace_has "SIP/2.0 200 OK"
check "record: the message is recorded twice (orig + term)" rec_rows pf-rec-c1 2
rec_row() { # <direction> <contrib>: the row as "user|peer|conv|contrib|inreplyto|ctype"
	REC_SQL "SELECT username, peer, conversation_id, contribution_id, inreplyto, content_type FROM cpm_record WHERE direction = '$1' AND contribution_id = '$2';"
}
check "record: orig row: pfrec1's history, peer = the Request-URI, CPM ids, Content-Type" \
	test "$(rec_row orig pf-rec-c1)" = "pfrec1|sip:pfrec2@$PROXY|pf-rec-conv-1|pf-rec-c1||message/cpim"
check "record: term row: pfrec2's history, peer = the asserted originator" \
	test "$(rec_row term pf-rec-c1)" = "pfrec2|sip:pfrec1@$PROXY|pf-rec-conv-1|pf-rec-c1||message/cpim"
rec_body_same() {
	_want=$(trace_body_hex "$UAS_TRACE")
	_got=$(REC_SQL "SELECT DISTINCT hex(body) FROM cpm_record WHERE contribution_id = 'pf-rec-c1';")
	[ -n "$_want" ] && [ "$_got" = "$_want" ] || { echo "recorded [$_got] delivered [$_want]"; return 1; }
	_cid=$(tr -d '\r' <"$UAS_TRACE" | sed -n 's/^Call-ID: *//p' | tail -n 1)
	[ "$(REC_SQL "SELECT DISTINCT call_id FROM cpm_record WHERE contribution_id = 'pf-rec-c1';")" = "$_cid" ] ||
		{ echo "call_id differs from the delivered $_cid"; return 1; }
}
check "record: the body is byte-identical to the one delivered (both rows), Call-ID kept" rec_body_same

# (ii) three more in another conversation, then the RPCs
for c in a b c; do
	sipp_uas_start uas_message.xml "$REC_PORT"
	rec_msg pfrec1 pfrec2 pf-rec-conv-2 "pf-rec-2$c"
	sipp_uas_wait
done
rec_rows pf-rec-2c 2 >/dev/null
# rpc_field <field> <rpc args>: the field's values in output order, one line
rpc_field() {
	_f=$1
	shift
	$REC_KAM "$@" | sed -n "s/^[ \t]*$_f: *//p" | tr '\n' ' '
}
rec_list() { # <want> <field> <rpc args>
	_w=$1
	shift
	_g=$(rpc_field "$@")
	[ "$_g" = "$_w" ] || { echo "got [$_g], want [$_w]"; return 1; }
}
check "record: cpm_pf.history pfrec1 lists its four messages in order" \
	rec_list "pf-rec-c1 pf-rec-2a pf-rec-2b pf-rec-2c " contribution_id cpm_pf.history pfrec1
rec_hist2() {
	rec_list "pf-rec-2a pf-rec-2b pf-rec-2c " contribution_id cpm_pf.history pfrec2 pf-rec-conv-2 &&
		rec_list "term term term " direction cpm_pf.history pfrec2 pf-rec-conv-2
}
check "record: cpm_pf.history pfrec2 pf-rec-conv-2: three, in order, direction term" rec_hist2
check "record: cpm_pf.history with a limit gives the latest, in order" \
	rec_list "pf-rec-2b pf-rec-2c " contribution_id cpm_pf.history pfrec1 '*' 2
check "record: cpm_pf.history_conversation: both copies of each, in order (time, id)" \
	rec_list "orig term orig term orig term " direction cpm_pf.history_conversation pf-rec-conv-2

# (iii) offline recipient: stored (202) counts as accepted
rec_msg pfrec1 pfrecoff pf-rec-conv-3 pf-rec-off
rec_stored() { trace_has "SIP/2.0 202 Accepted" && rec_rows pf-rec-off 2; }
check "record: a message stored for an offline recipient (202) is recorded both ways" rec_stored

# (iv) opted out
check "record: cpm_pf.record_pref pfrecout out" \
	sh -c "$REC_KAM cpm_pf.record_pref pfrecout out | grep -qF 'pfrecout out (not recorded)'"
OUT_PORT=$(next_port)
register pfrecout "$OUT_PORT"
sipp_uas_start uas_message.xml "$OUT_PORT"
rec_msg pfrec1 pfrecout pf-rec-conv-4 pf-rec-out
sipp_uas_wait
rec_rows pf-rec-out 1 >/dev/null
check "record: the opted-out recipient gets no record, the sender its own" \
	test "$(REC_SQL "SELECT direction || ':' || username FROM cpm_record WHERE contribution_id = 'pf-rec-out';")$(REC_SQL "SELECT record FROM cpm_record_pref WHERE username = 'pfrecout';")" = "orig:pfrec10"

# (v) refused: 403 (another user's P-Preferred-Identity) and 404 (no user)
sipp_uac pf_msg.xml -key from_user pfrec1 -key from_name '' -key to_user pfrec2 \
	-key body hello -key h1 Conversation-ID -key v1 pf-rec-conv-5 \
	-key h2 Contribution-ID -key v2 pf-rec-403 -key h3 P-Preferred-Identity \
	-key v3 "<sip:pfobob@$PROXY>"
REC_403=$(last_status "$LAST_TRACE")
rec_msg pfrec1 pfrecnobody pf-rec-conv-5 pf-rec-404
REC_404=$(last_status "$LAST_TRACE")
# the device refuses (486): relayed to the sender, after both roles armed
sipp_uas_start uas_busy.xml "$REC_PORT"
rec_msg pfrec1 pfrec2 pf-rec-conv-5 pf-rec-486
sipp_uas_wait
REC_486=$(last_status "$LAST_TRACE")
sipp_uas_start uas_message.xml "$REC_PORT"
rec_msg pfrec1 pfrec2 pf-rec-conv-5 pf-rec-mark1
sipp_uas_wait
rec_rows pf-rec-mark1 2 >/dev/null
check "record: refused messages (403, 404, the device's 486) are not recorded" \
	test "$REC_403|$REC_404|$REC_486|$(REC_SQL "SELECT COUNT(*) FROM cpm_record WHERE contribution_id IN ('pf-rec-403', 'pf-rec-404', 'pf-rec-486');")" = "SIP/2.0 403 Forbidden|SIP/2.0 404 Not Found|SIP/2.0 486 Busy Here|0"

# (vi) operator policy off
check "record: cpm_pf.record_policy 0 switches recording off" \
	sh -c "$REC_KAM cpm_pf.record_policy 0 | grep -qx 'record 0'"
sipp_uas_start uas_message.xml "$REC_PORT"
rec_msg pfrec1 pfrec2 pf-rec-conv-6 pf-rec-offpol
sipp_uas_wait
$REC_KAM cpm_pf.record_policy 1 >/dev/null
sipp_uas_start uas_message.xml "$REC_PORT"
rec_msg pfrec1 pfrec2 pf-rec-conv-6 pf-rec-mark2
sipp_uas_wait
rec_rows pf-rec-mark2 2 >/dev/null
check "record: with the policy off nothing is recorded (delivered all the same)" \
	test "$(REC_SQL "SELECT COUNT(*) FROM cpm_record WHERE contribution_id = 'pf-rec-offpol';")" = 0

# (vii) statistics
rec_stat() {
	_s=$(($(rec_stat_val) - REC_STAT0))
	_n=$(($(REC_SQL "SELECT COUNT(*) FROM cpm_record;") - REC_N0))
	[ "$_s" = "$_n" ] && [ "$_n" -ge 14 ] || { echo "stat recorded +$_s, rows +$_n"; return 1; }
}
check "record: the statistic recorded counts the rows this case wrote" rec_stat

# (viii) record 3: Kamailio refuses to start, naming the range
rec_startup_fails() {
	_log="$RUNDIR/pf-startup-record.log"
	mkdir -p "$RUNDIR/pf-startup-record"
	kamailio_log "$_log"
	timeout 20 /usr/sbin/kamailio -f "$TOP/cfg/kamailio.cfg" -DD -E -m 32 -M 4 \
		-L "$KMODDIR:$TOP/modules" \
		-Y "$RUNDIR/pf-startup-record" -P "$RUNDIR/pf-startup-record/pid" \
		-A "SIP_PORT=$(next_port)" -A "DBURL=\"sqlite://$RUNDIR/cpm.sqlite\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" -A PF_RECORD=3 \
		>"$_log" 2>&1
	_rc=$?
	[ "$_rc" != 0 ] && [ "$_rc" != 124 ] && grep -qF -- "record 3 out of range 0..2" "$_log"
}
check "record: record 3 stops Kamailio (range 0..2)" rec_startup_fails
