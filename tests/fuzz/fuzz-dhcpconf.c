/* fuzz-dhcpconf: vif-nat's edits of a dhcpd.conf and a defaults file of
 * any bytes: the host line is appended whole, and the edits stay within
 * their bounds. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcpconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char line[256], why[160], *out = NULL, *back = NULL;
	size_t outlen, backlen;
	int rc;

	if (size > 65536)
		return 0;
	if (dhcpconf_host_line(line, sizeof(line), "dom7", "00:16:3e:00:07:00",
			       "10.0.7.1", "10.0.7.128"))
		abort();
	rc = dhcpconf_edit(in, size, "dom7", "00:16:3e:00:07:00", line, &out,
			   &outlen, why, sizeof(why));
	if (rc == 0) {
		/* never longer than the input and one line more */
		if (outlen > size + strlen(line) + 1 || out[outlen] != '\0')
			abort();
		/* what it appended is there, at the end */
		if (outlen < strlen(line) + 1 ||
		    memcmp(out + outlen - strlen(line) - 1, line, strlen(line)))
			abort();
		free(out);
	} else if (rc == -1 && !memchr(why, '\0', sizeof(why))) {
		abort();
	}
	/* the interface list: adding grows each line by at most the word,
	 * a space and two quotes; taking it out again never grows it */
	if (dhcpargs_edit(in, size, "vif7.0", true, &out, &outlen) == 0) {
		size_t lines = 1;

		for (size_t i = 0; i < size; i++)
			lines += in[i] == '\n';
		if (outlen > size + lines * (strlen("vif7.0") + 4))
			abort();
		if (dhcpargs_edit(out, outlen, "vif7.0", false, &back,
				  &backlen) == 0) {
			if (backlen > outlen)
				abort();
			free(back);
		}
		free(out);
	}
	return 0;
}
