# cpm_headers unit tests (pure code: cpmh_id.c, cpmh_service.c)
UNIT_TESTS += test_cpmh_id test_cpmh_service
test_cpmh_id_SRCS := test_cpmh_id.c $(MODDIR)/cpm_headers/cpmh_id.c
test_cpmh_id_LIBS := -luuid
test_cpmh_service_SRCS := test_cpmh_service.c $(MODDIR)/cpm_headers/cpmh_service.c
test_cpmh_service_LIBS :=
