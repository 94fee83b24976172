# cpm_pf recording unit tests (pure code, cpmpf_record_core.c: the
# recording rule, the role argument, the asserted originator of
# $xavp(cpmpf_orig), the sorted preference set with a property test)
UNIT_TESTS += test_cpmpf_record
test_cpmpf_record_SRCS := test_cpmpf_record.c $(MODDIR)/cpm_pf/cpmpf_record_core.c
test_cpmpf_record_LIBS :=
