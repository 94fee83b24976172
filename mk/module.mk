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
CPM_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/..)
ifeq ($(COREPATH),)
COREPATH := $(CPM_TOP)/build/kamailio/src
endif
include $(COREPATH)/Makefile.defs
# The shared lexical core lib/*.c (pure C, no Kamailio header) is compiled
# into every module.  Makefile.sources takes the module's *.c plus
# $(auto_gen); listing the library's files there (by name) and finding them
# through vpath puts each object into the module's own folder (cpm_lex.o
# beside cpm_hdr.o), so the modules never share or race on an object file.
CPM_LIBDIR := $(CPM_TOP)/lib
auto_gen = $(notdir $(wildcard $(CPM_LIBDIR)/*.c))
vpath %.c $(CPM_LIBDIR)
vpath %.h $(CPM_LIBDIR)
# lib/cpm_xml.c (the hardened XML entry point) uses libxml2: every module
# compiles and links it (libxml2-dev is in mk/deps.sh's package list).
DEFS += $(shell xml2-config --cflags)
LIBS += $(shell xml2-config --libs)
# The pure (Kamailio-free) code of each module also builds in the unit tests;
# keep it warning-clean there and here.  Kamailio's cmd_function/find_export
# idiom casts between function types, hence -Wno-cast-function-type; tm's
# own headers (t_stats.h, tags.h) write `inline static`, hence
# -Wno-old-style-declaration for modules that include tm_load.h.
DEFS += -I$(COREPATH) -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
	-Wno-cast-function-type -Wno-old-style-declaration
