/* fuzz-sim: the simulator's decoder of xenstore wire messages
 * (xs_wire.h), fed as a client's byte stream on a dom0 connection and on
 * a guest's. */
#include <stddef.h>
#include <stdint.h>

#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim s;
	struct conn *c0, *c7;

	if (sim_init(&s))
		return 0;
	c0 = sim_conn_new(&s, -1, 0);
	c7 = sim_conn_new(&s, -1, 7);
	if (c0 && c7) {
		/* in two pieces, as reads split a stream */
		size_t half = size / 2;

		if (sim_conn_input(&s, c0, data, half) == 0)
			sim_conn_input(&s, c0, data + half, size - half);
		sim_conn_input(&s, c7, data, size);
	}
	sim_fini(&s);
	return 0;
}
