# cpm_cf: the Group Session records and their table (cpmcf_session_core.c)
UNIT_TESTS += test_cpmcf_session
test_cpmcf_session_SRCS := test_cpmcf_session.c $(MODDIR)/cpm_cf/cpmcf_session_core.c
test_cpmcf_session_LIBS :=
# the focus's SDP (cpmcf_sdp_core.c): parser, printer, answer and offer
UNIT_TESTS += test_cpmcf_sdp
test_cpmcf_sdp_SRCS := test_cpmcf_sdp.c $(MODDIR)/cpm_cf/cpmcf_sdp_core.c
test_cpmcf_sdp_LIBS :=
# display names and pseudonyms (cpmcf_names_core.c, seed 6.3)
UNIT_TESTS += test_cpmcf_names
test_cpmcf_names_SRCS := test_cpmcf_names.c $(MODDIR)/cpm_cf/cpmcf_names_core.c
test_cpmcf_names_LIBS :=
# participant information documents (cpmcf_conf_core.c, RFC 4575)
UNIT_TESTS += test_cpmcf_conf
test_cpmcf_conf_SRCS := test_cpmcf_conf.c $(MODDIR)/cpm_cf/cpmcf_conf_core.c \
	$(MODDIR)/cpm_cf/cpmcf_names_core.c $(MODDIR)/cpm_cf/cpmcf_session_core.c
test_cpmcf_conf_LIBS :=
# REFER targets (cpmcf_refer_core.c): Refer-To, cid:, method, Replaces
UNIT_TESTS += test_cpmcf_refer
test_cpmcf_refer_SRCS := test_cpmcf_refer.c $(MODDIR)/cpm_cf/cpmcf_refer_core.c
test_cpmcf_refer_LIBS :=
# session timer and in-dialog failures (cpmcf_timer_core.c, RFC 4028 / 5057)
UNIT_TESTS += test_cpmcf_timer
test_cpmcf_timer_SRCS := test_cpmcf_timer.c $(MODDIR)/cpm_cf/cpmcf_timer_core.c
test_cpmcf_timer_LIBS :=
# the invitee's header dialect (cpmcf_dialect_core.c, issue 7 Conventions)
UNIT_TESTS += test_cpmcf_dialect
test_cpmcf_dialect_SRCS := test_cpmcf_dialect.c $(MODDIR)/cpm_cf/cpmcf_dialect_core.c
test_cpmcf_dialect_LIBS :=
