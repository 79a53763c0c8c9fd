# vifplug: build, test, install. See README.md.
PREFIX ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/libexec/vifplug
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UDEVDIR ?= /lib/udev/rules.d
SYSTEMDDIR ?= /lib/systemd/system
# libvirt >= 6.5 runs every executable in qemu.d with the domain XML
LIBVIRT_HOOKDIR ?= /etc/libvirt/hooks/qemu.d
CC ?= cc
SANITIZE ?=

# A sanitizer build lives apart, so that switching never mixes objects.
BUILD := $(if $(SANITIZE),build-sanitize,build)
OBJ := $(BUILD)/obj

XS_LIBDIR := $(shell pkg-config --variable=libdir xenstore 2>/dev/null || echo /usr/lib/x86_64-linux-gnu)
# libxenstore linked statically: a driver domain need not carry Xen's
# libraries, and the helper does no dynamic loading at start.
XS_STATIC := $(XS_LIBDIR)/libxenstore.a $(XS_LIBDIR)/libxentoolcore.a
# jansson (OVSDB's JSON) statically too: MIT, no dependencies of its own.
XS_STATIC += $(XS_LIBDIR)/libjansson.a
# libnftnl statically where its .a is there (Debian's libnftnl-dev ships
# one): one shared object fewer mapped and relocated at every exec, and
# only the functions antispoofing calls (--gc-sections). libmnl has no
# .a in Debian: it stays a shared object, unless STATIC=1 (below).
NFTNL_A := $(wildcard $(XS_LIBDIR)/libnftnl.a)
NFTNL := $(if $(NFTNL_A),$(NFTNL_A),-lnftnl)
MNL := -lmnl
# make STATIC=1: netback's helpers (vif-*) linked wholly static
# (static-pie: no loader, no relocations of shared objects at exec),
# where a static libmnl is at hand: LIBMNL_A=/path/libmnl.a. Debian
# ships none, and its package stays dynamic, as its policy wants.
# vifplugd (libudev), vifctl, qemu-ifup and the libvirt hook (libxml2,
# loaded by dlopen) stay dynamic whatever STATIC says.
STATIC ?=
LIBMNL_A ?= $(wildcard $(XS_LIBDIR)/libmnl.a)
STATIC_HELPERS := $(addprefix $(BUILD)/,vif-bridge vif-route vif-nat vif-openvswitch vif-setup)
ifeq ($(STATIC),1)
ifeq ($(wildcard $(LIBMNL_A)),)
$(info make: STATIC=1 needs a static libmnl (LIBMNL_A=/path/to/libmnl.a) and none is here (Debian ships none): the helpers are linked dynamically)
else
$(STATIC_HELPERS): MNL := $(LIBMNL_A)
$(STATIC_HELPERS): HELPER_LD := -static-pie
endif
endif

WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wformat=2 -Wshadow
HARDEN := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
# each function its own section, and the unused ones dropped at link: a
# helper maps and faults in only what it runs
SECTIONS := -ffunction-sections -fdata-sections
CFLAGS ?= -O2 -g
# the version --version prints: debian/changelog's newest entry
VERSION ?= $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
# libxml2 (libvirt's own dependency) reads libvirt's domain and status XML
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
# common/'s folders are its layers (scripts/layers.sh has the rules)
LAYERS := base parse sys event port tool daemon
LAYER_INC := $(LAYERS:%=-Icommon/%)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) $(HARDEN) $(SECTIONS) $(CFLAGS) $(LAYER_INC) $(XML_CFLAGS)
LDHARDEN := -pie -Wl,-z,relro,-z,now -Wl,--as-needed -Wl,--gc-sections
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -U_FORTIFY_SOURCE
LDHARDEN += -fsanitize=$(SANITIZE)
endif
ALL_LDFLAGS := $(LDHARDEN) $(LDFLAGS)

COMMON_SRC := $(wildcard common/*/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(OBJ)/%.o)
LIB := $(BUILD)/libvifplug.a

HELPERS := vif-bridge vif-route vif-nat vif-openvswitch vif-setup qemu-ifup qemu-ifdown vifctl vifplugd libvirt-hook
HELPER_BIN := $(HELPERS:%=$(BUILD)/%)
# What is run by libxl, udev, QEMU and systemd goes to LIBEXECDIR; what
# a person runs, to SBINDIR.
LIBEXEC_BIN := $(filter-out $(BUILD)/vifctl,$(HELPER_BIN))

SIM_SRC := $(wildcard tests/sim/*.c)
SIM_OBJ := $(SIM_SRC:%.c=$(OBJ)/%.o)
SIM := $(BUILD)/xenstored-sim

TOOLS := $(BUILD)/xs-probe $(BUILD)/syslog-sink $(BUILD)/tap-holder $(BUILD)/uevent-send \
	$(BUILD)/tap-wire $(BUILD)/no-nftables \
	$(BUILD)/private-paths

UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)

MANPAGES := $(wildcard man/*.[0-9])

.PHONY: all check unit bats demo bench fuzz install uninstall clean tools deb
all: $(HELPER_BIN) $(SIM) $(TOOLS) $(UNIT_BIN)

$(OBJ)/%.o: %.c $(wildcard common/*/*.h tests/sim/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# --version: only usage.o knows it, and is rebuilt when it changes
$(OBJ)/common/base/usage.o: ALL_CFLAGS += -DVIFPLUG_VERSION='"$(VERSION)"'
$(OBJ)/common/base/usage.o: debian/changelog
# doctor's advice names how this build is installed, and where
INSTALL_HINT ?= make install
$(OBJ)/common/tool/doctor.o: ALL_CFLAGS += -DVIFPLUG_INSTALL='"$(INSTALL_HINT)"' \
	-DVIFPLUG_LIBEXECDIR='"$(LIBEXECDIR)"'

# An include that points up a layer fails the build, before compiling.
$(BUILD)/layers.ok: scripts/layers.sh $(wildcard common/*/*.[ch])
	@mkdir -p $(dir $@)
	scripts/layers.sh common
	@touch $@

$(LIB): $(BUILD)/layers.ok $(COMMON_OBJ)
	@rm -f $@
	ar rcs $@ $(COMMON_OBJ)

$(BUILD)/%: $(OBJ)/helpers/%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(HELPER_LD) $< $(LIB) $(XS_STATIC) $(NFTNL) $(MNL) -o $@

# The daemon alone needs threads and libudev (for coldplug's enumeration).
$(BUILD)/vifplugd: $(OBJ)/helpers/vifplugd.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(LIB) $(XS_STATIC) $(NFTNL) $(MNL) -ludev -lpthread -o $@

# make bench's tools: not built by all.
$(BUILD)/vifbench: $(OBJ)/bench/vifbench.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(LIB) $(XS_STATIC) $(NFTNL) $(MNL) -ludev -lpthread -o $@

# the one-shot reference: xen-vif-hp's work alone, linked as ours are
$(BUILD)/minimal: $(OBJ)/bench/minimal.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(XS_STATIC) -lmnl -o $@

$(BUILD)/noop-static: bench/noop.c
	$(CC) -O2 -static $< -o $@

# The same no-op linked as the helpers are (PIE, BIND_NOW, libc and
# libmnl loaded): what dynamic linking alone costs.
$(BUILD)/noop-dynamic: bench/noop.c
	$(CC) -O2 $(HARDEN) $(LDHARDEN) $< -Wl,--no-as-needed -lmnl -lnftnl -o $@

$(SIM): $(SIM_OBJ)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ -o $@

$(BUILD)/xs-probe: $(OBJ)/tests/tools/xs-probe.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(XS_STATIC) -o $@

$(BUILD)/syslog-sink: $(OBJ)/tests/tools/syslog-sink.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< -o $@

$(BUILD)/uevent-send: $(OBJ)/tests/tools/uevent-send.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(LIB) -o $@

$(BUILD)/tap-holder: $(OBJ)/tests/tools/tap-holder.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< -o $@

$(BUILD)/tap-wire: $(OBJ)/tests/tools/tap-wire.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< -o $@

$(BUILD)/private-paths: $(OBJ)/tests/tools/private-paths.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< -o $@

$(BUILD)/no-nftables: $(OBJ)/tests/tools/no-nftables.o
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< -o $@

$(BUILD)/test-%: $(OBJ)/tests/unit/test-%.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $< $(LIB) $(XS_STATIC) $(NFTNL) $(MNL) -lcmocka -lpthread -o $@

# Everything, ending with the line "N passed, N failed".
check: all
	@SANITIZE='$(SANITIZE)' scripts/check.sh $(BUILD)

# libFuzzer targets (clang) for every parser, FUZZ_TIME seconds each,
# from the seed corpus in tests/fuzz/corpus and every input that once
# crashed (tests/fuzz/corpus/regress); what they find is kept in
# $(BUILD)/fuzz/corpus-NAME for the next run (FUZZ_TIME=1800: a long run).
FUZZ_TIME ?= 20
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 $(LAYER_INC) -Itests/sim \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZERS := qemuargs names params conf uevent sim esc addrlist ovsdb libvirt dhcpconf
FUZZ_BIN := $(FUZZERS:%=$(BUILD)/fuzz/fuzz-%)
fuzz_src_qemuargs := common/parse/qemuargs.c common/base/names.c
fuzz_src_names := common/base/names.c
fuzz_src_params := common/parse/params.c
fuzz_src_conf := common/parse/conf.c common/base/names.c
fuzz_src_uevent := common/parse/uevent.c common/base/names.c
fuzz_src_sim := tests/sim/store.c tests/sim/tree.c
fuzz_src_esc := common/base/esc.c
fuzz_src_addrlist := common/parse/addrlist.c common/base/names.c
fuzz_src_ovsdb := common/sys/ovsdb.c common/parse/ovsbr.c common/base/esc.c common/base/names.c
fuzz_lib_ovsdb := -ljansson
fuzz_src_libvirt := common/sys/libvirt.c common/base/names.c
fuzz_src_dhcpconf := common/parse/dhcpconf.c
fuzz_lib_libvirt := $(XML_CFLAGS)

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(wildcard common/*/*.c common/*/*.h tests/sim/*.c tests/sim/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $< $(fuzz_src_$*) $(fuzz_lib_$*) -o $@

fuzz: $(FUZZ_BIN)
	@scripts/fuzz.sh $(BUILD)/fuzz $(FUZZ_TIME) $(FUZZERS)

unit: $(UNIT_BIN)
	@scripts/check.sh --unit-only $(BUILD)

# Ours against Xen's scripts, measured in one run (not part of check).
bench: all $(BUILD)/vifbench $(BUILD)/noop-static $(BUILD)/noop-dynamic $(BUILD)/minimal
	@bench/run.sh $(BUILD)

# A vif attached to a bridge in a throwaway namespace, as libxl would.
demo: all
	@scripts/demo.sh $(BUILD)

install: all
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UDEVDIR) \
		$(DESTDIR)$(SYSTEMDDIR)
	install -m 0755 $(LIBEXEC_BIN) $(DESTDIR)$(LIBEXECDIR)/
	install -m 0755 $(BUILD)/vifctl $(DESTDIR)$(SBINDIR)/
	sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' udev/65-vifplug.rules > \
		$(DESTDIR)$(UDEVDIR)/65-vifplug.rules
	chmod 0644 $(DESTDIR)$(UDEVDIR)/65-vifplug.rules
	# installed, not enabled: a host uses the rules or the daemon
	sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' systemd/vifplugd.service > \
		$(DESTDIR)$(SYSTEMDDIR)/vifplugd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/vifplugd.service
	for u in vifplug-metrics.service vifplug-metrics.timer; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/$$u > \
			$(DESTDIR)$(SYSTEMDDIR)/$$u; \
		chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/$$u; done
	for m in $(MANPAGES); do \
		sed 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' $$m > \
			$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; \
		chmod 0644 $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	ln -sf qemu-ifup.8 $(DESTDIR)$(MANDIR)/man8/qemu-ifdown.8
	# the libvirt hook: a link, so that the one installed binary runs
	install -d $(DESTDIR)$(LIBVIRT_HOOKDIR)
	ln -sf $(LIBEXECDIR)/libvirt-hook $(DESTDIR)$(LIBVIRT_HOOKDIR)/vifplug

uninstall:
	rm -f $(HELPERS:%=$(DESTDIR)$(LIBEXECDIR)/%) $(DESTDIR)$(SBINDIR)/vifctl \
		$(DESTDIR)$(UDEVDIR)/65-vifplug.rules \
		$(DESTDIR)$(SYSTEMDDIR)/vifplugd.service \
		$(DESTDIR)$(SYSTEMDDIR)/vifplug-metrics.service \
		$(DESTDIR)$(SYSTEMDDIR)/vifplug-metrics.timer \
		$(DESTDIR)$(LIBVIRT_HOOKDIR)/vifplug
	for m in $(MANPAGES); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/}; done
	rm -f $(DESTDIR)$(MANDIR)/man8/qemu-ifdown.8

# The Debian package, built from a copy of this tree (the repository
# is never written to), left in build/deb/: vifplug_VERSION_ARCH.deb.
deb:
	rm -rf build/deb
	mkdir -p build/deb/src
	tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - . | \
		tar -C build/deb/src -xf -
	cd build/deb/src && dpkg-buildpackage -us -uc -b
	rm -rf build/deb/src
	@ls build/deb/*.deb

clean:
	rm -rf build build-sanitize

.SECONDARY:
