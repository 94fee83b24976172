# cpm_pf: the one set of provisioned users (cpmpf_users_core.c) read by
# deferred delivery and the interworking decision; the TEL target rule of
# the interworking decision (cpmpf_isf_core.c, keyed like the identity
# table: cpmpf_identity_core.c)
UNIT_TESTS += test_cpmpf_users test_cpmpf_isf
test_cpmpf_users_SRCS := test_cpmpf_users.c $(MODDIR)/cpm_pf/cpmpf_users_core.c
test_cpmpf_users_LIBS :=
test_cpmpf_isf_SRCS := test_cpmpf_isf.c $(MODDIR)/cpm_pf/cpmpf_isf_core.c \
	$(MODDIR)/cpm_pf/cpmpf_identity_core.c
test_cpmpf_isf_LIBS :=
