/* fuzz-ovsdb: what an OVSDB server (or whatever holds the socket path)
 * sends: the stream cut at a point the input chooses, every value taken
 * out read as a transaction reply and as monitor updates; and the input
 * as a bridge value in Xen's syntax. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ovsbr.h"
#include "ovsdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drain(struct ovsdb_stream *s)
{
	json_t *v;
	char why[256];

	while (ovsdb_stream_next(s, &v, why, sizeof(why)) == 1) {
		ovsdb_txn_check(json_object_get(v, "result"), 3, why,
				sizeof(why));
		ovsdb_txn_check(v, 1, why, sizeof(why));
		ovsdb_update_cfg(v);
		ovsdb_update_cfg(
		    json_array_get(json_object_get(v, "params"), 1));
		json_decref(v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ovs_bridge b;
	struct ovsdb_stream s;
	size_t cut = size ? data[0] % (size + 1) : 0;
	char why[256], *str;

	ovsdb_stream_init(&s);
	if (ovsdb_stream_feed(&s, data, cut) == 0) {
		drain(&s);
		if (ovsdb_stream_feed(&s, data + cut, size - cut) == 0)
			drain(&s);
	}
	ovsdb_stream_free(&s);
	if ((str = malloc(size + 1))) {
		memcpy(str, data, size);
		str[size] = '\0';
		ovs_bridge_parse(str, &b, why, sizeof(why));
		free(str);
	}
	return 0;
}
