/* vifctl: which domain owns which vif and tap on this host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doctor.h"
#include "gauges.h"
#include "prom.h"
#include "ctx.h"
#include "names.h"
#include "nl.h"
#include "inventory.h"
#include "esc.h"
#include "log.h"
#include "usage.h"
#include "xs.h"

#define EXIT_NOTFOUND 1
#define EXIT_CANNOT 2
/* which found nothing, but could not read every tap's holder (not root):
 * the domain may be there, unseen */
#define EXIT_UNKNOWN 3

#define USAGE                                                                  \
	"usage: vifctl list [--json]\n"                                        \
	"       vifctl which IFNAME|DOMAIN [--json]\n"                         \
	"       vifctl doctor [--json] [--root DIR]\n"                         \
	"       vifctl metrics [--output FILE] [--root DIR]\n"                 \
	"       vifctl --help | --version\n"

static void usage(FILE *f)
{
	fputs(USAGE, f);
}

static void json_str(const char *s)
{
	esc_json(stdout, s);
}

static void print_json(const struct inventory_row *r, size_t n)
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
		printf(",\"ovs\":%s", r[i].ovs ? "true" : "false");
		printf(",\"libvirt\":%s", r[i].libvirt ? "true" : "false");
		if (r[i].nic_id[0]) {
			printf(",\"libvirt_nic\":");
			json_str(r[i].nic_id);
		}
		if (r[i].tag >= 0)
			printf(",\"tag\":%d", r[i].tag);
		else
			printf(",\"tag\":null");
		if (r[i].backend_domid >= 0)
			printf(",\"backend_domid\":%ld", r[i].backend_domid);
		else
			printf(",\"backend_domid\":null");
		printf(",\"state\":\"%s\",\"hotplug_status\":",
		       r[i].backend_domid >= 0 ? "unknown"
		       : r[i].up	       ? "up"
					       : "down");
		json_str(r[i].status);
		if (r[i].pid)
			printf(",\"pid\":%d", (int)r[i].pid);
		else
			printf(",\"pid\":null");
		if (r[i].uid >= 0)
			printf(",\"holder_uid\":%ld", r[i].uid);
		else
			printf(",\"holder_uid\":null");
		printf(",\"antispoof\":%s,\"antispoof_dropped\":%llu}",
		       r[i].antispoof ? "true" : "false", r[i].dropped);
	}
	printf("]\n");
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_table(const struct inventory_row *r, size_t n)
{
	printf("%-15s %-12s %5s %-16s %5s %-17s %-15s %-14s %-7s %s\n", "NAME",
	       "KIND", "DOMID", "DOMAIN", "DEVID", "MAC", "BRIDGE", "STATE",
	       "PID", "ANTISPOOF");
	for (size_t i = 0; i < n; i++) {
		char dom[24] = "-", dev[24] = "-", pid[16] = "-", st[32];
		char as[48] = "-";

		if (r[i].domid >= 0)
			snprintf(dom, sizeof(dom), "%ld", r[i].domid);
		if (r[i].devid >= 0)
			snprintf(dev, sizeof(dev), "%ld", r[i].devid);
		if (r[i].pid)
			snprintf(pid, sizeof(pid), "%d", (int)r[i].pid);
		if (r[i].antispoof)
			snprintf(as, sizeof(as), "on, %llu dropped",
				 r[i].dropped);
		/* another domain's link: only its hotplug-status is known */
		snprintf(st, sizeof(st), "%s%s%s",
			 r[i].backend_domid >= 0 ? "?"
			 : r[i].up		 ? "up"
						 : "down",
			 r[i].status[0] ? "/" : "", r[i].status);
		/* every name here came from outside: links, argv, xenstore */
		char name[ESC_TEXT_SIZE(16)], domain[ESC_TEXT_SIZE(16)];
		char mac[ESC_TEXT_SIZE(18)], bridge[ESC_TEXT_SIZE(24)];
		char est[ESC_TEXT_SIZE(32)], cut[17], br[24];

		/* an OVS port's bridge in Xen's syntax: ovsbr0.10 */
		snprintf(br, sizeof(br), "%s", or_dash(r[i].bridge));
		if (r[i].tag >= 0)
			snprintf(br + strlen(br), sizeof(br) - strlen(br),
				 ".%d", r[i].tag);
		/* the domain's name cut to its column before escaping */
		snprintf(cut, sizeof(cut), "%s", or_dash(r[i].domain));
		esc_text(cut, domain, sizeof(domain));
		printf("%-15s %-12s %5s %-16s %5s %-17s %-15s %-14s %-7s %s\n",
		       esc_text(r[i].name, name, sizeof(name)), r[i].kind, dom,
		       domain, dev,
		       esc_text(or_dash(r[i].mac), mac, sizeof(mac)),
		       esc_text(br, bridge, sizeof(bridge)),
		       esc_text(st, est, sizeof(est)), pid, as);
	}
}

/* The rows for a link name, else for a domain id or name. */
static size_t select_rows(struct inventory_row *r, size_t n, const char *what)
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

static void print_findings(const struct doctor_report *r, bool json)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct doctor_finding *f = &r->v[i];

		if (!json) {
			char line[2048], safe[ESC_TEXT_SIZE(2048)];

			snprintf(line, sizeof(line), "%-7s %s%s%s: %s%s%s",
				 doctor_level_name(f->level), f->check,
				 strcmp(f->subject, "-") ? " " : "",
				 strcmp(f->subject, "-") ? f->subject : "",
				 f->text, f->fix[0] ? "; fix: " : "", f->fix);
			puts(esc_text(line, safe, sizeof(safe)));
			continue;
		}
		printf("%s{\"level\":\"%s\",\"check\":", i ? "," : "[",
		       doctor_level_name(f->level));
		json_str(f->check);
		printf(",\"subject\":");
		json_str(f->subject);
		printf(",\"text\":");
		json_str(f->text);
		printf(",\"fix\":");
		json_str(f->fix);
		putchar('}');
	}
	if (json)
		printf("%s\n", r->n ? "]" : "[]");
}

/* What doctor and metrics look at: vifplug.conf, rtnetlink, xenstore
 * (when it cannot be reached, xs_error says what was tried). 0, or
 * EXIT_CANNOT, said. */
static int host_open(struct ctx *c, const char *cmd, char *xs_error,
		     size_t xs_error_len)
{
	int rc;

	/* doctor and metrics judge the host by its configuration: one that
	 * does not load is said and refused */
	if (ctx_open(c, "vifctl", cmd, NULL)) {
		ctx_log(c, LOG_ERR, "%s", c->error);
		return EXIT_CANNOT;
	}
	rc = nl_open(&c->nl);
	if (rc) {
		ctx_log(c, LOG_ERR, "cannot open rtnetlink: %s", strerror(-rc));
		return EXIT_CANNOT;
	}
	xs_error[0] = '\0';
	rc = xs_connect(&c->xs, &c->xs_transport);
	if (rc) {
		c->xs = NULL;
		char tried[160];

		snprintf(xs_error, xs_error_len, "%s (tried %s)", strerror(-rc),
			 xs_tried(tried, sizeof(tried)));
	}
	return 0;
}

/* doctor's and metrics' options: --json (doctor), --root DIR, --output
 * FILE (metrics). */
struct host_opts {
	bool json;
	const char *output;
	struct doctor_env env;
};

static int host_args(int argc, char **argv, bool metrics, struct host_opts *o)
{
	o->env.root = "/";
	o->env.proc = "/proc";
	for (int i = 2; i < argc; i++) {
		if (!metrics && !strcmp(argv[i], "--json")) {
			o->json = true;
		} else if (!strcmp(argv[i], "--root") && i + 1 < argc) {
			o->env.root = argv[++i];
		} else if (metrics && !strcmp(argv[i], "--output") &&
			   i + 1 < argc && argv[i + 1][0] == '/') {
			o->output = argv[++i];
		} else {
			usage(stderr);
			return EXIT_CANNOT;
		}
	}
	return 0;
}

/* vifctl doctor: 0 healthy, 1 problems found, 2 could not check. */
static int doctor(int argc, char **argv)
{
	struct host_opts o = {0};
	struct doctor_report r;
	struct ctx c;
	char xs_error[320];
	int rc;

	if (host_args(argc, argv, false, &o))
		return EXIT_CANNOT;
	if (host_open(&c, "doctor", xs_error, sizeof(xs_error)))
		return EXIT_CANNOT;
	rc = doctor_run(&c, &o.env, xs_error, &r);
	if (rc) {
		ctx_log(&c, LOG_ERR, "%s", strerror(-rc));
		ctx_close(&c);
		return EXIT_CANNOT;
	}
	print_findings(&r, o.json);
	rc = r.cannot ? EXIT_CANNOT : r.problems ? 1 : 0;
	doctor_free(&r);
	ctx_close(&c);
	return rc;
}

static int gauges_cb(FILE *f, void *arg)
{
	return gauges_write(f, arg);
}

/* vifctl metrics: the gauges on stdout, or written to --output by
 * atomic rename (for node_exporter's textfile collector). 0, or 2. */
static int metrics(int argc, char **argv)
{
	struct host_opts o = {0};
	struct gauges g;
	struct ctx c;
	char xs_error[320], why[512];
	int rc;

	if (host_args(argc, argv, true, &o))
		return EXIT_CANNOT;
	if (host_open(&c, "metrics", xs_error, sizeof(xs_error)))
		return EXIT_CANNOT;
	c.dev = o.output;
	rc = gauges_collect(&c, &o.env, xs_error, &g);
	if (rc) {
		ctx_log(&c, LOG_ERR, "%s", strerror(-rc));
		ctx_close(&c);
		return EXIT_CANNOT;
	}
	if (!o.output)
		rc = gauges_write(stdout, &g);
	else if ((rc = prom_publish(o.output, gauges_cb, &g, why, sizeof(why))))
		ctx_log(&c, LOG_ERR, "%s", why);
	gauges_free(&g);
	ctx_close(&c);
	return rc ? EXIT_CANNOT : 0;
}

int main(int argc, char **argv)
{
	struct ctx c;
	struct inventory_row *rows;
	const char *cmd = argc > 1 ? argv[1] : NULL, *what = NULL;
	char safe_what[ESC_TEXT_SIZE(64)];
	bool json = false;
	size_t n;
	bool partial = false;
	struct nl_link al;
	int rc;

	usage_std("vifctl", argc, argv, USAGE);
	log_guard_stdio();
	if (cmd && !strcmp(cmd, "doctor"))
		return doctor(argc, argv);
	if (cmd && !strcmp(cmd, "metrics"))
		return metrics(argc, argv);
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
	/* only ovsdb_socket matters here: a conf that does not load
	 * leaves the defaults, said once */
	rc = ctx_open(&c, "vifctl", cmd, NULL);
	c.dev = what ? esc_text(what, safe_what, sizeof(safe_what)) : NULL;
	if (rc)
		ctx_log(&c, LOG_WARNING, "%s: defaults instead", c.error);
	rc = nl_open(&c.nl);
	if (rc) {
		ctx_log(&c, LOG_ERR, "cannot open rtnetlink: %s",
			strerror(-rc));
		return EXIT_CANNOT;
	}
	/* without xenstore (a KVM host) the links and /proc still answer */
	if (xs_connect(&c.xs, &c.xs_transport))
		c.xs = NULL;
	rc = inventory_collect(&c, &rows, &n, &partial);
	if (rc) {
		ctx_log(&c, LOG_ERR, "cannot list links: %s", strerror(-rc));
		ctx_close(&c);
		return EXIT_CANNOT;
	}
	/* the rows are still right, only the holders are missing: say so
	 * once, and exit 0 (root may miss a few too, e.g. processes of
	 * another user namespace: not this sentence's business) */
	if (partial && geteuid() != 0)
		ctx_log(&c, LOG_WARNING,
			"owners of taps need root: other users' processes "
			"cannot be read, so taps show no holder or guest");
	/* an altname (ip link show g1.3 finds it) names its link: asked of
	 * the kernel only for a word an altname can be (under 128 bytes,
	 * no '/', blank or control byte) */
	if (what && strlen(what) < 128 &&
	    strcspn(what, "/ \t\n\r\v\f\x1b") == strlen(what) &&
	    nl_link_named(c.nl, what, &al) == 0)
		what = al.name;
	if (what)
		n = select_rows(rows, n, what);
	if (json)
		print_json(rows, n);
	else if (n || !what)
		print_table(rows, n);
	/* as root a few unreadable processes (another user namespace's)
	 * are no reason to doubt: only a user's run could not know */
	partial = partial && geteuid() != 0;
	if (what && !n && partial)
		ctx_log(&c, LOG_ERR,
			"no vif or tap of that name, and none of the taps "
			"whose holder could be read belongs to a domain of "
			"that id or name (the others' need root)");
	else if (what && !n)
		ctx_log(&c, LOG_ERR,
			"no vif or tap of that name, and no domain "
			"of that id or name has one");
	free(rows);
	ctx_close(&c);
	return what && !n ? (partial ? EXIT_UNKNOWN : EXIT_NOTFOUND) : 0;
}
