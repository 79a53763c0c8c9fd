/* fuzz-addrlist: a guest's own `ip` key, any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addrlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[4096], why[160];
	struct addrlist l;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	if (addrlist_parse(in, &addrlist_antispoof, &l, why, sizeof(why)) ==
	    0) {
		if (l.n > ADDRLIST_MAX)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if ((l.v[i].family == AF_INET &&
			     (l.v[i].len < 8 || l.v[i].len > 32)) ||
			    (l.v[i].family == AF_INET6 &&
			     (l.v[i].len < 16 || l.v[i].len > 128)))
				abort();
	} else if (!memchr(why, '\0', sizeof(why))) {
		abort();
	}
	/* vif-route's rules: IPv4 alone, at most 64, host bits refused */
	if (addrlist_parse(in, &addrlist_route, &l, why, sizeof(why)) == 0) {
		if (l.n > ADDRLIST_CAP)
			abort();
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].family != AF_INET || l.v[i].len > 32)
				abort();
	} else if (l.bad_off + l.bad_len > size) {
		abort();
	}
	return 0;
}
