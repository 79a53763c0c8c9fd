/* nl_int.h: what nl.c and nl_addr.c share: the socket and the one way
 * a request is sent and its answer (and ACK) read. Not for outside
 * them. */
#ifndef VIFPLUG_NL_INT_H
#define VIFPLUG_NL_INT_H

#include <libmnl/libmnl.h>
#include <stddef.h>
#include <stdint.h>

#include "nl.h"

/* A kernel that does not answer within this bound is reported, not
 * waited for (libxl kills the script at 40 s). */
#define NL_TIMEOUT_SEC 5

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	unsigned seq;
	char ext_ack[256];
	char buf[32768];
};

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data);
struct nlmsghdr *nl_req_start(char *buf, size_t size, uint16_t type,
			      uint16_t flags, size_t hdrlen, void **hdr);
int nl_dump(struct nl *nl, uint16_t type, size_t hdrlen, uint8_t family,
	    mnl_cb_t cb, void *data);
int nl_addr_dump(struct nl *nl, uint8_t family, int index, mnl_cb_t cb,
		 void *data);
struct nlmsghdr *nl_link_req(char *buf, size_t size, uint16_t type,
			     uint16_t flags, int index);

/* A request as built (its ACK flag the caller's), read until its ACK,
 * error or end of dump: 0 or -errno, the kernel's words in ext_ack. */
int nl_request(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data);
/* The next sequence number, for a batch's messages. */
uint32_t nl_seq_next(struct nl *nl);
/* A batch sent whole, whose messages first to last ask no ACK but the
 * last: the answers read up to the last's (the kernel still answers
 * every failed message, and goes on to the end of the batch before it
 * takes it all back): 0, or the first error (-errno, the kernel's words
 * in ext_ack). */
int nl_batch(struct nl *nl, const void *buf, size_t len, uint32_t first,
	     uint32_t last);

#endif
