/* fuzz-esc: any bytes, as a link name, an argv word or a xenstore value
 * on its way to a terminal, a log line or JSON. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[1024], out[ESC_TEXT_SIZE(64)], again[sizeof(out)];
	FILE *f;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	esc_text(in, out, sizeof(out));
	/* one line, nothing for a terminal to act on */
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			abort();
	/* idempotent */
	esc_text(out, again, sizeof(again));
	if (strcmp(out, again))
		abort();
	f = fopen("/dev/null", "w");
	if (f) {
		esc_json(f, in);
		fclose(f);
	}
	return 0;
}
