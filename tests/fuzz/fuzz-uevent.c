/* fuzz-uevent: what vifplugd reads from udev's monitor socket or the
 * kernel's, decoded and classified. */
#include <stddef.h>
#include <stdint.h>

#include "uevent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct uevent ev;
	struct uevent_action a;

	if (uevent_decode(data, size, &ev) == 0) {
		uevent_action(&ev, &a);
		uevent_get(&ev, "XENBUS_PATH");
	}
	return 0;
}
