# Start-up errors: a mistake an operator makes in the cfg or in a file the
# cfg names must stop Kamailio before it serves, with a log line that says
# what is wrong.  Each case starts the real cfg with one defect (a copy in
# $RUNDIR) on its own port and expects a non-zero exit and the message.
plan 11

# startup_fails <name> <expected log text> <sed expression on the cfg> [-A ...]
startup_fails() {
	_sf=$1 _want=$2 _sed=$3
	shift 3
	_cfg="$RUNDIR/startup-$_sf.cfg"
	_log="$RUNDIR/startup-$_sf.log"
	sed "$_sed" "$TOP/cfg/kamailio.cfg" >"$_cfg"
	mkdir -p "$RUNDIR/startup-$_sf"
	kamailio_log "$_log"
	timeout 20 /usr/sbin/kamailio -f "$_cfg" -DD -E -m 32 -M 4 \
		-L "$KMODDIR:$TOP/modules" \
		-Y "$RUNDIR/startup-$_sf" -P "$RUNDIR/startup-$_sf/pid" \
		-A "SIP_PORT=$(next_port)" -A "DBURL=\"sqlite://$RUNDIR/cpm.sqlite\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" "$@" \
		>"$_log" 2>&1
	_rc=$?
	[ "$_rc" != 0 ] && [ "$_rc" != 124 ] && grep -qF -- "$_want" "$_log"
}

ROUTE_HOOK='/^route\[REQINIT\] {/i\
route[STARTUP_DEFECT] {\
	@DEFECT@\
}\
'

check "startup: cpm_warning_reply() with a warn code not in Table 1 stops Kamailio" \
	startup_fails badcode "warn code 128 is not in seed Table 1" \
	"$(echo "$ROUTE_HOOK" | sed 's/@DEFECT@/cpm_warning_reply("403", "128");/')"
check "startup: cpm_warning_reply() with status 200 stops Kamailio" \
	startup_fails badstatus "status 200 out of range" \
	"$(echo "$ROUTE_HOOK" | sed 's/@DEFECT@/cpm_warning_reply("200", "127");/')"
check "startup: cpm_warning_reply() with status 302 (no error response) stops Kamailio" \
	startup_fails status3xx "status 302 out of range 400..699" \
	"$(echo "$ROUTE_HOOK" | sed 's/@DEFECT@/cpm_warning_reply("302", "127");/')"
check "startup: cpm_has_service() with an unknown service stops Kamailio" \
	startup_fails badservice "unknown service [chat]" \
	"$(echo "$ROUTE_HOOK" | sed 's/@DEFECT@/if (cpm_has_service("chat")) { exit; }/')"
check "startup: cpm_headers max_id_length out of range stops Kamailio" \
	startup_fails maxlen "max_id_length must be" \
	'/^modparam("registrar", "max_expires"/a\
modparam("cpm_headers", "max_id_length", 5)'
check "startup: cpm_pf trusted_flag out of range stops Kamailio" \
	startup_fails trustedflag "trusted_flag must be -1 (none) or 0..31, not 32" \
	's/^modparam("cpm_pf", "trusted_flag", FLT_TRUSTED)/modparam("cpm_pf", "trusted_flag", 32)/'

printf 'de 127 Dienst nicht autorisiert\nde 128 Gibt es nicht\n' >"$RUNDIR/bad.lang"
check "startup: a translation for an unknown code stops Kamailio (file:line)" \
	startup_fails badlang "$RUNDIR/bad.lang:2:" \
	"s|CPM_WARNING_TEXTS)|\"$RUNDIR/bad.lang\")|"
check "startup: a missing translations file stops Kamailio" \
	startup_fails nolang "$RUNDIR/missing.lang" \
	"s|CPM_WARNING_TEXTS)|\"$RUNDIR/missing.lang\")|"

check "startup: cpm_pf without cpm_warning stops Kamailio (binds its API)" \
	startup_fails nowarning "cannot find bind_cpm_warning" '/cpm_warning/d'
check "startup: cpm_pf without cpm_headers stops Kamailio (binds its API)" \
	startup_fails noheaders "cannot find bind_cpm_headers" \
	'/cpm_headers\|cpm_check_headers\|\$cpm(/d'
# cpm_cf hands group MESSAGE copies to the core's async workers: without
# any it refuses to start (docs/cpm_cf.md "Group standalone messages")
check "startup: cpm_cf without async workers stops Kamailio (async_workers=0)" \
	startup_fails noasync "set the core parameter async_workers" '' \
	-A ASYNC_WORKERS=0
