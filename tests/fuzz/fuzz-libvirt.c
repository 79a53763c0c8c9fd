/* fuzz-libvirt: a domain's XML as libvirt hands it to the hook (or as a
 * status file holds it), read for its name and NICs. */
#include <stddef.h>
#include <stdint.h>

#include "libvirt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct libvirt_dom d;

	libvirt_parse((const char *)data, size, &d);
	return 0;
}
