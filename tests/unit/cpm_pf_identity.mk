# cpm_pf unit tests of the originator / privacy concern: the
# identity table (cpmpf_identity_core.c) and the Privacy header parser and
# anonymization rules (cpmpf_privacy_core.c)
UNIT_TESTS += test_cpmpf_identity test_cpmpf_privacy
test_cpmpf_identity_SRCS := test_cpmpf_identity.c $(MODDIR)/cpm_pf/cpmpf_identity_core.c
test_cpmpf_identity_LIBS :=
test_cpmpf_privacy_SRCS := test_cpmpf_privacy.c $(MODDIR)/cpm_pf/cpmpf_privacy_core.c
test_cpmpf_privacy_LIBS :=
