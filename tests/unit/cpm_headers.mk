# cpm_headers unit tests (pure code: cpm_hdr.c, cpm_service.c)
UNIT_TESTS += test_cpm_hdr test_cpm_service
test_cpm_hdr_SRCS := test_cpm_hdr.c $(MODDIR)/cpm_headers/cpm_hdr.c
test_cpm_hdr_LIBS := -luuid
test_cpm_service_SRCS := test_cpm_service.c $(MODDIR)/cpm_headers/cpm_service.c
test_cpm_service_LIBS :=
