# Common prologue of the CPM module Makefiles.  A module Makefile reads:
#
#   include ../../mk/module.mk
#   NAME = cpm_x.so
#   LIBS += ...
#   include $(COREPATH)/Makefile.modules
#
# COREPATH is the src/ folder of the Kamailio source tree that mk/deps.sh
# unpacked and configured with the same flags as the installed core, so the
# module's version and compile-flags strings match `kamailio -V`.
ifeq ($(COREPATH),)
COREPATH := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../build/kamailio/src)
endif
include $(COREPATH)/Makefile.defs
auto_gen =
# The pure (Kamailio-free) code of each module also builds in the unit tests;
# keep it warning-clean there and here.  Kamailio's cmd_function/find_export
# idiom casts between function types, hence -Wno-cast-function-type.
DEFS += -I$(COREPATH) -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
	-Wno-cast-function-type
