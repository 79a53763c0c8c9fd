/* usage.c: the programs' --help and --version (usage.h). */
#include "usage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void usage_std(const char *prog, int argc, char **argv, const char *usage)
{
	const char *a = argc > 1 ? argv[1] : "";

	if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
		/* each %s is the program's name */
		for (const char *p = usage; *p; p++)
			if (p[0] == '%' && p[1] == 's') {
				fputs(prog, stdout);
				p++;
			} else {
				putchar(*p);
			}
		exit(fflush(stdout) ? 1 : 0);
	}
	if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
		printf("%s (vifplug) %s\n", prog, VIFPLUG_VERSION);
		exit(fflush(stdout) ? 1 : 0);
	}
}
