/* uevent.h: the messages udev's monitor socket carries (udevd's
 * "libudev" header and properties) and the kernel's own uevents
 * ("ACTION@DEVPATH" then properties), decoded. Pure: libc only; fuzzed. */
#ifndef VIFPLUG_UEVENT_H
#define VIFPLUG_UEVENT_H

#include <stddef.h>
#include <stdint.h>

#define UEVENT_BUF 8192
#define UEVENT_MAX_PROPS 256 /* a real host's net device carries 15 to 40 */

/* udevd's header, all integers as udevd writes them (magic and hashes
 * in network order, offsets in host order). */
#define UEVENT_UDEV_PREFIX "libudev"
#define UEVENT_UDEV_MAGIC 0xfeedcafeU
struct uevent_udev_header {
	char prefix[8];
	uint32_t magic;
	uint32_t header_size;
	uint32_t properties_off;
	uint32_t properties_len;
	uint32_t filter_subsystem_hash;
	uint32_t filter_devtype_hash;
	uint32_t filter_tag_bloom_hi;
	uint32_t filter_tag_bloom_lo;
};

struct uevent {
	const char *action, *devpath, *subsystem;
	size_t n;
	const char *props[UEVENT_MAX_PROPS]; /* "KEY=VALUE" */
	char buf[UEVENT_BUF];
};

/* 0, or -EINVAL for anything that is not a well-formed message with
 * ACTION, DEVPATH and SUBSYSTEM (a property without '=', a key outside
 * [A-Za-z0-9_], a control character, too many or too long). */
int uevent_decode(const void *msg, size_t len, struct uevent *ev);

/* The value of key, or NULL. */
const char *uevent_get(const struct uevent *ev, const char *key);

/* The last component of DEVPATH ("vif-7-0", "vif7.0-emu"). */
const char *uevent_sysname(const struct uevent *ev);

/* What an event asks of the hotplug code, as the udev rules decide it
 * (65-vifplug.rules): 1 with the device (vifplugd's queue key), command
 * and type_if filled in, 0 for an event that is not ours. */
struct uevent_action {
	char dev[64];
	const char *cmd;     /* online, offline, add, remove */
	const char *type_if; /* vif or tap */
};
int uevent_action(const struct uevent *ev, struct uevent_action *pe);

/* udevd's filter hash of a subsystem or devtype (MurmurHash2, seed 0). */
uint32_t uevent_hash(const char *s);

#endif
