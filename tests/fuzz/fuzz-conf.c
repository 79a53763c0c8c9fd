/* fuzz-conf: vifplug.conf as the helpers and vifplugd parse it. */
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf c;
	char why[256];
	unsigned line;

	conf_defaults(&c);
	conf_parse(&c, (const char *)data, size, &line, why, sizeof(why));
	return 0;
}
