/* vifctl: which domain owns which vif and tap on this host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotplug.h"
#include "inventory.h"
#include "xs.h"

#define EXIT_NOTFOUND 1
#define EXIT_CANNOT 2

static void usage(FILE *f)
{
	fprintf(f, "usage: vifctl list [--json]\n"
		   "       vifctl which IFNAME|DOMAIN [--json]\n");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const struct inv_row *r, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(r[i].name);
		printf(",\"kind\":");
		json_str(r[i].kind);
		if (r[i].domid >= 0)
			printf(",\"domid\":%ld", r[i].domid);
		else
			printf(",\"domid\":null");
		printf(",\"domain\":");
		json_str(r[i].domain);
		if (r[i].devid >= 0)
			printf(",\"devid\":%ld", r[i].devid);
		else
			printf(",\"devid\":null");
		printf(",\"mac\":");
		json_str(r[i].mac);
		printf(",\"bridge\":");
		json_str(r[i].bridge);
		printf(",\"state\":\"%s\",\"hotplug_status\":", r[i].up ? "up"
									  : "down");
		json_str(r[i].status);
		if (r[i].pid)
			printf(",\"pid\":%d}", (int)r[i].pid);
		else
			printf(",\"pid\":null}");
	}
	printf("]\n");
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_table(const struct inv_row *r, size_t n)
{
	printf("%-15s %-12s %5s %-16s %5s %-17s %-15s %-14s %s\n", "NAME",
	       "KIND", "DOMID", "DOMAIN", "DEVID", "MAC", "BRIDGE", "STATE",
	       "PID");
	for (size_t i = 0; i < n; i++) {
		char dom[24] = "-", dev[24] = "-", pid[16] = "-", st[32];

		if (r[i].domid >= 0)
			snprintf(dom, sizeof(dom), "%ld", r[i].domid);
		if (r[i].devid >= 0)
			snprintf(dev, sizeof(dev), "%ld", r[i].devid);
		if (r[i].pid)
			snprintf(pid, sizeof(pid), "%d", (int)r[i].pid);
		snprintf(st, sizeof(st), "%s%s%s", r[i].up ? "up" : "down",
			 r[i].status[0] ? "/" : "", r[i].status);
		printf("%-15s %-12s %5s %-16.16s %5s %-17s %-15s %-14s %s\n",
		       r[i].name, r[i].kind, dom, or_dash(r[i].domain), dev,
		       or_dash(r[i].mac), or_dash(r[i].bridge), st, pid);
	}
}

/* The rows for a link name, else for a domain id or name. */
static size_t select_rows(struct inv_row *r, size_t n, const char *what)
{
	size_t k = 0;
	unsigned d;
	bool by_id = names_parse_domid(what, &d) == 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].name, what))
			r[k++] = r[i];
	if (k)
		return k;
	for (size_t i = 0; i < n; i++)
		if ((by_id && r[i].domid == (long)d) ||
		    (!by_id && r[i].domain[0] && !strcmp(r[i].domain, what)))
			r[k++] = r[i];
	return k;
}

int main(int argc, char **argv)
{
	struct hotplug hp;
	struct inv_row *rows;
	const char *cmd = argc > 1 ? argv[1] : NULL, *what = NULL;
	bool json = false;
	size_t n;
	int rc;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!what)
			what = argv[i];
		else
			cmd = NULL;
	}
	if (cmd && (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))) {
		usage(stdout);
		return 0;
	}
	if (!cmd || (strcmp(cmd, "list") && strcmp(cmd, "which")) ||
	    (!strcmp(cmd, "which") != (what != NULL))) {
		usage(stderr);
		return EXIT_CANNOT;
	}
	memset(&hp, 0, sizeof(hp));
	hp.prog = "vifctl";
	hp.command = cmd;
	rc = nl_open(&hp.nl);
	if (rc) {
		fprintf(stderr, "vifctl %s %s: cannot open rtnetlink: %s\n", cmd,
			what ? what : "-", strerror(-rc));
		return EXIT_CANNOT;
	}
	/* without xenstore (a KVM host) the links and /proc still answer */
	if (xs_connect(&hp.xs, &hp.xs_transport))
		hp.xs = NULL;
	rc = inv_collect(&hp, &rows, &n);
	if (rc) {
		fprintf(stderr, "vifctl %s %s: cannot list links: %s\n", cmd,
			what ? what : "-", strerror(-rc));
		hp_free(&hp);
		return EXIT_CANNOT;
	}
	if (what)
		n = select_rows(rows, n, what);
	if (json)
		print_json(rows, n);
	else if (n || !what)
		print_table(rows, n);
	if (what && !n)
		fprintf(stderr, "vifctl which %s: no vif or tap of that name, "
			"and no domain of that id or name has one\n", what);
	free(rows);
	hp_free(&hp);
	return what && !n ? EXIT_NOTFOUND : 0;
}
