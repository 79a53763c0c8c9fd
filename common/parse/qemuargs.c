/* qemuargs.c: parse QEMU's and qemu-dm's network options. */
#include "qemuargs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KV 24

/* libvirt passes -netdev and -device as flat JSON objects. */
static int json_opts(const char *s, struct qemu_kv *kv, int max)
{
	int n = 0;

	s++;
	for (;;) {
		char *dst;
		size_t cap, len;
		int field;

		while (*s == ' ')
			s++;
		if (*s == '}')
			return n;
		if (n == max)
			return -1;
		for (field = 0; field < 2; field++) {
			dst = field ? kv[n].value : kv[n].key;
			cap = field ? sizeof(kv[n].value) : sizeof(kv[n].key);
			len = 0;
			while (*s == ' ')
				s++;
			if (*s == '"') {
				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && s[1])
						s++;
					if (len + 1 >= cap)
						return -1;
					dst[len++] = *s;
				}
				if (*s++ != '"')
					return -1;
			} else if (field) {
				/* numbers and booleans as their text */
				while (*s &&
				       strchr("-+.0123456789truefalsn", *s)) {
					if (len + 1 >= cap)
						return -1;
					dst[len++] = *s++;
				}
				if (!len)
					return -1; /* nested values: not ours */
			} else
				return -1;
			dst[len] = '\0';
			while (*s == ' ')
				s++;
			if (!field && *s++ != ':')
				return -1;
		}
		n++;
		if (*s == ',')
			s++;
		else if (*s != '}')
			return -1;
	}
}

int qemuargs_opts(const char *s, const char *implied, struct qemu_kv *kv,
		  int max)
{
	int n = 0;

	if (*s == '{')
		return json_opts(s, kv, max);
	while (*s) {
		char word[320];
		const char *key, *value;
		size_t len = 0;
		char *eq;

		if (n == max)
			return -1;
		/* ",," is a literal comma inside a value */
		for (; *s; s++) {
			if (*s == ',' && s[1] == ',')
				s++;
			else if (*s == ',')
				break;
			if (len + 1 >= sizeof(word))
				return -1;
			word[len++] = *s;
		}
		word[len] = '\0';
		if (*s == ',')
			s++;
		eq = strchr(word, '=');
		if (eq) {
			*eq = '\0';
			key = word;
			value = eq + 1;
		} else if (n || !implied) {
			/* a bare flag ("debug-threads"): its value is "" */
			key = word;
			value = "";
		} else {
			key = implied;
			value = word;
		}
		/* every copy is checked against its own buffer: nothing here
		 * writes past word's terminating NUL */
		if (strlen(key) >= sizeof(kv[n].key) ||
		    strlen(value) >= sizeof(kv[n].value))
			return -1;
		memcpy(kv[n].key, key, strlen(key) + 1);
		memcpy(kv[n].value, value, strlen(value) + 1);
		n++;
	}
	return n;
}

static const char *kv_get(const struct qemu_kv *kv, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return kv[i].value;
	return NULL;
}

static void copy(char *dst, size_t cap, const char *src)
{
	size_t len = src ? strlen(src) : 0;

	if (len >= cap)
		len = 0; /* too long to be what we look for */
	memcpy(dst, src ? src : "", len);
	dst[len] = '\0';
}

/* The two halves of a NIC as the command line gives them: backends
 * (-netdev, -net tap) and guest devices (-device, -net nic). */
struct half {
	char key[64]; /* netdev id, or "vlanN" */
	char ifname[NAMES_IFNAMSIZ], mac[NAMES_MAC_STRLEN], model[32];
	char bridge[NAMES_IFNAMSIZ];
	int fd;
	int fds[QEMU_MAX_QUEUES];
	unsigned nfds;
	int tap; /* a backend of type tap */
	unsigned order;
};

struct halves {
	struct half back[QEMU_MAX_NICS], front[QEMU_MAX_NICS];
	unsigned nback, nfront;
};

static int to_fd(const char *v)
{
	char *end;
	long fd;

	if (!v || !*v)
		return -1;
	fd = strtol(v, &end, 10);
	return *end || fd < 0 || fd > 65535 ? -1 : (int)fd;
}

/* fds=35:37 (a multiqueue tap's queues): all of them, or none when one
 * is not a descriptor number; past QEMU_MAX_QUEUES, the rest ignored */
static void to_fds(const char *v, int fds[QEMU_MAX_QUEUES], unsigned *n)
{
	char one[16];

	*n = 0;
	while (v && *v && *n < QEMU_MAX_QUEUES) {
		size_t len = strcspn(v, ":");

		if (len == 0 || len >= sizeof(one)) {
			*n = 0;
			return;
		}
		memcpy(one, v, len);
		one[len] = '\0';
		if ((fds[*n] = to_fd(one)) < 0) {
			*n = 0;
			return;
		}
		(*n)++;
		v += len;
		if (*v == ':')
			v++;
	}
}

static void add_back(struct halves *h, const char *key,
		     const struct qemu_kv *kv, int n)
{
	const char *type = kv_get(kv, n, "type");
	struct half *b;

	if (h->nback == QEMU_MAX_NICS || !key)
		return;
	b = &h->back[h->nback++];
	memset(b, 0, sizeof(*b));
	copy(b->key, sizeof(b->key), key);
	copy(b->ifname, sizeof(b->ifname), kv_get(kv, n, "ifname"));
	copy(b->bridge, sizeof(b->bridge), kv_get(kv, n, "br"));
	if (!b->bridge[0])
		copy(b->bridge, sizeof(b->bridge), kv_get(kv, n, "bridge"));
	b->fd = to_fd(kv_get(kv, n, "fd"));
	to_fds(kv_get(kv, n, "fds"), b->fds, &b->nfds);
	b->tap = type && !strcmp(type, "tap");
}

static void add_front(struct halves *h, const char *key, const char *mac,
		      const char *model)
{
	struct half *f;

	if (h->nfront == QEMU_MAX_NICS || !key)
		return;
	f = &h->front[h->nfront];
	memset(f, 0, sizeof(*f));
	copy(f->key, sizeof(f->key), key);
	copy(f->mac, sizeof(f->mac), mac);
	copy(f->model, sizeof(f->model), model);
	f->order = h->nfront++;
}

static void vlan_key(char *buf, size_t len, const char *vlan)
{
	snprintf(buf, len, "vlan%.16s", vlan && *vlan ? vlan : "0");
}

static void option(struct qemu_info *qi, struct halves *h, const char *opt,
		   const char *val)
{
	struct qemu_kv kv[MAX_KV];
	char key[64];
	int n;

	if (!strcmp(opt, "xen-domid") || !strcmp(opt, "d")) {
		char *end;
		long d = strtol(val, &end, 10);

		if (!*end && end != val && d >= 0 && d < 0x7ff0)
			qi->domid = d;
	} else if (!strcmp(opt, "domain-name")) {
		copy(qi->name, sizeof(qi->name), val);
	} else if (!strcmp(opt, "name")) {
		n = qemuargs_opts(val, "guest", kv, MAX_KV);
		if (n > 0)
			copy(qi->name, sizeof(qi->name),
			     kv_get(kv, n, "guest"));
	} else if (!strcmp(opt, "uuid")) {
		copy(qi->uuid, sizeof(qi->uuid), val);
	} else if (!strcmp(opt, "netdev")) {
		n = qemuargs_opts(val, "type", kv, MAX_KV);
		if (n > 0)
			add_back(h, kv_get(kv, n, "id"), kv, n);
	} else if (!strcmp(opt, "device")) {
		n = qemuargs_opts(val, "driver", kv, MAX_KV);
		if (n > 0 && kv_get(kv, n, "netdev"))
			add_front(h, kv_get(kv, n, "netdev"),
				  kv_get(kv, n, "mac"),
				  kv_get(kv, n, "driver"));
	} else if (!strcmp(opt, "net")) {
		const char *type;

		n = qemuargs_opts(val, "type", kv, MAX_KV);
		if (n <= 0 || !(type = kv_get(kv, n, "type")))
			return;
		vlan_key(key, sizeof(key), kv_get(kv, n, "vlan"));
		if (!strcmp(type, "nic"))
			add_front(h, key, kv_get(kv, n, "macaddr"),
				  kv_get(kv, n, "model"));
		else
			add_back(h, key, kv, n);
	} else if (!strcmp(opt, "nic")) {
		/* -nic tap,...: both halves in one option */
		n = qemuargs_opts(val, "type", kv, MAX_KV);
		if (n <= 0)
			return;
		snprintf(key, sizeof(key), "nic%u", h->nfront);
		add_back(h, key, kv, n);
		add_front(h, key, kv_get(kv, n, "mac"), kv_get(kv, n, "model"));
	}
}

int qemuargs_parse(const char *argv, size_t len, struct qemu_info *qi)
{
	struct halves *h;
	const char *end = argv + len;
	char opt[64] = "";

	memset(qi, 0, sizeof(*qi));
	qi->domid = -1;
	if (!len || (argv[len - 1] != '\0' && !memchr(argv, '\0', len)))
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	/* Every "-opt" or "--opt" takes the next word as its value; a flag
	 * with no value (-S) just hands a harmless word to option(). */
	for (const char *a = argv; a < end;) {
		const char *nul = memchr(a, '\0', (size_t)(end - a));
		size_t alen = nul ? (size_t)(nul - a) : (size_t)(end - a);
		char word[4096];

		if (alen >= sizeof(word))
			alen = 0; /* no option of ours is that long */
		memcpy(word, a, alen);
		word[alen] = '\0';
		if (opt[0])
			option(qi, h, opt, word);
		opt[0] = '\0';
		if (word[0] == '-' && word[1])
			snprintf(opt, sizeof(opt), "%s",
				 word + (word[1] == '-' ? 2 : 1));
		a += alen + 1;
	}
	/* A tap backend and its guest device, matched by id or vlan; its
	 * index is the device's position among all NICs. */
	for (unsigned b = 0; b < h->nback && qi->nnics < QEMU_MAX_NICS; b++) {
		struct qemu_nic *nic;

		if (!h->back[b].tap)
			continue;
		nic = &qi->nics[qi->nnics++];
		memset(nic, 0, sizeof(*nic));
		memcpy(nic->ifname, h->back[b].ifname, sizeof(nic->ifname));
		memcpy(nic->bridge, h->back[b].bridge, sizeof(nic->bridge));
		memcpy(nic->netdev, h->back[b].key, sizeof(nic->netdev));
		nic->fd = h->back[b].fd;
		memcpy(nic->fds, h->back[b].fds, sizeof(nic->fds));
		nic->nfds = h->back[b].nfds;
		nic->index = h->nfront + b; /* no device: after them all */
		for (unsigned f = 0; f < h->nfront; f++)
			if (!strcmp(h->front[f].key, h->back[b].key)) {
				memcpy(nic->mac, h->front[f].mac,
				       sizeof(nic->mac));
				memcpy(nic->model, h->front[f].model,
				       sizeof(nic->model));
				nic->index = h->front[f].order;
				break;
			}
	}
	free(h);
	return 0;
}

const struct qemu_nic *qemuargs_by_ifname(const struct qemu_info *qi,
					  const char *ifname)
{
	for (unsigned i = 0; i < qi->nnics; i++)
		if (qi->nics[i].ifname[0] &&
		    !strcmp(qi->nics[i].ifname, ifname))
			return &qi->nics[i];
	return NULL;
}

const struct qemu_nic *qemuargs_by_fd(const struct qemu_info *qi, int fd)
{
	for (unsigned i = 0; i < qi->nnics; i++) {
		if (qi->nics[i].fd >= 0 && qi->nics[i].fd == fd)
			return &qi->nics[i];
		for (unsigned q = 0; fd >= 0 && q < qi->nics[i].nfds; q++)
			if (qi->nics[i].fds[q] == fd)
				return &qi->nics[i];
	}
	return NULL;
}
