# cpm_cf pre-defined groups from OMA XDM shared-group documents (seed 5.2;
# issue 7 items 2 and 11): the test instance starts with the demo group of
# `make run` (cfg/demo-groups.xml through the cpm_cf groups_file parameter,
# CF_GROUPS_FILE): sip:friends@<domain> with alice, bob, carol and dave, the
# document's domain.invalid placeholder replaced by the served domain.
# RPC cpm_cf.group_import of the same document again changes nothing
# (idempotent); a new document adds its group; a hostile or invalid one
# (XXE, wrong namespace) is refused and changes nothing.
plan 8

CFI_CTL="unix:$RUNDIR/kamailio_ctl"
CFI_DB=$RUNDIR/cpm.sqlite

cfi_members() { # cfi_members <group uri>: the member URIs, sorted
	kamcmd -s "$CFI_CTL" cpm_cf.group_members "$1" 2>&1 | tr -d '\t' |
		sed -n 's/^uri: //p' | sort | tr '\n' ' '
}

check "import: the demo group sip:friends@$PROXY is loaded at start-up with its 4 members" \
	test "$(cfi_members "sip:friends@$PROXY")" = \
	"sip:alice@$PROXY sip:bob@$PROXY sip:carol@$PROXY sip:dave@$PROXY "
check "import: its display name, limit and member display names come from the document" \
	sh -c "kamcmd -s '$CFI_CTL' cpm_cf.groups | tr -d '\t' | grep -A4 -xF 'uri: sip:friends@$PROXY' | grep -qx 'display_name: Friends' &&
		kamcmd -s '$CFI_CTL' cpm_cf.groups | tr -d '\t' | grep -A4 -xF 'uri: sip:friends@$PROXY' | grep -qx 'max_participants: 10' &&
		kamcmd -s '$CFI_CTL' cpm_cf.group_members 'sip:friends@$PROXY' | tr -d '\t' | grep -qx 'display_name: Alice'"
kamcmd -s "$CFI_CTL" cpm_cf.group_import "$TOP/cfg/demo-groups.xml" >"$RUNDIR/cfi.out" 2>&1
check "import: importing the demo document again is idempotent (one group row, 4 member rows)" \
	sh -c "grep -q 'imported' '$RUNDIR/cfi.out' &&
		[ \"\$(sqlite3 '$CFI_DB' \"SELECT count(*) FROM cpm_group WHERE uri='sip:friends@$PROXY'\")\" = 1 ] &&
		[ \"\$(sqlite3 '$CFI_DB' \"SELECT count(*) FROM cpm_group_member WHERE group_uri='sip:friends@$PROXY'\")\" = 4 ] &&
		[ \"$(cfi_members "sip:friends@$PROXY" | wc -w)\" = 4 ]"

sed -e 's/sip:friends@/sip:cfi-team@/' -e 's/<display-name>Friends</<display-name>CFI Team</' \
	-e '/sip:dave@/d' "$TOP/cfg/demo-groups.xml" >"$RUNDIR/cfi-team.xml"
kamcmd -s "$CFI_CTL" cpm_cf.group_import "$RUNDIR/cfi-team.xml" >/dev/null 2>&1
check "import: RPC cpm_cf.group_import of a new document adds its group (3 members)" \
	test "$(cfi_members "sip:cfi-team@$PROXY" | wc -w)" = 3

cfi_before=$(sqlite3 "$CFI_DB" "SELECT count(*) FROM cpm_group_member")
printf '<?xml version="1.0"?>\n<!DOCTYPE group [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<group xmlns="urn:oma:xml:poc:list-service"><list-service uri="sip:cfi-xxe@domain.invalid"><list><entry uri="sip:&x;@domain.invalid"/></list></list-service></group>\n' >"$RUNDIR/cfi-xxe.xml"
check "import: an XXE document is refused" \
	sh -c "kamcmd -s '$CFI_CTL' cpm_cf.group_import '$RUNDIR/cfi-xxe.xml' 2>&1 | grep -q '400 - Import failed'"
sed 's/urn:oma:xml:poc:list-service/urn:example:not-xdm/' "$TOP/cfg/demo-groups.xml" |
	sed 's/sip:friends@/sip:cfi-ns@/' >"$RUNDIR/cfi-ns.xml"
check "import: a document in the wrong namespace is refused" \
	sh -c "kamcmd -s '$CFI_CTL' cpm_cf.group_import '$RUNDIR/cfi-ns.xml' 2>&1 | grep -q '400 - Import failed'"
check "import: ... and neither changed a row or the cache" \
	sh -c "[ \"\$(sqlite3 '$CFI_DB' 'SELECT count(*) FROM cpm_group_member')\" = '$cfi_before' ] &&
		! kamcmd -s '$CFI_CTL' cpm_cf.groups | grep -q 'cfi-xxe\|cfi-ns'"
sipp_uac cf_group_message.xml -key from_user cfs5 -key to_user friends \
	-key conv "c0ffee00-0000-4000-8000-0000000cf503" -key contrib "cfi-nonmember" -key irt x -key text x
check "import: a MESSAGE to the demo group from a non-member: 403 + Warning 127" \
	sh -c "[ \"$(last_status "$LAST_TRACE")\" = 'SIP/2.0 403 Forbidden' ] &&
		tr -d '\r' <'$LAST_TRACE' | grep -qE '^Warning: 399 [^ ]+ \"127 Service not authorised\"$'"
