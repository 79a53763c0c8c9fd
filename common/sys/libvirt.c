/* libvirt.c: libvirt's domain XML and libvirtd's status files, read with
 * libxml2: no network access, no external entities, no DTD loading; a
 * file is read only if root owns it and no one else may write it.
 *
 * libxml2 is loaded when first needed (dlopen, as systemd loads its
 * optional libraries): no program links it, so a driver domain, which
 * has no libvirt, does not install it and its ICU; a libvirt host has
 * it, as libvirt itself depends on it. */
#include "libvirt.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The five functions of libxml2's used here, and its xmlFree. */
static struct {
	xmlDoc *(*read_memory)(const char *, int, const char *, const char *,
			       int);
	xmlNode *(*root)(const xmlDoc *);
	void (*free_doc)(xmlDoc *);
	xmlChar *(*get_prop)(const xmlNode *, const xmlChar *);
	xmlChar *(*content)(const xmlNode *);
	xmlFreeFunc *free;
	bool ok;
} x;
static pthread_once_t x_once = PTHREAD_ONCE_INIT;

static void x_load(void)
{
	void *h = dlopen(LIBVIRT_LIBXML2, RTLD_NOW | RTLD_LOCAL);

	if (!h)
		return;
	*(void **)&x.read_memory = dlsym(h, "xmlReadMemory");
	*(void **)&x.root = dlsym(h, "xmlDocGetRootElement");
	*(void **)&x.free_doc = dlsym(h, "xmlFreeDoc");
	*(void **)&x.get_prop = dlsym(h, "xmlGetProp");
	*(void **)&x.content = dlsym(h, "xmlNodeGetContent");
	x.free = dlsym(h, "xmlFree");
	x.ok = x.read_memory && x.root && x.free_doc && x.get_prop &&
	       x.content && x.free && *x.free;
}

bool libvirt_xml_available(void)
{
	pthread_once(&x_once, x_load);
	return x.ok;
}

static void x_free(void *p)
{
	if (p)
		(*x.free)(p);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

/* attribute attr of n into out (cut to len: then ""), "" if absent */
static void attr(const xmlNode *n, const char *name, char *out, size_t len)
{
	xmlChar *v = n ? x.get_prop(n, (const xmlChar *)name) : NULL;

	out[0] = '\0';
	if (v && strlen((const char *)v) < len)
		memcpy(out, v, strlen((const char *)v) + 1);
	x_free(v);
}

static void parse_domain(const xmlNode *dom, struct libvirt_dom *d)
{
	const xmlNode *name = child(dom, "name");
	const xmlNode *devs = child(dom, "devices");
	int index = 0;

	if (name) {
		xmlChar *t = x.content(name);
		size_t n = t ? strlen((const char *)t) : 0;

		if (n < sizeof(d->name)) {
			memcpy(d->name, t ? (const char *)t : "", n + 1);
		} else {
			/* cut before a UTF-8 continuation byte, never inside
			 * a character */
			n = sizeof(d->name) - 4;
			while (n && (t[n] & 0xc0) == 0x80)
				n--;
			memcpy(d->name, t, n);
			memcpy(d->name + n, "...", 4);
			d->name_cut = true;
		}
		x_free(t);
	}
	for (const xmlNode *c = devs ? devs->children : NULL;
	     c && d->n < LIBVIRT_MAX_NICS; c = c->next) {
		struct libvirt_nic *nic = &d->nics[d->n];

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, "interface"))
			continue;
		attr(child(c, "target"), "dev", nic->dev, sizeof(nic->dev));
		attr(child(c, "alias"), "name", nic->alias, sizeof(nic->alias));
		if (strspn(nic->alias,
			   "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
		    strlen(nic->alias))
			nic->alias[0] = '\0';
		attr(child(c, "source"), "bridge", nic->bridge,
		     sizeof(nic->bridge));
		/* a network NIC's bridge: in the status file, <actual> */
		if (!nic->bridge[0])
			attr(child(child(c, "actual"), "source"), "bridge",
			     nic->bridge, sizeof(nic->bridge));
		if (!names_ifname_valid(nic->bridge))
			nic->bridge[0] = '\0';
		attr(child(c, "mac"), "address", nic->mac, sizeof(nic->mac));
		if (!names_ifname_valid(nic->dev))
			nic->dev[0] = '\0';
		nic->index = index++;
		d->n++;
	}
}

void libvirt_nic_id(const struct libvirt_nic *nic, char *buf, size_t len)
{
	if (nic->alias[0])
		snprintf(buf, len, "%s", nic->alias);
	else
		snprintf(buf, len, "%d", nic->index);
}

int libvirt_parse(const char *buf, size_t len, struct libvirt_dom *d)
{
	xmlDoc *doc;
	const xmlNode *root;
	char pid[16];

	memset(d, 0, sizeof(*d));
	if (!buf || !len || len > LIBVIRT_XML_MAX || len > INT32_MAX)
		return -EINVAL;
	/* libvirt writes no DOCTYPE: a document with one declares entities,
	 * and reading an element's text would expand them (a few KB that
	 * grow to GB); refused before libxml2 sees a byte */
	if (memmem(buf, len, "<!DOCTYPE", 9) || memmem(buf, len, "<!ENTITY", 8))
		return -EINVAL;
	if (!libvirt_xml_available())
		return -ENOSYS;
	doc = x.read_memory(buf, (int)len, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
	root = doc ? x.root(doc) : NULL;
	if (!root) {
		if (doc)
			x.free_doc(doc);
		return -EINVAL;
	}
	if (!strcmp((const char *)root->name, "domstatus")) {
		attr(root, "pid", pid, sizeof(pid));
		d->pid = (pid_t)strtol(pid, NULL, 10);
		root = child(root, "domain");
	} else if (strcmp((const char *)root->name, "domain"))
		root = NULL;
	if (root)
		parse_domain(root, d);
	x.free_doc(doc);
	return root ? 0 : -EINVAL;
}

/* path whole, if root owns it and only root may write it */
static char *read_trusted(int dirfd, const char *name, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd =
	    openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & 022) || st.st_size <= 0 ||
	    (size_t)st.st_size > LIBVIRT_XML_MAX ||
	    !(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	n = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

pid_t libvirt_qemu_pid(const char *dir, const char *name)
{
	char file[NAME_MAX + 1], *buf;
	size_t len;
	long pid = 0;
	int dfd;

	/* a name libvirt accepts has no '/', and is not "." or ".." */
	if (!*name || strchr(name, '/') || name[0] == '.' ||
	    snprintf(file, sizeof(file), "%s.pid", name) >= (int)sizeof(file))
		return 0;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 0;
	buf = read_trusted(dfd, file, &len);
	close(dfd);
	if (buf && len < 16)
		pid = strtol(buf, NULL, 10);
	free(buf);
	return pid > 1 && pid <= 0x400000 ? (pid_t)pid : 0;
}

int libvirt_status_load(const char *dir, struct libvirt_status *st)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	size_t cap = 0;

	memset(st, 0, sizeof(*st));
	if (!dh)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(dh)) && st->n < 4096) {
		size_t nl = strlen(e->d_name), len;
		char *buf;

		if (nl < 5 || strcmp(e->d_name + nl - 4, ".xml"))
			continue;
		if (!(buf = read_trusted(dirfd(dh), e->d_name, &len)))
			continue;
		if (st->n == cap) {
			struct libvirt_dom *v = realloc(
			    st->v, (cap = cap ? 2 * cap : 8) * sizeof(*v));

			if (!v) {
				free(buf);
				break;
			}
			st->v = v;
		}
		if (libvirt_parse(buf, len, &st->v[st->n]) == 0 &&
		    st->v[st->n].pid > 0)
			st->n++;
		free(buf);
	}
	closedir(dh);
	return 0;
}

void libvirt_status_free(struct libvirt_status *st)
{
	free(st->v);
	memset(st, 0, sizeof(*st));
}

const struct libvirt_dom *libvirt_status_find(const struct libvirt_status *st,
					      pid_t pid, const char *ifname,
					      const struct libvirt_nic **nic)
{
	for (size_t i = 0; i < st->n; i++) {
		if (st->v[i].pid != pid)
			continue;
		for (size_t k = 0; k < st->v[i].n; k++)
			if (!strcmp(st->v[i].nics[k].dev, ifname)) {
				*nic = &st->v[i].nics[k];
				return &st->v[i];
			}
	}
	return NULL;
}
