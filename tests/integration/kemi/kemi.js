// KEMI routing for tests/integration/t_kemi.sh: the Request-URI user picks
// what to exercise; every answer carries X-KEMI-* headers with the return
// values, which the test reads from sipp's trace.

function echo(name, value) {
	KSR.hdr.append_to_reply("X-KEMI-" + name + ": " + value + "\r\n");
}

function ksr_request_route() {
	var user = KSR.pv.get("$rU");

	if (!KSR.is_method("MESSAGE")) {
		KSR.sl.send_reply(405, "Method Not Allowed");
		return;
	}
	if (user == "headers") {
		echo("Check", KSR.cpm_headers.check_headers());
		echo("Is-Reply", KSR.cpm_headers.has_inreplyto());
		echo("Is-Session", KSR.cpm_headers.has_service("session"));
		echo("Is-Msg", KSR.cpm_headers.has_service("msg"));
		echo("Unknown-Service", KSR.cpm_headers.has_service("chat"));
		echo("Service", KSR.cpm_headers.get_service());
		echo("Error-Header", KSR.pv.get("$cpm(error_header)"));
		KSR.sl.send_reply(200, "OK");
		return;
	}
	if (user == "add-ids") {
		echo("Add-1", KSR.cpm_headers.add_ids());
		echo("Add-2", KSR.cpm_headers.add_ids());
		echo("Check", KSR.cpm_headers.check_headers());
		echo("Conversation-ID", KSR.pv.get("$cpm(conversation_id)"));
		KSR.sl.send_reply(200, "OK");
		return;
	}
	if (user == "warn-reply") {
		KSR.cpm_warning.reply(403, 127);
		return;
	}
	if (user == "warn-reason") {
		KSR.cpm_warning.reply_reason(486, 102, "Group Full");
		return;
	}
	if (user == "warn-header") {
		echo("Header", KSR.cpm_warning.header(129));
		KSR.sl.send_reply(480, "Temporarily Unavailable");
		return;
	}
	if (user == "warn-bad") {
		echo("Bad", KSR.cpm_warning.reply(403, 128));
		KSR.sl.send_reply(500, "Refused");
		return;
	}
	// cpm_cf (seed 5.2): a session identity naming no session -> invite()
	// answers 404 with Warning 123 (and returns -2); another URI is not
	// the CF's
	if (user.indexOf("cf-") == 0) {
		echo("CF-Mine", KSR.cpm_cf.is_mine());
		KSR.cpm_cf.invite();
		return;
	}
	if (user == "cfnot") {
		echo("CF-Mine", KSR.cpm_cf.is_mine());
		echo("CF-Invite", KSR.cpm_cf.invite());
		KSR.sl.send_reply(200, "OK");
		return;
	}
	// cpm_pf (seed 4.1, 6.5): dave's demo profile Meeting defers messages
	if (user == "dave") {
		echo("PF-Prefs", KSR.cpm_pf.apply_prefs("msg"));
		echo("PF-Action", KSR.pv.get("$xavp(cpmpf=>pref_action)"));
		echo("PF-Interworking", KSR.cpm_pf.needs_interworking());
		echo("PF-Set", KSR.cpm_pf.profile_set("dave", "Office"));
		echo("PF-Set-Bad", KSR.cpm_pf.profile_set("dave", "Nowhere"));
		echo("PF-Prefs-After", KSR.cpm_pf.apply_prefs("msg"));
		echo("PF-Devices", KSR.cpm_pf.devices("msg"));
		echo("PF-Devices-Session", KSR.cpm_pf.devices("session"));
		// cpm_pf recording (seed 4.1): off in kemi.cfg (module default 0)
		echo("PF-Record", KSR.cpm_pf.record("term"));
		echo("PF-Record-Bad", KSR.cpm_pf.record("both"));
		KSR.sl.send_reply(200, "OK");
		return;
	}
	if (user == "+15550001") {
		echo("PF-Interworking", KSR.cpm_pf.needs_interworking());
		echo("PF-ISF", KSR.cpm_pf.send_to_isf());
		KSR.sl.send_reply(200, "OK");
		return;
	}
	// cpm_pf: the originating and terminating steps (pfoalice has a TEL
	// URI in tests/integration/identities.txt)
	if (user == "pf") {
		echo("Size", KSR.cpm_pf.check_size());
		echo("Orig", KSR.cpm_pf.orig("pfoalice", 0));
		echo("Term", KSR.cpm_pf.term(1));
		echo("Originator", KSR.pv.get("$xavp(cpmpf_orig)").replace(/\n/g, "|"));
		// IMDN: a text/plain MESSAGE is no CPIM: 2, nothing checked
		echo("PF-CPIM", KSR.cpm_pf.check_cpim());
		KSR.sl.send_reply(200, "OK");
		return;
	}
	// IMDN state: $xavp(cpmpf_imdn) only for a CPIM message that asks
	// for a disposition notification (RFC 5438 7)
	if (user == "pf-cpim") {
		echo("PF-CPIM", KSR.cpm_pf.check_cpim());
		echo("PF-DN", KSR.pv.get("$xavp(cpmpf_imdn=>dn_flags)"));
		KSR.sl.send_reply(200, "OK");
		return;
	}
	if (user == "pf-noorig") {
		KSR.cpm_pf.orig("", 0);
		return;
	}
	KSR.sl.send_reply(404, "Not Found");
}
