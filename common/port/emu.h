/* emu.h: qemu-ifup and qemu-ifdown: an emulated NIC's tap onto its
 * bridge (a port row), labelled and recorded as its domain's (whose it
 * is: tap.h). */
#ifndef VIFPLUG_EMU_H
#define VIFPLUG_EMU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "hotplug.h"
#include "names.h"
#include "tap.h"

/* The MAC qemu-ifup gives a tap whose guest side has guest_mac (NULL or
 * "" if unknown): Xen's fe:ff:ff:ff:ff:ff, or with tap_mac = libvirt the
 * guest's with 0xfe first. */
void emu_tap_mac(const struct conf *c, const char *guest_mac, uint8_t mac[6]);

/* qemu-ifup and qemu-ifdown. */
int emu_up(struct hotplug *hp);
int emu_down(struct hotplug *hp);

#endif
