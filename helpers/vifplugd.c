/* vifplugd: the hotplug helpers as one daemon (see vifplugd(8)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "names.h"
#include "log.h"
#include "plugd.h"
#include "usage.h"

#define USAGE                                                                  \
	"usage: vifplugd [--kernel-events] [--no-coldplug] [--workers N] "     \
	"[--config FILE]\n"                                                    \
	"       vifplugd --help | --version\n"

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"kernel-events", no_argument, NULL, 'k'},
	    {"no-coldplug", no_argument, NULL, 'n'},
	    {"workers", required_argument, NULL, 'w'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	usage_std("vifplugd", argc, argv, USAGE);
	/* before anything opens a descriptor */
	log_guard_stdio();
	const char *env_conf = getenv("VIFPLUG_CONF");
	struct plugd_opts o = {
	    .coldplug = true,
	    .conf_path = env_conf ? env_conf : CONF_DEFAULT_PATH,
	};
	unsigned long n;
	int c;

	while ((c = getopt_long(argc, argv, "knw:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			o.kernel_events = true;
			break;
		case 'n':
			o.coldplug = false;
			break;
		case 'w':
			if (names_parse_ulong(optarg, 64, &n) || !n) {
				fprintf(stderr,
					"vifplugd: --workers %s: not a "
					"number from 1 to 64\n",
					optarg);
				return 2;
			}
			o.workers = (unsigned)n;
			break;
		case 'c':
			o.conf_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vifplugd: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	return plugd_run(&o);
}
