/* xs.c: xenstore access through libxenstore, errors as -errno. */
#include "xs.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xenstore.h>

#define XS_TXN_TRIES 64

int xs_connect(struct xs_handle **h, const char **transport)
{
	const char *path = getenv("XENSTORED_PATH");
	struct stat st;

	*h = xs_open(0);
	if (!*h)
		return errno ? -errno : -ECONNREFUSED;
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
	if (h)
		xs_close(h);
}

int xs_get(struct xs_handle *h, uint32_t t, const char *path, char **val)
{
	unsigned len;

	*val = xs_read(h, t, path, &len);
	if (!*val)
		return errno ? -errno : -EIO;
	/* A value with a NUL inside would be cut short by every caller. */
	if (strlen(*val) != len) {
		free(*val);
		*val = NULL;
		return -EINVAL;
	}
	return 0;
}

int xs_read_buf(struct xs_handle *h, const char *path, char *buf,
		size_t len)
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

int xs_put(struct xs_handle *h, uint32_t t, const char *path,
	   const char *val)
{
	if (!xs_write(h, t, path, val, (unsigned)strlen(val)))
		return errno ? -errno : -EIO;
	return 0;
}

int xs_remove(struct xs_handle *h, uint32_t t, const char *path)
{
	if (!xs_rm(h, t, path) && errno != ENOENT)
		return errno ? -errno : -EIO;
	return 0;
}

bool xs_exists(struct xs_handle *h, const char *path)
{
	unsigned len;
	char *v = xs_read(h, XBT_NULL, path, &len);

	free(v);
	return v != NULL;
}

int xs_list(struct xs_handle *h, uint32_t t, const char *path,
	    char ***names, unsigned *n)
{
	*names = xs_directory(h, t, path, n);
	if (!*names) {
		*n = 0;
		return errno ? -errno : -EIO;
	}
	return 0;
}

int xs_txn_run(struct xs_handle *h,
	       int (*fn)(struct xs_handle *h, uint32_t t, void *arg),
	       void *arg)
{
	for (int i = 0; i < XS_TXN_TRIES; i++) {
		xs_transaction_t t = xs_transaction_start(h);
		int rc;

		if (t == XBT_NULL)
			return errno ? -errno : -EIO;
		rc = fn(h, t, arg);
		if (rc) {
			xs_transaction_end(h, t, true);
			return rc;
		}
		if (xs_transaction_end(h, t, false))
			return 0;
		if (errno != EAGAIN)
			return errno ? -errno : -EIO;
	}
	return -EAGAIN;
}
