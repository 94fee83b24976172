# cpm_warning unit tests (pure code: cpm_warn.c)
UNIT_TESTS += test_cpm_warn
test_cpm_warn_SRCS := test_cpm_warn.c $(MODDIR)/cpm_warning/cpm_warn.c
test_cpm_warn_LIBS :=
# the shipped translations file, loaded by one of the tests
$(BIN)/test_cpm_warn: CFLAGS += -DCPMW_LANG_FILE='"$(TOP)/cfg/cpm_warning.lang"'
$(BIN)/test_cpm_warn: $(TOP)/cfg/cpm_warning.lang
