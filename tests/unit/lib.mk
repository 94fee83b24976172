# lib/ (the shared lexical core, cpm_lex.c) unit and property tests.  The
# library itself is linked into every test binary (LIB_SRCS in Makefile);
# these tests include no Kamailio header either.
UNIT_TESTS += test_cpm_lex test_cpm_lex_fuzz
test_cpm_lex_SRCS := test_cpm_lex.c
test_cpm_lex_LIBS :=
test_cpm_lex_fuzz_SRCS := test_cpm_lex_fuzz.c
test_cpm_lex_fuzz_LIBS :=
# message/cpim (RFC 3862), IMDN (RFC 5438) and the hardened XML entry point
UNIT_TESTS += test_cpm_cpim test_cpm_imdn test_cpm_msg_fuzz test_cpm_reginfo
test_cpm_cpim_SRCS := test_cpm_cpim.c
test_cpm_imdn_SRCS := test_cpm_imdn.c
test_cpm_msg_fuzz_SRCS := test_cpm_msg_fuzz.c
test_cpm_reginfo_SRCS := test_cpm_reginfo.c
# multipart/mixed (RFC 2046 5.1) for the CF's recipient-list bodies
UNIT_TESTS += test_cpm_multipart
test_cpm_multipart_SRCS := test_cpm_multipart.c
# RFC 4826 resource-lists as recipient lists (RFC 5366/5365/5368, RFC 5364)
UNIT_TESTS += test_cpm_reslist
test_cpm_reslist_SRCS := test_cpm_reslist.c
# OMA XDM shared group documents (pre-defined groups, cfg/demo-groups.xml)
UNIT_TESTS += test_cpm_xdm
test_cpm_xdm_SRCS := test_cpm_xdm.c
# RFC 4575 conference-info (participant information NOTIFYs)
UNIT_TESTS += test_cpm_confinfo
test_cpm_confinfo_SRCS := test_cpm_confinfo.c
