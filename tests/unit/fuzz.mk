# deterministic property-based ("fuzz") tests over the pure code of both
# modules: cpm_headers (cpmh_id.c, cpmh_service.c) and cpm_warning
# (cpm_warn.c).  Fixed-seed PRNG; CPM_FUZZ_SEED / CPM_FUZZ_SCALE in the
# environment change the seed / multiply the iteration counts.
UNIT_TESTS += test_cpm_fuzz
test_cpm_fuzz_SRCS := test_cpm_fuzz.c $(MODDIR)/cpm_headers/cpmh_id.c \
	$(MODDIR)/cpm_headers/cpmh_service.c $(MODDIR)/cpm_warning/cpm_warn.c
test_cpm_fuzz_LIBS := -luuid
