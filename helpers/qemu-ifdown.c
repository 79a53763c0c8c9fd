/* qemu-ifdown IFNAME [BRIDGE]: QEMU's downscript=: undo qemu-ifup. */
#include "emu.h"
#include "hotplug.h"

int main(int argc, char **argv, char **envp)
{
	struct hotplug hp;
	int rc = hp_init(&hp, "qemu-ifdown", argc, argv, envp, HP_QEMU);

	if (rc == HP_GO)
		rc = emu_down(&hp);
	hp_finish(&hp, rc);
}
