/* xs.h: xenstore through libxenstore. Every call returns 0 or -errno. */
#ifndef VIFPLUG_XS_H
#define VIFPLUG_XS_H

#include <stdbool.h>
#include <stdint.h>

struct xs_handle;

/* Connects over the socket (XENSTORED_PATH honoured) or /dev/xen/xenbus;
 * *transport says which. */
int xs_connect(struct xs_handle **h, const char **transport);
void xs_disconnect(struct xs_handle *h);

/* Reads path (relative paths are the caller's domain's); *val is
 * malloc'd and NUL-terminated. -ENOENT if absent. */
int xs_get(struct xs_handle *h, uint32_t t, const char *path, char **val);

/* The value, or a copy of def when the node is absent or unreadable, as
 * Xen's xenstore_read_default. Other failures are returned. */
int xs_read_default(struct xs_handle *h, const char *path, const char *def,
		    char **val);

int xs_put(struct xs_handle *h, uint32_t t, const char *path,
	   const char *val);
/* Removing what is already gone is not an error. */
int xs_remove(struct xs_handle *h, uint32_t t, const char *path);
bool xs_exists(struct xs_handle *h, const char *path);
/* *names is one malloc'd block: free(*names). */
int xs_list(struct xs_handle *h, uint32_t t, const char *path,
	    char ***names, unsigned *n);

/* Runs fn inside a transaction and commits, starting over on EAGAIN (a
 * conflicting change elsewhere) a bounded number of times. */
int xs_txn_run(struct xs_handle *h,
	       int (*fn)(struct xs_handle *h, uint32_t t, void *arg),
	       void *arg);

#endif
