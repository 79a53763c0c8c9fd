/* fuzz-qemuargs: a /proc/PID/cmdline (NUL-separated words) as
 * qemu-ifup and vifctl read it from any process on the host. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "qemuargs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qemu_info qi;
	struct qemu_kv kv[16];
	char s[512];

	qemuargs_parse((const char *)data, size, &qi);
	qemuargs_by_ifname(&qi, "tap0");
	qemuargs_by_fd(&qi, 3);
	if (size < sizeof(s)) {
		memcpy(s, data, size);
		s[size] = '\0';
		qemuargs_opts(s, "type", kv, 16);
	}
	return 0;
}
