/* names.h: parse and validate the names vifplug meets; pure, libc only. */
#ifndef VIFPLUG_NAMES_H
#define VIFPLUG_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NAMES_IFNAMSIZ 16	/* as the kernel's IFNAMSIZ, NUL included */
#define NAMES_MAC_STRLEN 18	/* "xx:xx:xx:xx:xx:xx" and NUL */
#define NAMES_DOMID_MAX 0x7fefU /* DOMID_FIRST_RESERVED - 1 */
#define NAMES_MTU_MIN 68U
#define NAMES_MTU_MAX 65535U
#define NAMES_XS_ABS_PATH_MAX 3072 /* XENSTORE_ABS_PATH_MAX */
#define NAMES_XS_REL_PATH_MAX 2048 /* XENSTORE_REL_PATH_MAX */

/* An interface name the kernel accepts and a log line can carry safely. */
bool names_ifname_valid(const char *name);

/* "vifD.N" (emu false) or "vifD.N-emu" (emu true). 0 or -EINVAL. */
int names_parse_vif(const char *name, unsigned *domid, unsigned *devid,
		    bool *emu);

/* A decimal number with no sign, no spaces and no leading junk. */
int names_parse_ulong(const char *s, unsigned long max, unsigned long *out);
int names_parse_domid(const char *s, unsigned *domid);
int names_parse_mtu(const char *s, unsigned *mtu);

/* "00:16:3e:00:00:01" (also '-' separated); 0 or -EINVAL. */
int names_parse_mac(const char *s, uint8_t mac[6]);
void names_format_mac(const uint8_t mac[6], char buf[NAMES_MAC_STRLEN]);

/* "a.b.c.d" (prefixlen 32) or "a.b.c.d/len", dotted quad only; addr in
 * network byte order; host bits must be zero. 0 or -EINVAL. */
int names_parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefixlen);

/* A path xenstored would accept: its characters, no "//", no trailing '/',
 * within the length limits. Relative paths are allowed. */
bool names_xs_path_valid(const char *path);

/* An interface name as a xenstore node name: xenstored's alphabet has no
 * '.', so every byte outside [A-Za-z0-9-] becomes _XX (hex), '_' too:
 * "vif7.0-emu" is "vif7_2e0-emu", and the mapping is one to one. */
#define NAMES_XS_IFNAME_MAX (NAMES_IFNAMSIZ * 3)
void names_xs_ifname(const char *ifname, char out[NAMES_XS_IFNAME_MAX]);

/* "[/local/domain/X/]backend/TYPE/D/N", the shape libxl and xend give
 * XENBUS_PATH. 0 or -EINVAL. */
int names_parse_backend_path(const char *path, const char *type,
			     unsigned *domid, unsigned *devid);

/* FNV-1a of a name, for the hash tables that key on interface names
 * (names differ mostly in their last characters). */
uint32_t names_hash(const char *s);

#endif
