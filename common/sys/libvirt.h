/* libvirt.h: what libvirt says of its guests' NICs: a domain's XML (the
 * hook's stdin) and libvirtd's live status files (/run/libvirt/qemu/
 * NAME.xml: every NIC with its target dev, MAC and position, hot-plugged
 * ones included, and the QEMU's pid). Read with libxml2, no network, no
 * entities. */
#ifndef VIFPLUG_LIBVIRT_H
#define VIFPLUG_LIBVIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "names.h"

#define LIBVIRT_STATUS_DIR "/run/libvirt/qemu"
#define LIBVIRT_MAX_NICS 64
#define LIBVIRT_XML_MAX (4u << 20)

struct libvirt_nic {
	char dev[NAMES_IFNAMSIZ]; /* <target dev=>, "" if none */
	/* <source bridge=>: a bridge NIC's, and in a status file a network
	 * NIC's too (<actual><source bridge=>, libvirtd's record of the
	 * network's bridge); "" if none */
	char bridge[NAMES_IFNAMSIZ];
	char mac[NAMES_MAC_STRLEN];
	int index; /* position among the domain's interfaces */
	/* libvirt's device alias (<alias name=>: net0, ua-...), stable
	 * where the position is not (a NIC detached before it); "" if none */
	char alias[32];
};

/* A NIC's id in labels and altnames: its alias, else its position. */
void libvirt_nic_id(const struct libvirt_nic *nic, char *buf, size_t len);

struct libvirt_dom {
	/* libvirt bounds no name: a longer one is cut at a character's
	 * boundary and ends in "...", visibly (name_cut) */
	char name[128];
	bool name_cut;
	pid_t pid; /* <domstatus pid=> of a status file, 0 otherwise */
	struct libvirt_nic nics[LIBVIRT_MAX_NICS];
	size_t n;
};

/* libxml2's soname, loaded at the first parse (dlopen). */
#define LIBVIRT_LIBXML2 "libxml2.so.2"

/* Whether libxml2 could be loaded (a libvirt host has it). */
bool libvirt_xml_available(void);

/* A <domain> document, or a <domstatus> wrapping one. 0, -EINVAL, or
 * -ENOSYS when libxml2 is not installed. */
int libvirt_parse(const char *buf, size_t len, struct libvirt_dom *d);

/* The pid of domain name's QEMU, from libvirtd's pid file dir/NAME.pid
 * (root's, written by no one else); 0 if unknown. */
pid_t libvirt_qemu_pid(const char *dir, const char *name);

/* Every status file under dir that root wrote (owned by root, written by
 * no one else), parsed once. */
struct libvirt_status {
	struct libvirt_dom *v;
	size_t n;
};
int libvirt_status_load(const char *dir, struct libvirt_status *st);
void libvirt_status_free(struct libvirt_status *st);

/* The domain whose QEMU is pid and its NIC whose target is ifname. */
const struct libvirt_dom *libvirt_status_find(const struct libvirt_status *st,
					      pid_t pid, const char *ifname,
					      const struct libvirt_nic **nic);

#endif
