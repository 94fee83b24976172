# cpm_pf deferred delivery parameters are range-checked at start-up: a value
# out of range stops Kamailio with a log line naming the parameter and its
# range (docs/cpm_pf.md "Parameters").
plan 4

# pf_startup_fails <name> <expected log text> [-A ...]: the shipped cfg
pf_startup_fails() {
	_sf=$1 _want=$2
	shift 2
	_log="$RUNDIR/pf-startup-$_sf.log"
	mkdir -p "$RUNDIR/pf-startup-$_sf"
	kamailio_log "$_log"
	timeout 20 /usr/sbin/kamailio -f "$TOP/cfg/kamailio.cfg" -DD -E -m 32 -M 4 \
		-L "$KMODDIR:$TOP/modules" \
		-Y "$RUNDIR/pf-startup-$_sf" -P "$RUNDIR/pf-startup-$_sf/pid" \
		-A "SIP_PORT=$(next_port)" -A "DBURL=\"sqlite://$RUNDIR/cpm.sqlite\"" \
		-A "CPM_WARNING_TEXTS=\"$TOP/cfg/cpm_warning.lang\"" "$@" \
		>"$_log" 2>&1
	_rc=$?
	[ "$_rc" != 0 ] && [ "$_rc" != 124 ] && grep -qF -- "$_want" "$_log"
}

check "pf startup: store_expiry 0 stops Kamailio" \
	pf_startup_fails expiry "store_expiry 0 out of range 1..31622400 s" -A PF_STORE_EXPIRY=0
check "pf startup: store_max_per_user 0 stops Kamailio" \
	pf_startup_fails max "store_max_per_user 0 out of range 1..1000000" -A PF_STORE_MAX=0
check "pf startup: store_sweep_interval 3601 stops Kamailio" \
	pf_startup_fails sweep "store_sweep_interval 3601 out of range 1..3600 s" -A PF_STORE_SWEEP=3601
check "pf startup: commit_delay 101 stops Kamailio" \
	pf_startup_fails delay "commit_delay 101 out of range 0..100 ms" -A PF_COMMIT_DELAY=101
