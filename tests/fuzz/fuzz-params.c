/* fuzz-params: the environment and the command line merged as
 * vif-common.sh merges them; input is NUL-separated words, the first
 * half the environment, the rest argv. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the variables the helpers take from the environment (hotplug_env_keys) */
static const char *const keys[] = {"script",	"XENBUS_PATH", "vif",
				   "INTERFACE", "type_if",     "bridge",
				   "ip",	"UDEV_CALL",   NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *words[64];
	struct params p = {0};
	const char *cmd, *bad;
	size_t n = 0, half;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *w = buf; w < buf + size + 1 && n < 63; w += strlen(w) + 1)
		words[n++] = w;
	words[n] = NULL;
	half = n / 2;
	{
		char *env[65];

		memcpy(env, words, half * sizeof(char *));
		env[half] = NULL;
		params_from_env(&p, env, keys);
	}
	params_from_argv(&p, (int)(n - half), words + half, &cmd, &bad);
	params_set(&p, "bridge", words[0], PARAM_STORE);
	params_get(&p, "bridge");
	params_get_default(&p, "type_if", "vif");
	params_free(&p);
	free(buf);
	return 0;
}
