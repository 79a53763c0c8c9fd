/* qemu-ifup IFNAME [BRIDGE]: QEMU's script= for a tap: attach it and tie
 * it to its domain. */
#include "emu.h"
#include "hotplug.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc =
	    hotplug_init(&hp, &ctx, "qemu-ifup", argc, argv, envp, HP_QEMU);

	if (rc == HP_GO)
		rc = emu_up(&hp);
	return hotplug_finish(&hp, rc);
}
