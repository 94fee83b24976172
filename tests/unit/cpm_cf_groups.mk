# cpm_cf unit tests of the pre-defined groups and group messages concern:
# the group table (cpmcf_group_core.c) and the fan-out decision
# (cpmcf_msg_core.c)
UNIT_TESTS += test_cpmcf_group
test_cpmcf_group_SRCS := test_cpmcf_group.c $(MODDIR)/cpm_cf/cpmcf_group_core.c \
	$(MODDIR)/cpm_cf/cpmcf_msg_core.c
test_cpmcf_group_LIBS :=
