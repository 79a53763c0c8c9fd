/* uevent.c: decoding udev monitor and kernel uevent messages. */
#include "uevent.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "names.h"

static int valid_prop(const char *p, size_t len)
{
	const char *eq = memchr(p, '=', len);

	if (!eq || eq == p)
		return 0;
	for (const char *k = p; k < eq; k++)
		if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') ||
		      (*k >= '0' && *k <= '9') || *k == '_'))
			return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return 1;
}

/* buf holds NUL-separated "KEY=VALUE" strings, the last one terminated. */
static int split(struct uevent *ev, size_t len)
{
	size_t off = 0;

	while (off < len) {
		size_t l = strnlen(ev->buf + off, len - off);

		if (l == len - off)
			return -EINVAL; /* unterminated */
		if (l) {
			if (ev->n == UEVENT_MAX_PROPS ||
			    !valid_prop(ev->buf + off, l))
				return -EINVAL;
			ev->props[ev->n++] = ev->buf + off;
		}
		off += l + 1;
	}
	ev->action = uevent_get(ev, "ACTION");
	ev->devpath = uevent_get(ev, "DEVPATH");
	ev->subsystem = uevent_get(ev, "SUBSYSTEM");
	if (!ev->action || !*ev->action || !ev->devpath ||
	    ev->devpath[0] != '/' || !ev->subsystem || !*ev->subsystem)
		return -EINVAL;
	return 0;
}

int uevent_decode(const void *msg, size_t len, struct uevent *ev)
{
	const char *m = msg;
	struct uevent_udev_header h;
	size_t hl;

	memset(ev, 0, offsetof(struct uevent, buf));
	if (len >= sizeof(h) && !memcmp(m, UEVENT_UDEV_PREFIX, 8)) {
		memcpy(&h, m, sizeof(h));
		if (ntohl(h.magic) != UEVENT_UDEV_MAGIC ||
		    h.properties_off < sizeof(h) || h.properties_off > len ||
		    h.properties_len > len - h.properties_off ||
		    h.properties_len == 0 || h.properties_len >= UEVENT_BUF)
			return -EINVAL;
		memcpy(ev->buf, m + h.properties_off, h.properties_len);
		return split(ev, h.properties_len);
	}
	/* The kernel's: "add@/devices/..." then the same properties. */
	hl = strnlen(m, len);
	if (hl == len || !memchr(m, '@', hl) || len >= UEVENT_BUF)
		return -EINVAL;
	memcpy(ev->buf, m + hl + 1, len - hl - 1);
	return split(ev, len - hl - 1);
}

const char *uevent_get(const struct uevent *ev, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < ev->n; i++)
		if (!strncmp(ev->props[i], key, kl) && ev->props[i][kl] == '=')
			return ev->props[i] + kl + 1;
	return NULL;
}

const char *uevent_sysname(const struct uevent *ev)
{
	const char *s = strrchr(ev->devpath, '/');

	return s ? s + 1 : ev->devpath;
}

uint32_t uevent_hash(const char *s)
{
	/* MurmurHash2 by Austin Appleby, as udevd computes its filters. */
	const uint32_t m = 0x5bd1e995;
	size_t len = strlen(s);
	uint32_t h = (uint32_t)len;
	const unsigned char *d = (const unsigned char *)s;

	while (len >= 4) {
		uint32_t k;

		memcpy(&k, d, 4);
		k *= m;
		k ^= k >> 24;
		k *= m;
		h *= m;
		h ^= k;
		d += 4;
		len -= 4;
	}
	switch (len) {
	case 3:
		h ^= (uint32_t)d[2] << 16;
		/* fall through */
	case 2:
		h ^= (uint32_t)d[1] << 8;
		/* fall through */
	case 1:
		h ^= d[0];
		h *= m;
	}
	h ^= h >> 13;
	h *= m;
	h ^= h >> 15;
	return h;
}

int uevent_action(const struct uevent *ev, struct uevent_action *pe)
{
	const char *name = uevent_sysname(ev);
	unsigned d, n;
	bool emu;

	memset(pe, 0, sizeof(*pe));
	/* SUBSYSTEM=="xen-backend", KERNEL=="vif-*", online/offline */
	if (!strcmp(ev->subsystem, "xen-backend") &&
	    !strncmp(name, "vif-", 4)) {
		const char *vif = uevent_get(ev, "vif");

		if (strcmp(ev->action, "online") &&
		    strcmp(ev->action, "offline"))
			return 0;
		pe->cmd = !strcmp(ev->action, "online") ? "online" : "offline";
		pe->type_if = "vif";
		/* netback names the link in the event; the queue key is
		 * that name, so the tap's events of the same NIC are apart */
		snprintf(pe->dev, sizeof(pe->dev), "%s",
			 vif && names_ifname_valid(vif) ? vif : name);
		return 1;
	}
	/* SUBSYSTEM=="net", KERNEL=="vif*-emu", add/remove */
	if (!strcmp(ev->subsystem, "net")) {
		const char *ifname = uevent_get(ev, "INTERFACE");

		if (!ifname)
			ifname = name;
		if (names_parse_vif(ifname, &d, &n, &emu) || !emu)
			return 0;
		if (strcmp(ev->action, "add") && strcmp(ev->action, "remove"))
			return 0;
		pe->cmd = !strcmp(ev->action, "add") ? "add" : "remove";
		pe->type_if = "tap";
		snprintf(pe->dev, sizeof(pe->dev), "%s", ifname);
		return 1;
	}
	return 0;
}
