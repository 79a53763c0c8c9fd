/* addrlist.c: the `ip` key as addresses and prefixes. */
#include "addrlist.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

const struct addrlist_rules addrlist_antispoof = {
    .ipv6 = true,
    .max = ADDRLIST_MAX,
    .min4 = 8,
    .min6 = 16,
    .host_bits = true,
};

const struct addrlist_rules addrlist_route = {
    .max = ADDRLIST_CAP,
};

static int parse_word(const char *w, const struct addrlist_rules *r,
		      struct addrlist_entry *e)
{
	char a[64];
	const char *slash = strchr(w, '/');
	size_t al = slash ? (size_t)(slash - w) : strlen(w);
	unsigned long p;
	unsigned max;

	if (al == 0 || al >= sizeof(a))
		return -EINVAL;
	memcpy(a, w, al);
	a[al] = '\0';
	memset(e, 0, sizeof(*e));
	if (inet_pton(AF_INET, a, e->addr) == 1) {
		e->family = AF_INET;
		max = 32;
	} else if (r->ipv6 && inet_pton(AF_INET6, a, e->addr) == 1) {
		e->family = AF_INET6;
		max = 128;
	} else {
		return -EINVAL;
	}
	e->len = max;
	if (slash) {
		if (names_parse_ulong(slash + 1, max, &p))
			return -EINVAL;
		e->len = (unsigned)p;
	}
	if (e->len < (e->family == AF_INET ? r->min4 : r->min6))
		return -ERANGE;
	/* the host bits of a network cleared, or refused */
	for (unsigned b = e->len; b < max; b++) {
		uint8_t bit = (uint8_t)(0x80 >> (b % 8));

		if ((e->addr[b / 8] & bit) && !r->host_bits)
			return -EINVAL;
		e->addr[b / 8] &= (uint8_t)~bit;
	}
	return 0;
}

int addrlist_parse(const char *s, const struct addrlist_rules *r,
		   struct addrlist *l, char *why, size_t whylen)
{
	const char *start = s;
	unsigned max = r->max < ADDRLIST_CAP ? r->max : ADDRLIST_CAP;
	char word[64];

	l->n = 0;
	while (*s) {
		size_t n;
		int rc;

		s += strspn(s, " \t");
		n = strcspn(s, " \t");
		if (!n)
			break;
		l->bad_off = (size_t)(s - start);
		l->bad_len = n;
		if (l->n == max) {
			snprintf(why, whylen,
				 "more than %u addresses (the guest's own, "
				 "not a routing table)",
				 max);
			return -EINVAL;
		}
		rc = n < sizeof(word) ? 0 : -EINVAL;
		if (!rc) {
			memcpy(word, s, n);
			word[n] = '\0';
			rc = parse_word(word, r, &l->v[l->n]);
		}
		if (rc) {
			snprintf(why, whylen,
				 rc == -ERANGE
				     ? "'%.*s' is a network too wide to "
				       "restrict anything (at least /8 for "
				       "IPv4, /16 for IPv6)"
				     : "'%.*s' is not an IPv4 or IPv6 address "
				       "or network",
				 (int)(n < 48 ? n : 48), s);
			return -EINVAL;
		}
		l->n++;
		s += n;
	}
	return 0;
}

void addrlist_ll6(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;
	out[1] = 0x80;
	out[8] = mac[0] ^ 0x02;
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}
