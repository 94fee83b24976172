# cpm_pf unit tests (pure code: device capability rules, preference
# profiles).  The device rules are tested on the masks cpm_headers' own
# service scan gives for real Contact headers (cpmh_service.c linked in).
UNIT_TESTS += test_cpmpf_devices test_cpmpf_prefs
test_cpmpf_devices_SRCS := test_cpmpf_devices.c \
	$(MODDIR)/cpm_pf/cpmpf_devices_core.c $(MODDIR)/cpm_headers/cpmh_service.c
test_cpmpf_devices_LIBS :=
test_cpmpf_prefs_SRCS := test_cpmpf_prefs.c $(MODDIR)/cpm_pf/cpmpf_prefs_core.c \
	$(MODDIR)/cpm_pf/cpmpf_devices_core.c
test_cpmpf_prefs_LIBS :=
# the reg-event subscription's life (cpmpf_regsub_core.c, RFC 6665):
# Subscription-State parser / printer, re-subscribe rule, refresh time
UNIT_TESTS += test_cpmpf_regsub
test_cpmpf_regsub_SRCS := test_cpmpf_regsub.c $(MODDIR)/cpm_pf/cpmpf_regsub_core.c
test_cpmpf_regsub_LIBS :=
