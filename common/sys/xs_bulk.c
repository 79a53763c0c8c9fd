/* xs_bulk.c: pipelined reads of xenstore over its wire protocol (Xen's
 * docs/misc/xenstore.txt; the header from libxen-dev), for reads only:
 * every write, watch and transaction stays libxenstore's. */
#include "xs_bulk.h"
#include "xs.h"
#include "names.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/io/xs_wire.h>

/* Requests in flight at once: below the outstanding-request quota
 * C xenstored keeps per connection (20 by default). */
#define XS_BULK_WINDOW 16
#define PENDING 1 /* an ask's err before its answer */

static int errno_of(const char *name, unsigned len)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(*xsd_errors); i++)
		if (strlen(xsd_errors[i].errstring) < len &&
		    !strcmp(name, xsd_errors[i].errstring))
			return -xsd_errors[i].errnum;
	return -EIO;
}

/* xenstored's socket, as libxenstore finds it; -1 if it cannot be
 * reached (then the caller asks through libxenstore). */
static int bulk_connect(void)
{
	const char *path = getenv("XENSTORED_PATH");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (!path)
		path = xs_daemon_socket();
	if (!path || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	xs_bound_fd(fd);
	return fd;
}

static int write_all(int fd, const char *b, size_t len)
{
	while (len) {
		ssize_t w = write(fd, b, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		len -= (size_t)w;
	}
	return 0;
}

/* One answer, whose request was a[id]. */
static int take(struct xs_ask *a, size_t sent, const struct xsd_sockmsg *m,
		const char *body)
{
	struct xs_ask *q;

	if (m->req_id >= sent || a[m->req_id].err != PENDING)
		return -1; /* not a question of ours: the stream is lost */
	q = &a[m->req_id];
	if (m->type == XS_ERROR) {
		q->err = errno_of(body, m->len);
		return 0;
	}
	if (m->type != (q->list ? XS_DIRECTORY : XS_READ))
		return -1;
	if (!(q->val = malloc(m->len + 1)))
		return q->err = -ENOMEM;
	memcpy(q->val, body, m->len);
	q->val[m->len] = '\0';
	q->len = m->len;
	q->err = 0;
	if (!q->list && strlen(q->val) != m->len) {
		free(q->val);
		q->val = NULL;
		q->len = 0;
		q->err = -EINVAL;
	}
	return 0;
}

/* The stream: a window of requests written in one go, their answers
 * read as they come. Asks it could not finish stay PENDING. */
static int stream(int fd, struct xs_ask *a, size_t n)
{
	enum { HDR = sizeof(struct xsd_sockmsg) };
	enum { INLEN = 2 * (HDR + XENSTORE_PAYLOAD_MAX) };
	char *out = malloc(XS_BULK_WINDOW * (HDR + XENSTORE_ABS_PATH_MAX + 1));
	char *in = malloc(INLEN);
	size_t sent = 0, answered = 0, have = 0;
	int rc = 0;

	if (!out || !in) {
		free(out);
		free(in);
		return -ENOMEM;
	}
	while (answered < n && !rc) {
		size_t olen = 0;

		for (; sent < n && sent - answered < XS_BULK_WINDOW; sent++) {
			size_t plen = strlen(a[sent].path) + 1;
			struct xsd_sockmsg m = {
			    .type = a[sent].list ? XS_DIRECTORY : XS_READ,
			    .req_id = (uint32_t)sent,
			    .len = (uint32_t)plen};

			if (plen > XENSTORE_ABS_PATH_MAX) {
				a[sent].err = -ENAMETOOLONG;
				answered++;
				continue;
			}
			memcpy(out + olen, &m, HDR);
			memcpy(out + olen + HDR, a[sent].path, plen);
			olen += HDR + plen;
		}
		if (olen && write_all(fd, out, olen)) {
			rc = -EIO;
			break;
		}
		if (answered == n)
			break;
		ssize_t r = read(fd, in + have, INLEN - have);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = -EIO;
			break;
		}
		have += (size_t)r;
		for (;;) {
			struct xsd_sockmsg m;

			if (have < HDR)
				break;
			memcpy(&m, in, HDR);
			if (m.len > XENSTORE_PAYLOAD_MAX) {
				rc = -EIO;
				break;
			}
			if (have < HDR + m.len)
				break;
			if (take(a, sent, &m, in + HDR)) {
				rc = -EIO;
				break;
			}
			answered++;
			have -= HDR + m.len;
			memmove(in, in + HDR + m.len, have);
		}
	}
	free(out);
	free(in);
	return rc;
}

/* One ask through libxenstore. */
static void ask_one(struct xs_handle *h, struct xs_ask *q)
{
	if (!h) {
		q->err = -ENOTCONN;
		return;
	}
	if (!q->list) {
		q->err = xs_get(h, XBT_NULL, q->path, &q->val);
		q->len = q->val ? (unsigned)strlen(q->val) : 0;
		return;
	}
	char **names;
	unsigned k, len = 0;

	if ((q->err = xs_list(h, XBT_NULL, q->path, &names, &k)))
		return;
	for (unsigned i = 0; i < k; i++)
		len += (unsigned)strlen(names[i]) + 1;
	if ((q->val = malloc(len + 1))) {
		q->len = 0;
		for (unsigned i = 0; i < k; i++) {
			memcpy(q->val + q->len, names[i], strlen(names[i]) + 1);
			q->len += (unsigned)strlen(names[i]) + 1;
		}
		q->val[q->len] = '\0';
	} else
		q->err = -ENOMEM;
	free(names);
}

int xs_bulk(struct xs_handle *h, struct xs_ask *a, size_t n)
{
	int fd = -1, rc = 0;

	for (size_t i = 0; i < n; i++) {
		a[i].val = NULL;
		a[i].len = 0;
		a[i].err = PENDING;
	}
	/* a few asks cost less than a connection */
	if (n >= 8 && (fd = bulk_connect()) >= 0) {
		rc = stream(fd, a, n);
		close(fd);
	}
	for (size_t i = 0; i < n && rc != -ENOMEM; i++)
		if (a[i].err == PENDING)
			ask_one(h, &a[i]);
	for (size_t i = 0; i < n; i++)
		if (a[i].err == -ENOMEM)
			rc = -ENOMEM;
	if (rc == -ENOMEM) {
		xs_asks_free(a, n);
		return rc;
	}
	return 0;
}

void xs_asks_free(struct xs_ask *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].val);
		a[i].val = NULL;
	}
}

int xs_bulk_read_bufs(struct xs_handle *h, const char *const *paths,
		      char *const *bufs, const size_t *lens, size_t n)
{
	struct xs_ask *a = calloc(n ? n : 1, sizeof(*a));
	int rc;

	if (!a)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		a[i].path = paths[i];
	if ((rc = xs_bulk(h, a, n)) == 0)
		for (size_t i = 0; i < n; i++)
			if (!a[i].err && a[i].len < lens[i])
				memcpy(bufs[i], a[i].val, a[i].len + 1);
	xs_asks_free(a, n);
	free(a);
	return rc;
}

int xs_backends_list(struct xs_handle *h, const char *dir, unsigned (**v)[2],
		     size_t *n)
{
	char **doms;
	unsigned nd, d, k;
	struct xs_ask *a;
	char(*paths)[128];
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (!h || xs_list(h, XBT_NULL, dir, &doms, &nd))
		return 0;
	a = calloc(nd ? nd : 1, sizeof(*a));
	paths = calloc(nd ? nd : 1, sizeof(*paths));
	if (!a || !paths) {
		free(a);
		free(paths);
		free(doms);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < nd; i++)
		if (!names_parse_domid(doms[i], &d)) {
			snprintf(paths[i], sizeof(paths[i]), "%s/%u", dir, d);
			a[i].path = paths[i];
			a[i].list = true;
		} else
			a[i].path = NULL;
	/* the domains that are not ids are asked nothing */
	k = 0;
	for (unsigned i = 0; i < nd; i++)
		if (a[i].path)
			a[k++] = a[i];
	rc = xs_bulk(h, a, k);
	for (unsigned i = 0; !rc && i < k; i++) {
		const char *p = a[i].val, *end = a[i].val + a[i].len;

		if (a[i].err ||
		    sscanf(strrchr(a[i].path, '/') + 1, "%u", &d) != 1)
			continue;
		for (; p < end; p += strlen(p) + 1) {
			unsigned dev;

			if (names_parse_domid(p, &dev))
				continue;
			if (*n == cap) {
				size_t c2 = cap * 2 + 64;
				unsigned(*nv)[2] =
				    realloc(*v, c2 * sizeof(**v));

				if (!nv) {
					rc = -ENOMEM;
					break;
				}
				*v = nv;
				cap = c2;
			}
			(*v)[*n][0] = d;
			(*v)[*n][1] = dev;
			(*n)++;
		}
	}
	xs_asks_free(a, k);
	free(a);
	free(paths);
	free(doms);
	if (rc) {
		free(*v);
		*v = NULL;
		*n = 0;
	}
	return rc;
}
