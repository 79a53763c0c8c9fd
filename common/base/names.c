/* names.c: parse and validate interface names, MACs, MTUs, domids, paths. */
#include "names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

bool names_ifname_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= NAMES_IFNAMSIZ)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	/* Stricter than the kernel on purpose: these names end up in
	 * xenstore keys, log lines and hook environments. */
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == '.' || c == '@' || c == '+'))
			return false;
	}
	return true;
}

int names_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s)
		return -EINVAL;
	/* No leading zeros except "0" itself: "007" is not a domid. */
	if (s[0] == '0' && s[1])
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (unsigned long)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	*out = v;
	return 0;
}

int names_parse_domid(const char *s, unsigned *domid)
{
	unsigned long v;
	int rc = names_parse_ulong(s, NAMES_DOMID_MAX, &v);

	if (rc)
		return rc;
	*domid = (unsigned)v;
	return 0;
}

int names_parse_mtu(const char *s, unsigned *mtu)
{
	unsigned long v;
	int rc = names_parse_ulong(s, NAMES_MTU_MAX, &v);

	if (rc)
		return -EINVAL;
	if (v < NAMES_MTU_MIN)
		return -ERANGE;
	*mtu = (unsigned)v;
	return 0;
}

/* "D.N" with both parts domid-sized numbers; end points past N. */
static int parse_pair(const char *s, unsigned *a, unsigned *b, const char **end)
{
	char num[8];
	const char *dot = strchr(s, '.');
	size_t n;
	unsigned long v;

	if (!dot || (n = (size_t)(dot - s)) == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (names_parse_ulong(num, NAMES_DOMID_MAX, &v))
		return -EINVAL;
	*a = (unsigned)v;
	s = dot + 1;
	for (n = 0; s[n] >= '0' && s[n] <= '9'; n++)
		;
	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (names_parse_ulong(num, 0xffffffUL, &v))
		return -EINVAL;
	*b = (unsigned)v;
	*end = s + n;
	return 0;
}

int names_parse_vif(const char *name, unsigned *domid, unsigned *devid,
		    bool *emu)
{
	const char *end;

	if (!names_ifname_valid(name) || strncmp(name, "vif", 3))
		return -EINVAL;
	if (parse_pair(name + 3, domid, devid, &end))
		return -EINVAL;
	if (*end == '\0')
		*emu = false;
	else if (!strcmp(end, "-emu"))
		*emu = true;
	else
		return -EINVAL;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int names_parse_mac(const char *s, uint8_t mac[6])
{
	if (!s || strlen(s) != 17)
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		int hi = hexval(p[0]), lo = hexval(p[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i < 5 && p[2] != ':' && p[2] != '-')
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void names_format_mac(const uint8_t mac[6], char buf[NAMES_MAC_STRLEN])
{
	snprintf(buf, NAMES_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
		 mac[1], mac[2], mac[3], mac[4], mac[5]);
}

int names_parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefixlen)
{
	unsigned long v, host = 0;
	char part[4];

	for (int i = 0; i < 4; i++) {
		size_t n = strspn(s, "0123456789");

		if (n == 0 || n > 3)
			return -EINVAL;
		memcpy(part, s, n);
		part[n] = '\0';
		if (names_parse_ulong(part, 255, &v))
			return -EINVAL;
		host = host << 8 | v;
		s += n;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	*prefixlen = 32;
	if (*s == '/') {
		if (names_parse_ulong(s + 1, 32, &v))
			return -EINVAL;
		*prefixlen = (unsigned)v;
		if (v < 32 && (host & (0xffffffffUL >> v)))
			return -EINVAL;
	} else if (*s)
		return -EINVAL;
	*addr = htonl((uint32_t)host);
	return 0;
}

bool names_xs_path_valid(const char *path)
{
	size_t len = strlen(path);

	if (len == 0)
		return false;
	if (len >
	    (path[0] == '/' ? NAMES_XS_ABS_PATH_MAX : NAMES_XS_REL_PATH_MAX))
		return false;
	if (strcmp(path, "/") == 0)
		return true;
	if (path[len - 1] == '/' || strstr(path, "//"))
		return false;
	/* xenstored's alphabet; it leaves no room for "..", spaces or ';'. */
	return strspn(path, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-/_@") == len;
}

void names_xs_ifname(const char *ifname, char out[NAMES_XS_IFNAME_MAX])
{
	size_t o = 0;

	for (; *ifname && o + 4 <= NAMES_XS_IFNAME_MAX; ifname++) {
		unsigned char c = (unsigned char)*ifname;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 4, "_%02x", c);
	}
	out[o] = '\0';
}

int names_parse_backend_path(const char *path, const char *type,
			     unsigned *domid, unsigned *devid)
{
	static const char local[] = "/local/domain/";
	char num[8];
	size_t n, tlen = strlen(type);
	unsigned long v;

	if (!names_xs_path_valid(path))
		return -EINVAL;
	if (!strncmp(path, local, sizeof(local) - 1)) {
		path += sizeof(local) - 1;
		n = strspn(path, "0123456789");
		if (n == 0 || n >= sizeof(num) || path[n] != '/')
			return -EINVAL;
		memcpy(num, path, n);
		num[n] = '\0';
		if (names_parse_ulong(num, NAMES_DOMID_MAX, &v))
			return -EINVAL;
		path += n + 1;
	}
	if (strncmp(path, "backend/", 8) || strncmp(path + 8, type, tlen) ||
	    path[8 + tlen] != '/')
		return -EINVAL;
	path += 8 + tlen + 1;
	n = strcspn(path, "/");
	if (n == 0 || n >= sizeof(num) || path[n] != '/')
		return -EINVAL;
	memcpy(num, path, n);
	num[n] = '\0';
	if (names_parse_domid(num, domid))
		return -EINVAL;
	path += n + 1;
	if (names_parse_ulong(path, 0xffffffUL, &v))
		return -EINVAL;
	*devid = (unsigned)v;
	return 0;
}

uint32_t names_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}
