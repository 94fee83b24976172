# cpm_cf: the Group Session records and their table (cpmcf_session_core.c)
UNIT_TESTS += test_cpmcf_session
test_cpmcf_session_SRCS := test_cpmcf_session.c $(MODDIR)/cpm_cf/cpmcf_session_core.c
test_cpmcf_session_LIBS :=
# the focus's SDP (cpmcf_sdp_core.c): parser, printer, answer and offer
UNIT_TESTS += test_cpmcf_sdp
test_cpmcf_sdp_SRCS := test_cpmcf_sdp.c $(MODDIR)/cpm_cf/cpmcf_sdp_core.c
test_cpmcf_sdp_LIBS :=
# REFER targets (cpmcf_refer_core.c): Refer-To, cid:, method, Replaces
UNIT_TESTS += test_cpmcf_refer
test_cpmcf_refer_SRCS := test_cpmcf_refer.c $(MODDIR)/cpm_cf/cpmcf_refer_core.c
test_cpmcf_refer_LIBS :=
