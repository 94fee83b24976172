# kamailio-cpm: OMA CPM Conversation Functions as Kamailio 5.6 modules.
#
#   make run     install what is missing, build, serve cfg/kamailio.cfg on
#                127.0.0.1:5060 (UDP and TCP) in the foreground with the demo
#                users of cfg/demo-users.txt; Ctrl-C stops
#   make test    install what is missing, build, run every test
#   make bench   throughput of the CPM path against a plain t_relay() proxy,
#                then cpm_cf group MESSAGE fan-out vs imc and group sessions
#
# Runtime data of `make run` (SQLite database, control socket, pid file)
# lives in var/, which git ignores.

TOP      := $(CURDIR)
BUILD    := $(TOP)/build
VAR      := $(TOP)/var
MODULES  := cpm_headers cpm_warning cpm_pf cpm_cf
# Kamailio's module folder, derived from the installed package (mk/kmoddir.sh);
# lazy, so that `make deps` may install kamailio first.
KMODDIR  ?= $(shell sh $(TOP)/mk/kmoddir.sh)
# Kamailio searches Debian's module folder, then each modules/<m>/<m>.so here.
MPATH     = $(KMODDIR):$(TOP)/modules

SIP_ADDR ?= 127.0.0.1
SIP_PORT ?= 5060
SHM_MB   ?= 256
PKG_MB   ?= 16
# TLSF instead of Kamailio's default qm allocator: about 3x the MESSAGEs per
# CPU-second on this path (docs/benchmarks.md, docs/operations.md).
MEM_MGR  ?= tlsf

KAMAILIO_DEFS = -A 'DBURL="sqlite://$(VAR)/db/cpm.sqlite"' \
	-A 'CPM_WARNING_TEXTS="$(TOP)/cfg/cpm_warning.lang"' \
	-A SIP_ADDR=$(SIP_ADDR) -A SIP_PORT=$(SIP_PORT) \
	-A 'CF_GROUPS_FILE="$(TOP)/cfg/demo-groups.xml"'

.PHONY: all deps modules unit-build tools test run bench clean distclean check-cfg

all: modules

deps:
	@sh mk/deps.sh $(BUILD)

modules: deps
	@for m in $(MODULES); do \
		$(MAKE) --no-print-directory -C modules/$$m || exit 1; \
	done

unit-build: deps
	@$(MAKE) --no-print-directory -C tests/unit all

tools:
	@$(MAKE) --no-print-directory -C tests/tools all

test: modules unit-build tools
	@sh tests/run.sh

# The demo users of cfg/demo-users.txt are (re)provisioned on every start,
# with the realm the cfg challenges with: the listen address SIP_ADDR, and
# their CPM Addresses (SIP and TEL URIs) from cfg/demo-identities.txt; the
# demo pre-defined group sip:friends@SIP_ADDR (alice, bob, carol, dave) is
# imported by cpm_cf at start-up from cfg/demo-groups.xml (CF_GROUPS_FILE,
# the cpm_cf groups_file parameter; the tests pass the same file).
run: modules
	@sh mk/dbinit.sh $(VAR)/db/cpm.sqlite
	@sh mk/provision.sh $(VAR)/db/cpm.sqlite $(SIP_ADDR) cfg/demo-users.txt
	@sh mk/provision-prefs.sh $(VAR)/db/cpm.sqlite cfg/demo-prefs.sql
	@sh mk/provision-identities.sh $(VAR)/db/cpm.sqlite $(SIP_ADDR) cfg/demo-identities.txt
	@mkdir -p $(VAR)/run
	@echo "kamailio-cpm on $(SIP_ADDR):$(SIP_PORT) (udp, tcp); Ctrl-C stops it"
	exec /usr/sbin/kamailio -f $(TOP)/cfg/kamailio.cfg -DD -E \
		-L $(MPATH) -Y $(VAR)/run -P $(VAR)/run/kamailio.pid \
		-m $(SHM_MB) -M $(PKG_MB) -x $(MEM_MGR) $(KAMAILIO_DEFS)

bench: modules
	@sh tests/bench/run.sh

clean:
	@for m in $(MODULES); do \
		$(MAKE) --no-print-directory -C modules/$$m clean >/dev/null 2>&1 || true; \
	done
	@rm -rf tests/unit/bin tests/tools/bin

# Also forgets the Kamailio source tree and the runtime data in var/.
distclean: clean
	rm -rf $(BUILD) $(VAR)
