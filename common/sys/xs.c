/* xs.c: xenstore access through libxenstore, errors as -errno. */
#include "xs.h"
#include "names.h"
#include "xs_bulk.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <xenstore.h>

#define XS_TXN_TRIES 64

/* Seconds a request may wait for xenstored; 0: forever (the helpers,
 * whose watchdog bounds the whole event). */
static _Atomic unsigned xs_timeout;

/* The connection of this thread whose request timed out: libxenstore
 * has closed it, and what is asked of it afterwards fails for that. */
static __thread const struct xs_handle *timed_out;

/* Outside a transaction's end, EAGAIN only comes from a socket timeout. */
static int xs_err(const struct xs_handle *h)
{
	if (!errno)
		return -EIO;
	if (xs_timeout && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		timed_out = h;
		return -ETIMEDOUT;
	}
	if (h && h == timed_out && errno == EBADF)
		return -ETIMEDOUT;
	return -errno;
}

bool xs_timed_out(const struct xs_handle *h)
{
	return h && h == timed_out;
}

/* libxenstore has no timeout and keeps its socket to itself; the socket
 * is the first member of its handle in every release, and the copy we
 * link is static, fixed at build time. What that member holds is
 * checked before it is used: a connected Unix stream socket, or nothing
 * is done (the xenbus device cannot be bounded this way anyway). */
static void bound_socket(struct xs_handle *h)
{
	struct timeval tv = {.tv_sec = xs_timeout};
	int fd = *(const int *)(const void *)h, type;
	socklen_t len = sizeof(type);
	struct sockaddr_un sa;
	socklen_t salen = sizeof(sa);

	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 ||
	    type != SOCK_STREAM ||
	    getpeername(fd, (struct sockaddr *)&sa, &salen) < 0 ||
	    sa.sun_family != AF_UNIX)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

void xs_bound_fd(int fd)
{
	struct timeval tv = {.tv_sec = xs_timeout};

	if (!xs_timeout)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

void xs_set_timeout(unsigned seconds)
{
	xs_timeout = seconds;
}

const char *xs_strerror(int rc)
{
	/* Per thread: vifplugd's workers each report their own errors. */
	static __thread char buf[64];

	if (rc != -ETIMEDOUT || !xs_timeout)
		return strerror(-rc);
	snprintf(buf, sizeof(buf), "xenstore did not answer within %u s",
		 (unsigned)xs_timeout);
	return buf;
}

int xs_connect(struct xs_handle **h, const char **transport)
{
	const char *path = getenv("XENSTORED_PATH");
	struct stat st;

	*h = xs_open(0);
	if (!*h)
		return errno ? -errno : -ECONNREFUSED;
	if (xs_timeout)
		bound_socket(*h);
	if (transport) {
		if (!path)
			path = xs_daemon_socket();
		*transport = (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
				 ? "socket"
				 : "xenbus device";
	}
	return 0;
}

void xs_disconnect(struct xs_handle *h)
{
	if (h == timed_out)
		timed_out = NULL;
	if (h)
		xs_close(h);
}

int xs_get(struct xs_handle *h, uint32_t t, const char *path, char **val)
{
	unsigned len;

	*val = xs_read(h, t, path, &len);
	if (!*val)
		return xs_err(h);
	/* A value with a NUL inside would be cut short by every caller. */
	if (strlen(*val) != len) {
		free(*val);
		*val = NULL;
		return -EINVAL;
	}
	return 0;
}

int xs_read_buf(struct xs_handle *h, const char *path, char *buf, size_t len)
{
	char *v;
	int rc = h ? xs_get(h, XBT_NULL, path, &v) : -ENOTCONN;

	if (rc)
		return rc;
	if (strlen(v) >= len)
		rc = -E2BIG;
	else
		memcpy(buf, v, strlen(v) + 1);
	free(v);
	return rc;
}

int xs_put(struct xs_handle *h, uint32_t t, const char *path, const char *val)
{
	if (!xs_write(h, t, path, val, (unsigned)strlen(val)))
		return xs_err(h);
	return 0;
}

int xs_remove(struct xs_handle *h, uint32_t t, const char *path)
{
	if (!xs_rm(h, t, path) && errno != ENOENT)
		return xs_err(h);
	return 0;
}

bool xs_exists(struct xs_handle *h, const char *path)
{
	unsigned len;
	char *v = xs_read(h, XBT_NULL, path, &len);

	if (!v) {
		xs_err(h); /* a timeout is remembered for what follows */
		return false;
	}
	free(v);
	return true;
}

int xs_list(struct xs_handle *h, uint32_t t, const char *path, char ***names,
	    unsigned *n)
{
	*names = xs_directory(h, t, path, n);
	if (!*names) {
		*n = 0;
		return xs_err(h);
	}
	return 0;
}

int xs_backends_foreach(struct xs_handle *h, const char *dir,
			int (*cb)(unsigned dom, unsigned dev, void *arg),
			void *arg)
{
	unsigned(*v)[2];
	size_t n;
	int rc = xs_backends_list(h, dir, &v, &n);

	/* every domain's listing in one stream (xs_bulk.c) */
	for (size_t i = 0; !rc && i < n; i++)
		rc = cb(v[i][0], v[i][1], arg);
	free(v);
	return rc;
}

int xs_self_domid(struct xs_handle *h, unsigned *id)
{
	char v[16] = "";
	int rc = xs_read_buf(h, "domid", v, sizeof(v));

	if (rc)
		return rc;
	return names_parse_domid(v, id) ? -EINVAL : 0;
}

struct foreign_walk {
	unsigned b;
	int (*cb)(unsigned b, unsigned d, unsigned n, void *arg);
	void *arg;
};

static int foreign_cb(unsigned d, unsigned n, void *arg)
{
	struct foreign_walk *w = arg;

	return w->cb(w->b, d, n, w->arg);
}

int xs_foreign_vifs_foreach(struct xs_handle *h, unsigned self,
			    int (*cb)(unsigned b, unsigned d, unsigned n,
				      void *arg),
			    void *arg)
{
	struct foreign_walk w = {0, cb, arg};
	char **doms, path[64];
	unsigned nd;
	int rc = 0;

	/* a driver domain may not list /local/domain: nothing foreign */
	if (!h || xs_list(h, XBT_NULL, "/local/domain", &doms, &nd))
		return 0;
	for (unsigned i = 0; i < nd && !rc; i++) {
		if (names_parse_domid(doms[i], &w.b) || w.b == self)
			continue;
		snprintf(path, sizeof(path), "/local/domain/%u/backend/vif",
			 w.b);
		rc = xs_backends_foreach(h, path, foreign_cb, &w);
	}
	free(doms);
	return rc;
}

int xs_txn_run(struct xs_handle *h,
	       int (*fn)(struct xs_handle *h, uint32_t t, void *arg), void *arg)
{
	for (int i = 0; i < XS_TXN_TRIES; i++) {
		xs_transaction_t t = xs_transaction_start(h);
		int rc;

		if (t == XBT_NULL)
			return xs_err(h);
		rc = fn(h, t, arg);
		if (rc) {
			xs_transaction_end(h, t, true);
			return rc;
		}
		if (xs_transaction_end(h, t, false))
			return 0;
		/* EAGAIN here is a conflict, unless the socket timed out:
		 * then the next start fails on the closed connection. */
		if (errno != EAGAIN)
			return xs_err(h);
	}
	return -EAGAIN;
}

const char *xs_tried(char *buf, size_t len)
{
	const char *env = getenv("XENSTORED_PATH");

	/* libxenstore's own order: the socket, then the xenbus device;
	 * XENSTORED_PATH stands for both */
	if (env)
		snprintf(buf, len, "XENSTORED_PATH=%s", env);
	else
		snprintf(buf, len, "the socket %s, then the device %s",
			 xs_daemon_socket(),
			 access("/dev/xen/xenbus", F_OK) == 0
			     ? "/dev/xen/xenbus"
			     : "/proc/xen/xenbus");
	return buf;
}
