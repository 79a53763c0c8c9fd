/* xs.h: xenstore through libxenstore. Every call returns 0 or -errno. */
#ifndef VIFPLUG_XS_H
#define VIFPLUG_XS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xs_handle;

/* Connects over the socket (XENSTORED_PATH honoured) or /dev/xen/xenbus;
 * *transport says which. */
int xs_connect(struct xs_handle **h, const char **transport);
void xs_disconnect(struct xs_handle *h);

/* For a long-running process (vifplugd): from now on every connection
 * over the socket gives up on a request after seconds (-ETIMEDOUT, and
 * the connection is closed) instead of waiting for ever. The xenbus
 * device cannot be bounded this way. */
void xs_set_timeout(unsigned seconds);
/* That bound on a socket of xenstored's opened elsewhere (xs_bulk.c). */
void xs_bound_fd(int fd);
/* strerror() for what these calls return: a timeout says whose it was. */
const char *xs_strerror(int rc);
/* What xs_connect() tries, for an error: "the socket
 * /var/run/xenstored/socket, then the device /dev/xen/xenbus", or
 * "XENSTORED_PATH=..." when that is set. Returns buf. */
const char *xs_tried(char *buf, size_t len);
/* Whether a request on h timed out (h is closed then: reconnect). */
bool xs_timed_out(const struct xs_handle *h);

/* Reads path (relative paths are the caller's domain's); *val is
 * malloc'd and NUL-terminated. -ENOENT if absent. */
int xs_get(struct xs_handle *h, uint32_t t, const char *path, char **val);

/* Read-with-default, as Xen's xenstore_read_default: buf (len bytes) gets
 * the value; when the node is absent, unreadable, too long for buf or h is
 * NULL, buf keeps what it held (the default) and -errno says why. */
int xs_read_buf(struct xs_handle *h, const char *path, char *buf, size_t len);

int xs_put(struct xs_handle *h, uint32_t t, const char *path, const char *val);
/* Removing what is already gone is not an error. */
int xs_remove(struct xs_handle *h, uint32_t t, const char *path);
bool xs_exists(struct xs_handle *h, const char *path);
/* *names is one malloc'd block: free(*names). */
int xs_list(struct xs_handle *h, uint32_t t, const char *path, char ***names,
	    unsigned *n);

/* This domain's id, from its home's domid key; -errno if unknown. */
int xs_self_domid(struct xs_handle *h, unsigned *id);

/* Calls cb(B, D, N) for every other domain B's backend vif
 * /local/domain/B/backend/vif/D/N this domain may read: in dom0, its
 * driver domains' (a driver domain may list none but its own). A
 * non-zero return from cb stops the walk and is returned. */
int xs_foreign_vifs_foreach(struct xs_handle *h, unsigned self,
			    int (*cb)(unsigned b, unsigned d, unsigned n,
				      void *arg),
			    void *arg);

/* Calls cb for every DOMID/DEVID under dir (e.g. "backend/vif") whose
 * two names are domain ids; a non-zero return from cb stops the walk and
 * is returned. What cannot be listed is skipped. */
int xs_backends_foreach(struct xs_handle *h, const char *dir,
			int (*cb)(unsigned dom, unsigned dev, void *arg),
			void *arg);

/* Runs fn inside a transaction and commits, starting over on EAGAIN (a
 * conflicting change elsewhere) a bounded number of times. */
int xs_txn_run(struct xs_handle *h,
	       int (*fn)(struct xs_handle *h, uint32_t t, void *arg),
	       void *arg);

#endif
