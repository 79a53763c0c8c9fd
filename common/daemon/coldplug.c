/* coldplug.c: what exists at vifplugd's start, as the events udev and
 * netback would have sent for it: every xen-backend vif udev knows,
 * every backend vif in this domain's xenstore (and its emulated tap),
 * every tap in qemu-ifup's records; and every vif antispoofing rules
 * are kept for, so that rules of a vif gone meanwhile are removed. */
#include "coldplug.h"

#include <errno.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "antispoof.h"
#include "log.h"
#include "names.h"
#include "uevent.h"
#include "xs.h"

struct walk {
	const struct coldplug_sink *sink;
	struct xs_handle *xs;
};

/* backend/vif/d/n's vif and its emulated tap, with the variables netback
 * and the kernel would have given their events. */
static int coldplug_backend(unsigned d, unsigned n, void *arg)
{
	const struct walk *w = arg;
	struct xs_handle *xs = w->xs;
	char path[128], vifname[NAMES_IFNAMSIZ] = "", script[256] = "";
	char xp[64], vif[32], emu[40], sc[300], dev[NAMES_IFNAMSIZ];
	const char *kv[] = {
	    xp, vif, sc, "XENBUS_TYPE=vif", "XENBUS_BASE_PATH=backend", emu};

	snprintf(path, sizeof(path), "backend/vif/%u/%u/vifname", d, n);
	xs_read_buf(xs, path, vifname, sizeof(vifname));
	snprintf(path, sizeof(path), "backend/vif/%u/%u/script", d, n);
	xs_read_buf(xs, path, script, sizeof(script));
	snprintf(xp, sizeof(xp), "XENBUS_PATH=backend/vif/%u/%u", d, n);
	snprintf(vif, sizeof(vif), "vif=vif%u.%u", d, n);
	snprintf(emu, sizeof(emu), "INTERFACE=vif%u.%u-emu", d, n);
	snprintf(sc, sizeof(sc), "script=%s", script);

	if (vifname[0] && names_ifname_valid(vifname))
		snprintf(dev, sizeof(dev), "%s", vifname);
	else
		snprintf(dev, sizeof(dev), "vif%u.%u", d, n);
	w->sink->check(dev, "online", "vif", kv, 5);
	/* the tap's event also has INTERFACE, the last of kv */
	snprintf(dev, sizeof(dev), "vif%u.%u-emu", d, n);
	if (vifname[0] && strlen(vifname) + 4 < sizeof(dev))
		snprintf(dev, sizeof(dev), "%s-emu", vifname);
	w->sink->check(dev, "add", "tap", kv, 6);
	return 0;
}

/* The xen-backend devices udev knows (a driver domain's netback). */
static void coldplug_udev(const struct coldplug_sink *sink)
{
	struct udev *u = udev_new();
	struct udev_enumerate *e = u ? udev_enumerate_new(u) : NULL;
	struct udev_list_entry *it;

	if (!e || udev_enumerate_add_match_subsystem(e, "xen-backend") ||
	    udev_enumerate_add_match_sysname(e, "vif-*") ||
	    udev_enumerate_scan_devices(e))
		goto out;
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
	{
		struct udev_device *dev = udev_device_new_from_syspath(
		    u, udev_list_entry_get_name(it));
		struct udev_list_entry *p;
		const char *kv[UEVENT_MAX_PROPS];
		char *owned[UEVENT_MAX_PROPS];
		size_t n = 0;
		const char *vif;

		if (!dev)
			continue;
		udev_list_entry_foreach(
		    p, udev_device_get_properties_list_entry(dev))
		{
			if (n == UEVENT_MAX_PROPS ||
			    asprintf(&owned[n], "%s=%s",
				     udev_list_entry_get_name(p),
				     udev_list_entry_get_value(p)) < 0)
				break;
			kv[n] = owned[n];
			n++;
		}
		vif = udev_device_get_property_value(dev, "vif");
		if (vif && names_ifname_valid(vif))
			sink->check(vif, "online", "vif", kv, n);
		while (n--)
			free(owned[n]);
		udev_device_unref(dev);
	}
out:
	if (e)
		udev_enumerate_unref(e);
	if (u)
		udev_unref(u);
}

static int rules_bridge(const char *dev, void *arg)
{
	((const struct coldplug_sink *)arg)->rules(dev, false);
	return 0;
}

static int rules_inet(const char *dev, void *arg)
{
	((const struct coldplug_sink *)arg)->rules(dev, true);
	return 0;
}

/* The vifs with rules, both families; no nf_tables here: none. */
static void coldplug_rules(const char *prog, const struct coldplug_sink *sink)
{
	struct ctx c;
	int rc;

	/* the main thread's own context, for its one netfilter socket */
	ctx_init(&c, prog, "coldplug");
	rc = antispoof_list(&c, false, rules_bridge, (void *)sink);
	if (!rc)
		rc = antispoof_list(&c, true, rules_inet, (void *)sink);
	if (rc && rc != -EPROTONOSUPPORT && rc != -EAFNOSUPPORT &&
	    rc != -EOPNOTSUPP)
		ctx_log(&c, LOG_WARNING,
			"antispoofing rules cannot be listed (%s): rules of "
			"vifs gone meanwhile are left",
			strerror(-rc));
	ctx_close(&c);
}

void coldplug_queue(const char *prog, const struct coldplug_sink *sink)
{
	struct walk w = {.sink = sink};
	struct ctx c = {.prog = prog, .command = "coldplug"};
	const char *transport;

	coldplug_rules(prog, sink);
	coldplug_udev(sink);
	if (xs_connect(&w.xs, &transport)) {
		ctx_log(&c, LOG_WARNING,
			"xenstore is not reachable: only udev's devices are "
			"checked");
	} else {
		xs_backends_foreach(w.xs, "backend/vif", coldplug_backend, &w);
		emu_records_foreach(w.xs, sink->record, NULL);
		xs_disconnect(w.xs);
	}
	ctx_log(&c, LOG_INFO, "queued");
}
