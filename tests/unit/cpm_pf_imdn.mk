# cpm_pf disposition notifications: pure parts (cpmpf_imdn_core.c: the
# permanent-refusal set, the new imdn.Message-ID is a CPIM Token)
UNIT_TESTS += test_cpmpf_imdn
test_cpmpf_imdn_SRCS := test_cpmpf_imdn.c $(MODDIR)/cpm_pf/cpmpf_imdn_core.c
test_cpmpf_imdn_LIBS :=
