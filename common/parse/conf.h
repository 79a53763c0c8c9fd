/* conf.h: the optional configuration file, /etc/xen/vifplug.conf. */
#ifndef VIFPLUG_CONF_H
#define VIFPLUG_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

#define CONF_DEFAULT_PATH "/etc/xen/vifplug.conf"
#define CONF_PATH_MAX 256
#define CONF_DEFAULT_TIMEOUT 30 /* seconds; libxl kills a script at 40 */

struct conf {
	char
	    script_dir[CONF_PATH_MAX]; /* hooks live in script_dir/vif-post.d */
	char log_file[CONF_PATH_MAX];  /* the hotplug log */
	char lock_dir[CONF_PATH_MAX];  /* one lock file per device */
	char metrics_file[CONF_PATH_MAX];    /* vifplugd's counters; "": none */
	char ovsdb_socket[CONF_PATH_MAX];    /* Open vSwitch's database */
	char default_bridge[NAMES_IFNAMSIZ]; /* before "the first bridge" */
	int log_level;	      /* syslog level written to the log */
	unsigned timeout;     /* seconds before a helper gives up */
	bool tap_mac_libvirt; /* qemu-ifup: guest MAC, first byte 0xfe */
	bool syslog;
	bool antispoof; /* nftables rules: a vif sends from its own MAC/IPs */
};

void conf_defaults(struct conf *c);

/* Parses key=value lines ('#' comments, blank lines, spaces around '=').
 * 0, or -EINVAL with *line set to the 1-based line and why[] saying why. */
int conf_parse(struct conf *c, const char *text, size_t len, unsigned *line,
	       char *why, size_t whylen);

/* The path of a vif's script: an absolute one as it is, a relative one
 * in script_dir, as libxl resolves a relative script= in
 * /etc/xen/scripts. The one rule for vif-setup, vifplugd and doctor.
 * 0, or -ENAMETOOLONG. */
int conf_script_path(const struct conf *c, const char *script, char *out,
		     size_t len);

/* Loads path; a missing file leaves the defaults and returns 0. */
int conf_load(struct conf *c, const char *path, unsigned *line, char *why,
	      size_t whylen);

#endif
