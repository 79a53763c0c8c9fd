/* usage.h: --help and --version, answered alike by every program before
 * it opens, logs or changes anything. */
#ifndef VIFPLUG_USAGE_H
#define VIFPLUG_USAGE_H

#ifndef VIFPLUG_VERSION
#define VIFPLUG_VERSION "unknown"
#endif

/* When argv[1] is --help (-h) or --version (-V), prints usage (each %s
 * in it the program's name) or "PROG (vifplug) VERSION" to stdout and
 * exits 0; otherwise returns. */
void usage_std(const char *prog, int argc, char **argv, const char *usage);

#endif
