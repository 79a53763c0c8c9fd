/* xs_bulk.h: many reads or listings of xenstore in one pipelined stream,
 * for the tools that walk every backend (vifctl list, doctor, metrics):
 * libxenstore asks and waits once per path, and on a host with 4096
 * backends those round trips are the whole cost. */
#ifndef VIFPLUG_XS_BULK_H
#define VIFPLUG_XS_BULK_H

#include <stdbool.h>
#include <stddef.h>

struct xs_handle;

/* One question: the value at path, or (list) its children's names. */
struct xs_ask {
	const char *path; /* relative ones are the caller's domain's */
	bool list;
	/* the answer: malloc'd, NUL-terminated; a listing's names one
	 * after another, each NUL-terminated, len bytes in all */
	char *val;
	unsigned len;
	int err; /* 0, or -errno (-ENOENT: absent, -EACCES: not ours) */
};

/* Answers every ask: over a connection of its own to xenstored's
 * socket, up to XS_BULK_WINDOW requests in flight (read-only; xenstored
 * answers each in turn); where the socket cannot be reached (the
 * xenbus device) or the stream fails, the rest one at a time through h.
 * A value with a NUL inside is -EINVAL, as xs_get() says. 0, or -ENOMEM
 * (then no answer is kept). */
int xs_bulk(struct xs_handle *h, struct xs_ask *a, size_t n);
void xs_asks_free(struct xs_ask *a, size_t n);

/* Reads of one value each into caller's buffers, as xs_read_buf() does
 * (an absent, unreadable or too long value leaves the buffer as it
 * was): paths[i] into bufs[i] of lens[i] bytes. 0 or -ENOMEM. */
int xs_bulk_read_bufs(struct xs_handle *h, const char *const *paths,
		      char *const *bufs, const size_t *lens, size_t n);

/* The DOMID/DEVID pairs under dir (e.g. "backend/vif") whose names are
 * domain ids, as xs_backends_foreach() walks them, each domain's
 * listing in the one stream: *v is malloc'd (free it), pairs of
 * (dom, dev). What cannot be listed is skipped; 0 or -ENOMEM. */
int xs_backends_list(struct xs_handle *h, const char *dir, unsigned (**v)[2],
		     size_t *n);

#endif
