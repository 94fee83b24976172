# cpm_warning over the wire (seed 6.4): the test hook of cfg/kamailio.cfg
# answers MESSAGE sip:warning-<status>-<code>@proxy with
# cpm_warning_reply(status, code); warning_host is unset, so the warn-agent is
# the address of the receiving socket ($PROXY).  Translations come from
# cfg/cpm_warning.lang (CPM_WARNING_TEXTS).
plan 28

cpmw_sent() {
	kamcmd -s "unix:$RUNDIR/kamailio_ctl" stats.get_statistics cpm_warning: \
		2>/dev/null | sed -n 's/.*cpm_warning:sent = \([0-9]*\).*/\1/p'
}
CPMW_SENT0=$(cpmw_sent)

# cpmw_case <status> <code> <reason phrase> <explanatory text> [Accept-Language] <code> <status line> <explanatory text> [Accept-Language]
cpmw_case() {
	_st=$1 _code=$2 _sl=$3 _txt=$4
	shift 4
	if [ $# -gt 0 ]; then
		sipp_uac cpmw_reply_lang.xml -key status "$_st" -key code "$_code" \
			-key lang "$1" || return 1
	else
		sipp_uac cpmw_reply_plain.xml -key status "$_st" -key code "$_code" \
			|| return 1
	fi
	has_line "$LAST_TRACE" "SIP/2.0 $_st $_sl" || {
		echo "status line 'SIP/2.0 $_st $_sl' not in $LAST_TRACE"
		return 1
	}
	has_line "$LAST_TRACE" "Warning: 399 $PROXY \"$_code $_txt\"" || {
		echo "Warning line not in $LAST_TRACE:"
		tr -d '\r' <"$LAST_TRACE" | grep -i '^warning'
		return 1
	}
	test "$(tr -d '\r' <"$LAST_TRACE" | grep -ci '^warning:')" = 1
}

# Table 1, English (no Accept-Language), one status per code
check "cpmw 403 + 102 Too many participants" \
	cpmw_case 403 102 "Forbidden" "Too many participants"
check "cpmw 488 + 105 Isfocus already assigned" \
	cpmw_case 488 105 "Not Acceptable Here" "Isfocus already assigned"
check "cpmw 403 + 119 Anonymity not allowed" \
	cpmw_case 403 119 "Forbidden" "Anonymity not allowed"
check "cpmw 403 + 122 Function not allowed" \
	cpmw_case 403 122 "Forbidden" "Function not allowed"
check "cpmw 404 + 123 Session does not exist" \
	cpmw_case 404 123 "Not Found" "Session does not exist"
check "cpmw 404 + 125 No messages" \
	cpmw_case 404 125 "Not Found" "No messages"
check "cpmw 403 + 127 Service not authorised" \
	cpmw_case 403 127 "Forbidden" "Service not authorised"
check "cpmw 480 + 129 No destinations" \
	cpmw_case 480 129 "Temporarily Unavailable" "No destinations"
check "cpmw 505 + 132 Version not supported" \
	cpmw_case 505 132 "Version Not Supported" "Version not supported"

# Language selection from Accept-Language (seed 6.4.1): only the
# explanatory text is translated, the 3-digit code stays.
check "cpmw Accept-Language de -> German" \
	cpmw_case 403 127 "Forbidden" "Dienst nicht autorisiert" "de"
check "cpmw Accept-Language fr -> French" \
	cpmw_case 403 127 "Forbidden" "Service non autorisé" "fr"
check "cpmw Accept-Language fr;q=0.5, de;q=0.9 -> German (highest q)" \
	cpmw_case 486 102 "Busy Here" "Zu viele Teilnehmer" "fr;q=0.5, de;q=0.9"
check "cpmw Accept-Language de-DE -> German (fallback to de)" \
	cpmw_case 404 123 "Not Found" "Sitzung existiert nicht" "de-DE"
check "cpmw Accept-Language DE;q=0, fr;q=0.1 -> French (q=0 excludes)" \
	cpmw_case 606 125 "Not Acceptable" "Aucun message" "DE;q=0, fr;q=0.1"
check "cpmw Accept-Language ja (no translation) -> English" \
	cpmw_case 403 122 "Forbidden" "Function not allowed" "ja"
check "cpmw Accept-Language es, de;q=0.1 -> German (es untranslated)" \
	cpmw_case 500 132 "Server Internal Error" "Version nicht unterstützt" "es, de;q=0.1"
check "cpmw Accept-Language garbage -> English, no crash" \
	cpmw_case 503 129 "Service Unavailable" "No destinations" ";;==,\"x"

# Refused at run time (the hook passes pvs, so there is no fixup check):
# cpm_warning_reply() returns -1 and logs the error with its context; the
# hook then answers "500 cpm_warning_reply refused" itself.
cpmw_bad() {
	sipp_uac cpmw_reply_plain.xml -key status "$1" -key code "$2" &&
		has_line "$LAST_TRACE" "SIP/2.0 500 cpm_warning_reply refused" &&
		! tr -d '\r' <"$LAST_TRACE" | grep -qi '^warning:' &&
		grep -qF -- "$3" "$KLOG"
}
check "cpmw unknown warn code (128) is refused with an error log" \
	cpmw_bad 403 128 "cpmw_reply_al(): warn code 128 not in seed Table 1"
check "cpmw status out of range (200) is refused with an error log" \
	cpmw_bad 200 127 "cpmw_reply_al(): status 200 out of range"
check "cpmw a status that is no number (abc) is refused with an error log" \
	cpmw_bad abc 127 'cpmw_get_int(): status from [$(rU{s.select,1,-})] is not a number: [abc]'

check "cpmw statistic cpm_warning:sent counts the 17 replies" \
	test "$(cpmw_sent)" = "$(( ${CPMW_SENT0:-0} + 17 ))"
check "cpmw RPC cpm_warning.list shows the loaded languages" \
	sh -c "kamcmd -s 'unix:$RUNDIR/kamailio_ctl' cpm_warning.list | grep -q 'languages: en de fr'"

# A reason phrase from a variable (seed 6.4.1, RFC 3261 25.1): the hook
# decodes X-CPM-Reason from hex and passes it to cpm_warning_reply(486, 102,
# reason).  A control character (CR/LF would inject headers) is refused at
# run time: -1, the hook's own 500, an error log naming the octet.
cpmw_reason() { # <hex reason>
	sipp_uac message_any.xml -key to_user warning-reason \
		-key h1 X-CPM-Reason -key v1 "$1" -key h2 X-Pad -key v2 1 \
		-key h3 X-Pad2 -key v3 2
}
cpmw_reason_refused() { # <hex reason> <log text>
	cpmw_reason "$1" &&
		has_line "$LAST_TRACE" "SIP/2.0 500 cpm_warning_reply refused" &&
		! tr -d '\r' <"$LAST_TRACE" | grep -qi '^x-injected' &&
		! tr -d '\r' <"$LAST_TRACE" | grep -qi '^warning:' &&
		grep -qF -- "$2" "$KLOG"
}
cpmw_reason_ok() {
	cpmw_reason 47726f75702046756c6c &&
		has_line "$LAST_TRACE" "SIP/2.0 486 Group Full" &&
		has_line "$LAST_TRACE" "Warning: 399 $PROXY \"102 Too many participants\""
}
check "cpmw a reason phrase from a variable is used (486 Group Full + Warning)" \
	cpmw_reason_ok
check "cpmw a reason phrase with CR LF (header injection) is refused" \
	cpmw_reason_refused 4f6b0d0a582d496e6a65637465643a2031 \
	"refused: control character 0x0d at offset 2"
check "cpmw a reason phrase with a lone LF is refused" \
	cpmw_reason_refused 4f6b0a582d496e6a65637465643a2031 \
	"refused: control character 0x0a at offset 2"
check "cpmw a reason phrase with NUL is refused" \
	cpmw_reason_refused 4275007379 "refused: control character 0x00 at offset 2"
check "cpmw a reason phrase with DEL is refused" \
	cpmw_reason_refused 42757f7379 "refused: control character 0x7f at offset 2"
check "cpmw a reason phrase with another CTL (0x1b) is refused" \
	cpmw_reason_refused 42751b7379 "refused: control character 0x1b at offset 2"
