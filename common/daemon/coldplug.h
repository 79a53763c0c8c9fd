/* coldplug.h: vifplugd's start: a check for every device that exists. */
#ifndef VIFPLUG_COLDPLUG_H
#define VIFPLUG_COLDPLUG_H

#include <stdbool.h>
#include <stddef.h>

#include "emu.h"

struct coldplug_sink {
	/* dev's check: its event (cmd, type_if) with the variables kv the
	 * kernel or udev would have given it */
	void (*check)(const char *dev, const char *cmd, const char *type_if,
		      const char *const kv[], size_t n);
	/* a tap of qemu-ifup's records (emu_records_foreach's callback) */
	int (*record)(const struct emu_record *r, void *arg);
	/* a vif with antispoofing rules in table bridge (routed false) or
	 * inet vifplug, to be held to what exists and to the conf */
	void (*rules)(const char *dev, bool routed);
};

/* On the main thread, before the first uevent is read, so that every
 * device's check is queued ahead of its later events. */
void coldplug_queue(const char *prog, const struct coldplug_sink *sink);

#endif
