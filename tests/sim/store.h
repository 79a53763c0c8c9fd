/* store.h: the simulator's xenstored: connections, the wire protocol of
 * xs_wire.h, transactions and watches. No I/O but the output buffers. */
#ifndef SIM_STORE_H
#define SIM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "tree.h"

struct watch;
struct txn;

struct conn {
	int fd;
	unsigned domid; /* 0 for the dom0 socket */
	unsigned char in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t inlen;
	char *out; /* replies and events not yet written */
	size_t outlen, outcap;
	struct watch *watches;
	struct txn *txns;
	struct conn *next;
};

struct sim {
	struct node *root;
	struct conn *conns;
	uint32_t next_txid;
	unsigned char introduced[65536 / 8];
};

int sim_init(struct sim *s);
void sim_fini(struct sim *s);
/* A domain as libxl leaves it: /local/domain/N readable by N, and its
 * own device/ and data/ trees. */
int sim_add_domain(struct sim *s, unsigned domid);

struct conn *sim_conn_new(struct sim *s, int fd, unsigned domid);
void sim_conn_free(struct sim *s, struct conn *c);

/* Feeds bytes read from c; every complete message is handled. -1 when
 * the peer broke the protocol and must be disconnected. */
int sim_conn_input(struct sim *s, struct conn *c, const void *buf, size_t len);

/* Handles one whole message (hdr->len bytes of payload follow). */
void sim_handle(struct sim *s, struct conn *c, const struct xsd_sockmsg *hdr,
		const char *payload);

#endif
