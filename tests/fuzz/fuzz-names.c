/* fuzz-names: every parser of names, numbers and paths that come from
 * argv, the environment, xenstore or QEMU. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[4096], out[NAMES_XS_IFNAME_MAX];
	unsigned a, b, mtu, plen;
	unsigned long ul;
	uint8_t mac[6];
	uint32_t addr;
	bool emu;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	names_ifname_valid(s);
	names_parse_vif(s, &a, &b, &emu);
	names_parse_ulong(s, 65535, &ul);
	names_parse_domid(s, &a);
	names_parse_mtu(s, &mtu);
	names_parse_mac(s, mac);
	names_parse_ipv4_prefix(s, &addr, &plen);
	names_xs_path_valid(s);
	names_parse_backend_path(s, "vif", &a, &b);
	if (strlen(s) < 16)
		names_xs_ifname(s, out);
	return 0;
}
