/* libvirt-hook: installed as /etc/libvirt/hooks/qemu.d/vifplug. libvirt
 * (6.5 and later) runs it as `vifplug GUEST OPERATION SUBOP EXTRA` with
 * the domain's XML on stdin. On started and reconnect it labels every
 * interface that has a target dev: alias "libvirt domain NAME nic N MAC",
 * and altname NAME.N where that name is free. A hook must never stop or
 * slow a guest's start: its time is bounded, it exits 0 whatever it
 * cannot do, and says so in one log line. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"
#include "conf.h"
#include "ctx.h"
#include "esc.h"
#include "claim.h"
#include "libvirt.h"
#include "log.h"
#include "nl.h"

#define HOOK_SECONDS 5

static void out_of_time(int sig)
{
	(void)sig;
	log_emergency("libvirt-hook: out of time: guest left unlabelled\n");
	_exit(0);
}

/* stdin whole, at most LIBVIRT_XML_MAX bytes */
static char *read_stdin(size_t *len)
{
	size_t cap = 65536;
	char *buf = malloc(cap);

	*len = 0;
	while (buf) {
		ssize_t n = read(0, buf + *len, cap - *len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
		if (*len == cap) {
			char *b = cap < LIBVIRT_XML_MAX ? realloc(buf, cap * 2)
							: NULL;

			if (!b) {
				free(buf);
				return NULL;
			}
			buf = b;
			cap *= 2;
		}
	}
	return buf;
}

/* The altname an earlier label of ours gave l ("libvirt domain NAME nic
 * ID ..."): into alt, "" if its alias is none of ours. */
static void given_altname(const struct nl_link *l, char *alt, size_t len)
{
	static const char pre[] = "libvirt domain ";
	const char *name = l->alias + sizeof(pre) - 1, *nic, *id;
	size_t idlen;

	alt[0] = '\0';
	if (strncmp(l->alias, pre, sizeof(pre) - 1))
		return;
	nic = strstr(name, " nic ");
	for (const char *p = nic; p && (p = strstr(p + 1, " nic "));)
		nic = p;
	if (!nic)
		return;
	id = nic + 5;
	idlen = strcspn(id, " ");
	if (idlen && idlen < 32)
		snprintf(alt, len, "%.*s.%.*s",
			 (int)((nic - name) > 100 ? 100 : nic - name), name,
			 (int)idlen, id);
}

/* release (and stopped): an unmanaged tap outlives its guest, and must
 * not keep reading as its NIC; 1 if a label of this domain's was taken
 * back */
static int unlabel(struct ctx *c, const struct libvirt_dom *d,
		   const struct libvirt_nic *nic)
{
	struct claim w = {.tap_only = true, .holder = CLAIM_HOLDER_UNASKED};
	char mine[256], alt[160], id[32];
	struct nl_link l;

	if (!nic->dev[0] || claim_link(c, nic->dev, &w, &l))
		return 0;
	libvirt_nic_id(nic, id, sizeof(id));
	snprintf(mine, sizeof(mine), "libvirt domain %s nic %s ", d->name, id);
	if (strncmp(l.alias, mine, strlen(mine)))
		return 0;
	given_altname(&l, alt, sizeof(alt));
	claim_unlabel(c, &l, d->name_cut ? NULL : alt);
	return 1;
}

/* one NIC's label; 1 if it was set: only a tap (the XML names links,
 * and a label is for a guest's) that this domain's QEMU holds */
static int label(struct ctx *c, const struct libvirt_dom *d, pid_t qemu,
		 const struct libvirt_nic *nic)
{
	struct claim w = {
	    .tap_only = true, .holder = CLAIM_HOLDER_PID, .pid = qemu};
	struct nl_link l;
	char alias[256], alt[160], old[160], id[32];

	if (!nic->dev[0] || !qemu || claim_link(c, nic->dev, &w, &l))
		return 0;
	/* a tap reused from another guest (managed='no') loses the
	 * altname that guest's label gave it */
	given_altname(&l, old, sizeof(old));
	libvirt_nic_id(nic, id, sizeof(id));
	snprintf(alias, sizeof(alias), "libvirt domain %s nic %s %s", d->name,
		 id, nic->mac[0] ? nic->mac : "-");
	/* a cut name is no name to find the guest by: no altname */
	snprintf(alt, sizeof(alt), "%.100s.%s", d->name, id);
	if (d->name_cut)
		ctx_log(c, LOG_INFO,
			"no altname: the guest's name is longer than %zu "
			"bytes (cut in the alias)",
			sizeof(d->name) - 4);
	if (old[0] && strcmp(old, alt))
		claim_unlabel(c, &l, old);
	claim_label(c, &l, alias, d->name_cut ? NULL : alt);
	return 1;
}

int main(int argc, char **argv)
{
	struct ctx c;
	struct libvirt_dom *d = NULL;
	char guest[ESC_TEXT_SIZE(64)], cut[65];
	size_t len = 0, done = 0;
	bool releasing;
	char *xml;

	usage_std(
	    "libvirt-hook", argc, argv,
	    "usage: %s DOMAIN OPERATION SUB-OPERATION EXTRA < DOMAIN-XML\n"
	    "Run by libvirtd from /etc/libvirt/hooks/qemu.d; see "
	    "%s(8).\n");
	log_guard_stdio();
	/* libvirtd may not read our stderr: a hook always exits 0 */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, out_of_time);
	alarm(HOOK_SECONDS);
	/* started and reconnect label, stopped and release take labels
	 * back; the rest is a no-op */
	if (argc < 3 ||
	    (strcmp(argv[2], "started") && strcmp(argv[2], "reconnect") &&
	     strcmp(argv[2], "stopped") && strcmp(argv[2], "release")))
		return 0;
	releasing = !strcmp(argv[2], "stopped") || !strcmp(argv[2], "release");
	/* a hook never stops a guest: a conf that does not load leaves the
	 * defaults, said in its line */
	if (ctx_open(&c, "libvirt-hook", argv[2], NULL))
		ctx_log(&c, LOG_WARNING, "%s: defaults instead", c.error);
	snprintf(cut, sizeof(cut), "%s", argv[1]);
	c.dev = esc_text(cut, guest, sizeof(guest));
	xml = read_stdin(&len);
	d = calloc(1, sizeof(*d));
	if (!libvirt_xml_available())
		ctx_log(&c, LOG_WARNING,
			"libxml2 (" LIBVIRT_LIBXML2 ") is not installed: "
			"the domain XML cannot be read, nothing labelled");
	else if (!xml || !d || libvirt_parse(xml, len, d))
		ctx_log(&c, LOG_WARNING,
			"the domain XML on stdin does not parse: nothing "
			"labelled");
	else if (nl_open(&c.nl))
		ctx_log(&c, LOG_WARNING,
			"cannot open rtnetlink: nothing labelled");
	else if (releasing) {
		for (size_t i = 0; i < d->n; i++)
			done += (size_t)unlabel(&c, d, &d->nics[i]);
		if (done)
			ctx_log(&c, LOG_INFO,
				"%zu of %zu interfaces' labels taken back",
				done, d->n);
	} else {
		/* a name cut in d is whole in argv[1], libvirtd's own */
		size_t kept = strlen(d->name) - 3;
		pid_t qemu = libvirt_qemu_pid(
		    LIBVIRT_STATUS_DIR,
		    d->name_cut && !strncmp(argv[1], d->name, kept) ? argv[1]
								    : d->name);

		for (size_t i = 0; i < d->n; i++)
			done += (size_t)label(&c, d, qemu, &d->nics[i]);
		ctx_log(&c, LOG_INFO, "%zu of %zu interfaces labelled", done,
			d->n);
	}
	free(xml);
	free(d);
	ctx_close(&c);
	log_close();
	return 0;
}
