/* qemu-ifdown IFNAME [BRIDGE]: QEMU's downscript=: undo qemu-ifup. */
#include "emu.h"
#include "hotplug.h"

int main(int argc, char **argv, char **envp)
{
	struct ctx ctx;
	struct hotplug hp;
	int rc =
	    hotplug_init(&hp, &ctx, "qemu-ifdown", argc, argv, envp, HP_QEMU);

	if (rc == HP_GO)
		rc = emu_down(&hp);
	return hotplug_finish(&hp, rc);
}
