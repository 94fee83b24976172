# cpm_pf deferred delivery unit tests (pure code: the writer queue's FIFO
# and job packing, cpmpf_dbq_core.c; the store's delivered-set logic, header
# list and From tag handling, the SQLite literals, cpmpf_store_core.c; those
# are read back by libsqlite3 itself)
UNIT_TESTS += test_cpmpf_store
test_cpmpf_store_SRCS := test_cpmpf_store.c $(MODDIR)/cpm_pf/cpmpf_dbq_core.c \
	$(MODDIR)/cpm_pf/cpmpf_store_core.c
test_cpmpf_store_LIBS := -lsqlite3
