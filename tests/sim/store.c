/* store.c: xenstored's semantics over the tree: permissions, relative
 * paths, watches, and transactions with snapshot isolation. */
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct watch {
	char *path; /* as registered, relative or not */
	char *abs;  /* canonical */
	char *token;
	struct watch *next;
};

/* A node read or changed in a transaction, and its generation in the
 * snapshot when first touched; 0 for "did not exist". */
struct access {
	char *path;
	uint64_t gen;
};

enum op_type { OP_WRITE, OP_MKDIR, OP_RM, OP_SETPERMS };

struct op {
	enum op_type type;
	char *path;
	char *value;
	unsigned len;
	struct perm *perms;
	unsigned np;
};

struct txn {
	uint32_t id;
	struct node *snap;
	struct access *acc;
	size_t nacc;
	struct op *ops;
	size_t nops;
	struct txn *next;
};

/* Where one request acts: the live tree or a transaction's snapshot. */
struct ctx {
	struct sim *s;
	struct conn *c;
	struct txn *t;
	struct node *root;
};

static const char *const errnames[] = {
    [EINVAL] = "EINVAL", [EACCES] = "EACCES",	[EEXIST] = "EEXIST",
    [EISDIR] = "EISDIR", [ENOENT] = "ENOENT",	[ENOMEM] = "ENOMEM",
    [ENOSPC] = "ENOSPC", [EIO] = "EIO",		[ENOTEMPTY] = "ENOTEMPTY",
    [ENOSYS] = "ENOSYS", [EROFS] = "EROFS",	[EBUSY] = "EBUSY",
    [EAGAIN] = "EAGAIN", [EISCONN] = "EISCONN", [E2BIG] = "E2BIG",
    [EPERM] = "EPERM",
};

static void out_append(struct conn *c, const void *p, size_t len)
{
	if (c->outlen + len > c->outcap) {
		size_t cap = (c->outlen + len) * 2;
		char *o = realloc(c->out, cap);

		if (!o)
			return; /* the peer sees a stall, as with a full ring */
		c->out = o;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, p, len);
	c->outlen += len;
}

static void send_msg(struct conn *c, uint32_t type, uint32_t req_id,
		     uint32_t tx_id, const void *body, size_t len)
{
	struct xsd_sockmsg h = {type, req_id, tx_id, (uint32_t)len};

	out_append(c, &h, sizeof(h));
	out_append(c, body, len);
}

static void send_error(struct conn *c, const struct xsd_sockmsg *req, int err)
{
	const char *name =
	    (err > 0 && (size_t)err < sizeof(errnames) / sizeof(errnames[0]) &&
	     errnames[err])
		? errnames[err]
		: "EINVAL";

	send_msg(c, XS_ERROR, req->req_id, req->tx_id, name, strlen(name) + 1);
}

static void send_ok(struct conn *c, const struct xsd_sockmsg *req)
{
	send_msg(c, req->type, req->req_id, req->tx_id, "OK", 3);
}

static bool is_child(const char *child, const char *parent)
{
	size_t len = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	return !strncmp(child, parent, len) &&
	       (child[len] == '\0' || child[len] == '/');
}

static bool valid_chars(const char *p)
{
	return strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789-/_@") == strlen(p);
}

/* xenstored's rules for a node name: its alphabet, no "//", no trailing
 * '/', and the XENSTORE_*_PATH_MAX limits; relative paths are the
 * connection's domain's. */
static int canon(const struct conn *c, const char *in, char *out, size_t outlen,
		 bool special_ok)
{
	size_t len = strlen(in);

	if (in[0] == '@') {
		if (!special_ok || (strcmp(in, "@introduceDomain") &&
				    strcmp(in, "@releaseDomain")))
			return -EINVAL;
		snprintf(out, outlen, "%s", in);
		return 0;
	}
	if (len == 0 || !valid_chars(in) || strstr(in, "//") ||
	    (len > 1 && in[len - 1] == '/'))
		return -EINVAL;
	if (in[0] == '/') {
		if (len > XENSTORE_ABS_PATH_MAX)
			return -EINVAL;
		snprintf(out, outlen, "%s", in);
	} else {
		if (len > XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		snprintf(out, outlen, "/local/domain/%u/%s", c->domid, in);
	}
	return 0;
}

/* ---- watches ---- */

static void send_event(struct conn *c, const struct watch *w, const char *path)
{
	char dom[40], body[XENSTORE_ABS_PATH_MAX * 2 + 8];
	size_t dlen;
	int n;

	/* A relative watch hears relative paths. */
	dlen =
	    (size_t)snprintf(dom, sizeof(dom), "/local/domain/%u/", c->domid);
	if (w->path[0] != '/' && w->path[0] != '@' && !strncmp(path, dom, dlen))
		path += dlen;
	n = snprintf(body, sizeof(body), "%s%c%s", path, 0, w->token);
	send_msg(c, XS_WATCH_EVENT, 0, 0, body, (size_t)n + 1);
}

/* path changed; perms are the node's (before removal, for rm). */
static void fire(struct sim *s, const char *path, const struct perm *perms,
		 unsigned np, bool removed)
{
	for (struct conn *c = s->conns; c; c = c->next) {
		if (!(tree_perms_for(perms, np, c->domid) & PERM_READ))
			continue;
		for (struct watch *w = c->watches; w; w = w->next) {
			if (w->abs[0] == '@')
				continue;
			if (is_child(path, w->abs))
				send_event(c, w, path);
			else if (removed && is_child(w->abs, path))
				send_event(c, w, w->abs);
		}
	}
}

static void fire_special(struct sim *s, const char *name)
{
	for (struct conn *c = s->conns; c; c = c->next)
		for (struct watch *w = c->watches; w; w = w->next)
			if (!strcmp(w->abs, name))
				send_event(c, w, name);
}

static void watch_free(struct watch *w)
{
	free(w->path);
	free(w->abs);
	free(w->token);
	free(w);
}

/* ---- transactions ---- */

static void txn_note(struct ctx *x, const char *path)
{
	struct txn *t = x->t;
	struct node *n;
	struct access *a;

	if (!t)
		return;
	for (size_t i = 0; i < t->nacc; i++)
		if (!strcmp(t->acc[i].path, path))
			return;
	a = realloc(t->acc, (t->nacc + 1) * sizeof(*a));
	if (!a)
		return;
	t->acc = a;
	n = tree_lookup(t->snap, path);
	a[t->nacc].path = strdup(path);
	a[t->nacc].gen = n ? n->gen : 0;
	if (a[t->nacc].path)
		t->nacc++;
}

static void txn_log(struct ctx *x, enum op_type type, const char *path,
		    const char *value, unsigned len, const struct perm *p,
		    unsigned np)
{
	struct txn *t = x->t;
	struct op *o = realloc(t->ops, (t->nops + 1) * sizeof(*o));

	if (!o)
		return;
	t->ops = o;
	o = &t->ops[t->nops++];
	memset(o, 0, sizeof(*o));
	o->type = type;
	o->path = strdup(path);
	if (value) {
		o->value = malloc(len + 1);
		if (o->value)
			memcpy(o->value, value, len);
		o->len = len;
	}
	if (np) {
		o->perms = malloc(np * sizeof(*p));
		if (o->perms)
			memcpy(o->perms, p, np * sizeof(*p));
		o->np = np;
	}
}

static void txn_free(struct txn *t)
{
	tree_free(t->snap);
	for (size_t i = 0; i < t->nacc; i++)
		free(t->acc[i].path);
	free(t->acc);
	for (size_t i = 0; i < t->nops; i++) {
		free(t->ops[i].path);
		free(t->ops[i].value);
		free(t->ops[i].perms);
	}
	free(t->ops);
	free(t);
}

static struct txn *txn_find(struct conn *c, uint32_t id)
{
	for (struct txn *t = c->txns; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static void txn_unlink(struct conn *c, struct txn *t)
{
	for (struct txn **p = &c->txns; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			return;
		}
}

/* ---- operations, shared by direct requests and commits ---- */

static char *parent_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
	return buf;
}

/* May c change path (existing or to be created)? */
static int may_write(struct ctx *x, const char *path)
{
	struct node *n = tree_nearest(x->root, path);
	char buf[XENSTORE_ABS_PATH_MAX + 1];

	if (x->t) {
		size_t len;

		/* Creating under n changes n's list of children, and every
		 * missing node down to path is noted as absent before this
		 * transaction creates it. */
		tree_path(n, buf, sizeof(buf));
		txn_note(x, buf);
		len = strcmp(buf, "/") ? strlen(buf) : 0;
		while (len < strlen(path)) {
			len += 1 + strcspn(path + len + 1, "/");
			snprintf(buf, sizeof(buf), "%.*s", (int)len, path);
			txn_note(x, buf);
		}
	}
	return tree_perm_for(n, x->c->domid) & PERM_WRITE ? 0 : -EACCES;
}

static int op_write(struct ctx *x, const char *path, const char *v,
		    unsigned len, bool mkdir)
{
	struct node *n;
	int rc = may_write(x, path);

	if (rc)
		return rc;
	n = tree_lookup(x->root, path);
	if (n && mkdir)
		return 0;
	n = tree_create(x->root, path, x->c->domid);
	if (!n)
		return -ENOMEM;
	if (!mkdir && tree_set_value(n, v, len))
		return -ENOMEM;
	if (x->t)
		txn_log(x, mkdir ? OP_MKDIR : OP_WRITE, path, v, len, NULL, 0);
	else
		fire(x->s, path, n->perms, n->nperms, false);
	return 0;
}

static int op_rm(struct ctx *x, const char *path)
{
	char buf[XENSTORE_ABS_PATH_MAX + 1];
	struct node *n;
	struct perm perms[16];
	unsigned np;

	if (!strcmp(path, "/"))
		return -EINVAL;
	txn_note(x, path);
	txn_note(x, parent_of(path, buf, sizeof(buf)));
	n = tree_lookup(x->root, path);
	if (!n)
		/* Already gone is fine if the parent exists (xenstored). */
		return tree_lookup(x->root, buf) ? 0 : -ENOENT;
	if (!(tree_perm_for(n, x->c->domid) & PERM_WRITE))
		return -EACCES;
	np = n->nperms < 16 ? n->nperms : 16;
	memcpy(perms, n->perms, np * sizeof(*perms));
	tree_remove(n);
	if (x->t)
		txn_log(x, OP_RM, path, NULL, 0, NULL, 0);
	else
		fire(x->s, path, perms, np, true);
	return 0;
}

static int op_setperms(struct ctx *x, const char *path, const struct perm *p,
		       unsigned np)
{
	struct node *n;

	txn_note(x, path);
	n = tree_lookup(x->root, path);
	if (!n)
		return -ENOENT;
	if (!(tree_perm_for(n, x->c->domid) & PERM_OWNER))
		return -EACCES;
	/* An unprivileged owner may not give its node away. */
	if (x->c->domid != 0 && p[0].id != n->perms[0].id)
		return -EPERM;
	if (tree_set_perms(n, p, np))
		return -ENOMEM;
	if (x->t)
		txn_log(x, OP_SETPERMS, path, NULL, 0, p, np);
	else
		fire(x->s, path, n->perms, n->nperms, false);
	return 0;
}

static struct node *readable(struct ctx *x, const char *path, int *err)
{
	struct node *n;

	txn_note(x, path);
	n = tree_lookup(x->root, path);
	if (!n)
		*err = -ENOENT;
	else if (!(tree_perm_for(n, x->c->domid) & PERM_READ)) {
		*err = -EACCES;
		n = NULL;
	}
	return n;
}

static int txn_commit(struct sim *s, struct conn *c, struct txn *t)
{
	struct ctx x = {s, c, NULL, s->root};

	for (size_t i = 0; i < t->nacc; i++) {
		struct node *n = tree_lookup(s->root, t->acc[i].path);

		if ((n ? n->gen : 0) != t->acc[i].gen)
			return -EAGAIN;
	}
	/* Nothing it touched has changed, so each step succeeds again. */
	for (size_t i = 0; i < t->nops; i++) {
		struct op *o = &t->ops[i];

		switch (o->type) {
		case OP_WRITE:
		case OP_MKDIR:
			op_write(&x, o->path, o->value, o->len,
				 o->type == OP_MKDIR);
			break;
		case OP_RM:
			op_rm(&x, o->path);
			break;
		case OP_SETPERMS:
			op_setperms(&x, o->path, o->perms, o->np);
			break;
		}
	}
	return 0;
}

/* ---- the wire ---- */

/* The payload as n NUL-terminated strings, exactly. */
static int args(const char *p, size_t len, const char **v, int n)
{
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		const char *nul =
		    off < len ? memchr(p + off, 0, len - off) : NULL;
		if (!nul)
			return -EINVAL;
		v[i] = p + off;
		off = (size_t)(nul - p) + 1;
	}
	return off == len ? 0 : -EINVAL;
}

static int parse_domid(const char *s, unsigned *d)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 0xffff)
		return -EINVAL;
	*d = (unsigned)v;
	return 0;
}

static void do_directory(struct ctx *x, const struct xsd_sockmsg *h,
			 const char *path, const char *offstr)
{
	char body[XENSTORE_PAYLOAD_MAX];
	size_t total = 0, len = 0, off = 0;
	int err = 0;
	struct node *n = readable(x, path, &err);

	if (!n) {
		send_error(x->c, h, -err);
		return;
	}
	for (unsigned i = 0; i < n->nkids; i++)
		total += strlen(n->kids[i]->name) + 1;
	if (!offstr) {
		if (total > sizeof(body)) {
			send_error(x->c, h, E2BIG);
			return;
		}
		for (unsigned i = 0; i < n->nkids; i++) {
			size_t k = strlen(n->kids[i]->name) + 1;

			memcpy(body + len, n->kids[i]->name, k);
			len += k;
		}
		send_msg(x->c, h->type, h->req_id, h->tx_id, body, len);
		return;
	}
	/* DIRECTORY_PART: the generation, then whole names from byte offset
	 * on, and an extra NUL once the list is complete. */
	{
		unsigned long want;
		char *end;

		errno = 0;
		want = strtoul(offstr, &end, 10);
		if (errno || *end || end == offstr) {
			send_error(x->c, h, EINVAL);
			return;
		}
		len = (size_t)snprintf(body, sizeof(body), "%llu",
				       (unsigned long long)n->gen) +
		      1;
		for (unsigned i = 0; i < n->nkids; i++) {
			size_t k = strlen(n->kids[i]->name) + 1;

			if (off >= want) {
				if (len + k + 1 > sizeof(body))
					break;
				memcpy(body + len, n->kids[i]->name, k);
				len += k;
			}
			off += k;
		}
		if (off >= total)
			body[len++] = '\0';
		send_msg(x->c, h->type, h->req_id, h->tx_id, body, len);
	}
}

static void do_perms(struct ctx *x, const struct xsd_sockmsg *h,
		     const char *path)
{
	char body[XENSTORE_PAYLOAD_MAX];
	size_t len = 0;
	int err = 0;
	struct node *n = readable(x, path, &err);

	if (!n) {
		send_error(x->c, h, -err);
		return;
	}
	for (unsigned i = 0; i < n->nperms && len + 16 < sizeof(body); i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len, "%c%u",
					n->perms[i].p, n->perms[i].id) +
		       1;
	send_msg(x->c, h->type, h->req_id, h->tx_id, body, len);
}

static void do_set_perms(struct ctx *x, const struct xsd_sockmsg *h,
			 const char *p, size_t len)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	struct perm perms[64];
	unsigned np = 0;
	size_t off;
	int rc;

	if (!len || p[len - 1] || canon(x->c, p, path, sizeof(path), false)) {
		send_error(x->c, h, EINVAL);
		return;
	}
	for (off = strlen(p) + 1; off < len; off += strlen(p + off) + 1)
		if (np == 64 || tree_parse_perm(p + off, &perms[np++])) {
			send_error(x->c, h, EINVAL);
			return;
		}
	if (!np) {
		send_error(x->c, h, EINVAL);
		return;
	}
	rc = op_setperms(x, path, perms, np);
	if (rc)
		send_error(x->c, h, -rc);
	else
		send_ok(x->c, h);
}

static void do_watch(struct sim *s, struct conn *c, const struct xsd_sockmsg *h,
		     const char *p, size_t len, bool add)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	const char *v[2];
	struct watch *w;

	(void)s;
	if (args(p, len, v, 2) || canon(c, v[0], path, sizeof(path), true)) {
		send_error(c, h, EINVAL);
		return;
	}
	if (!add) {
		for (struct watch **pw = &c->watches; *pw; pw = &(*pw)->next)
			if (!strcmp((*pw)->path, v[0]) &&
			    !strcmp((*pw)->token, v[1])) {
				w = *pw;
				*pw = w->next;
				watch_free(w);
				send_ok(c, h);
				return;
			}
		send_error(c, h, ENOENT);
		return;
	}
	for (w = c->watches; w; w = w->next)
		if (!strcmp(w->path, v[0]) && !strcmp(w->token, v[1])) {
			send_error(c, h, EEXIST);
			return;
		}
	w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(v[0])) || !(w->abs = strdup(path)) ||
	    !(w->token = strdup(v[1]))) {
		if (w)
			watch_free(w);
		send_error(c, h, ENOMEM);
		return;
	}
	w->next = c->watches;
	c->watches = w;
	send_ok(c, h);
	/* A new watch fires once at once, with the path as registered. */
	send_event(c, w, w->abs[0] == '@' ? w->abs : path);
}

static void do_transaction(struct sim *s, struct conn *c,
			   const struct xsd_sockmsg *h, const char *p,
			   size_t len)
{
	const char *v[1];
	struct txn *t;
	char id[16];
	int rc;

	if (h->type == XS_TRANSACTION_START) {
		if (h->tx_id) {
			send_error(c, h, EBUSY);
			return;
		}
		t = calloc(1, sizeof(*t));
		if (!t || !(t->snap = tree_clone(s->root, NULL))) {
			free(t);
			send_error(c, h, ENOMEM);
			return;
		}
		t->id = ++s->next_txid ? s->next_txid : ++s->next_txid;
		t->next = c->txns;
		c->txns = t;
		snprintf(id, sizeof(id), "%u", t->id);
		send_msg(c, h->type, h->req_id, 0, id, strlen(id) + 1);
		return;
	}
	t = txn_find(c, h->tx_id);
	if (!t) {
		send_error(c, h, ENOENT);
		return;
	}
	if (args(p, len, v, 1) || (strcmp(v[0], "T") && strcmp(v[0], "F"))) {
		send_error(c, h, EINVAL);
		return;
	}
	txn_unlink(c, t);
	rc = strcmp(v[0], "T") ? 0 : txn_commit(s, c, t);
	txn_free(t);
	if (rc)
		send_error(c, h, -rc);
	else
		send_ok(c, h);
}

static void do_domain(struct sim *s, struct conn *c,
		      const struct xsd_sockmsg *h, const char *p, size_t len)
{
	const char *v[3];
	unsigned d;
	char buf[48];
	int n = h->type == XS_INTRODUCE ? 3 : 1;

	if (args(p, len, v, n) || parse_domid(v[0], &d)) {
		send_error(c, h, EINVAL);
		return;
	}
	if (h->type != XS_GET_DOMAIN_PATH &&
	    h->type != XS_IS_DOMAIN_INTRODUCED && c->domid != 0) {
		send_error(c, h, EACCES);
		return;
	}
	switch (h->type) {
	case XS_GET_DOMAIN_PATH:
		snprintf(buf, sizeof(buf), "/local/domain/%u", d);
		send_msg(c, h->type, h->req_id, h->tx_id, buf, strlen(buf) + 1);
		return;
	case XS_IS_DOMAIN_INTRODUCED:
		send_msg(c, h->type, h->req_id, h->tx_id,
			 (s->introduced[d / 8] & (1u << d % 8)) ? "T" : "F", 2);
		return;
	case XS_INTRODUCE:
		if (d == 0) {
			send_error(c, h, EINVAL);
			return;
		}
		s->introduced[d / 8] |= (unsigned char)(1u << d % 8);
		send_ok(c, h);
		fire_special(s, "@introduceDomain");
		return;
	case XS_RELEASE:
		if (!(s->introduced[d / 8] & (1u << d % 8)) || d == 0) {
			send_error(c, h, ENOENT);
			return;
		}
		s->introduced[d / 8] &= (unsigned char)~(1u << d % 8);
		send_ok(c, h);
		fire_special(s, "@releaseDomain");
		return;
	}
}

static void reset_watches(struct conn *c)
{
	while (c->watches) {
		struct watch *w = c->watches;

		c->watches = w->next;
		watch_free(w);
	}
	while (c->txns) {
		struct txn *t = c->txns;

		c->txns = t->next;
		txn_free(t);
	}
}

void sim_handle(struct sim *s, struct conn *c, const struct xsd_sockmsg *h,
		const char *p)
{
	char path[XENSTORE_ABS_PATH_MAX + 64];
	struct ctx x = {s, c, NULL, s->root};
	const char *v[2];
	size_t len = h->len;
	struct node *n;
	int rc = 0;

	switch (h->type) {
	case XS_WATCH:
	case XS_UNWATCH:
		do_watch(s, c, h, p, len, h->type == XS_WATCH);
		return;
	case XS_TRANSACTION_START:
	case XS_TRANSACTION_END:
		do_transaction(s, c, h, p, len);
		return;
	case XS_INTRODUCE:
	case XS_RELEASE:
	case XS_GET_DOMAIN_PATH:
	case XS_IS_DOMAIN_INTRODUCED:
		do_domain(s, c, h, p, len);
		return;
	case XS_RESET_WATCHES:
		if (c->domid != 0) {
			send_error(c, h, EACCES);
			return;
		}
		reset_watches(c);
		send_ok(c, h);
		return;
	case XS_READ:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_DIRECTORY:
	case XS_DIRECTORY_PART:
	case XS_GET_PERMS:
	case XS_SET_PERMS:
		break;
	default:
		send_error(c, h, ENOSYS);
		return;
	}
	if (h->tx_id) {
		x.t = txn_find(c, h->tx_id);
		if (!x.t) {
			send_error(c, h, ENOENT);
			return;
		}
		x.root = x.t->snap;
	}
	if (h->type == XS_SET_PERMS) {
		do_set_perms(&x, h, p, len);
		return;
	}
	/* Every other request starts with one path. */
	{
		const char *nul = memchr(p, 0, len);

		if (!nul || canon(c, p, path, sizeof(path), false)) {
			send_error(c, h, EINVAL);
			return;
		}
	}
	switch (h->type) {
	case XS_WRITE: {
		size_t plen = strlen(p) + 1;

		rc =
		    op_write(&x, path, p + plen, (unsigned)(len - plen), false);
		break;
	}
	case XS_DIRECTORY_PART:
		if (args(p, len, v, 2)) {
			send_error(c, h, EINVAL);
			return;
		}
		do_directory(&x, h, path, v[1]);
		return;
	default:
		if (args(p, len, v, 1)) {
			send_error(c, h, EINVAL);
			return;
		}
		break;
	}
	switch (h->type) {
	case XS_READ:
		n = readable(&x, path, &rc);
		if (n)
			send_msg(c, h->type, h->req_id, h->tx_id, n->value,
				 n->len);
		else
			send_error(c, h, -rc);
		return;
	case XS_DIRECTORY:
		do_directory(&x, h, path, NULL);
		return;
	case XS_GET_PERMS:
		do_perms(&x, h, path);
		return;
	case XS_MKDIR:
		rc = op_write(&x, path, NULL, 0, true);
		break;
	case XS_RM:
		rc = op_rm(&x, path);
		break;
	}
	if (rc)
		send_error(c, h, -rc);
	else
		send_ok(c, h);
}

int sim_conn_input(struct sim *s, struct conn *c, const void *buf, size_t len)
{
	const unsigned char *b = buf;

	while (len) {
		size_t want = sizeof(struct xsd_sockmsg), take;
		struct xsd_sockmsg h;

		if (c->inlen >= want) {
			memcpy(&h, c->in, sizeof(h));
			/* Too big for the ring: xenstored drops the client. */
			if (h.len > XENSTORE_PAYLOAD_MAX)
				return -1;
			want += h.len;
		}
		take = want - c->inlen < len ? want - c->inlen : len;
		memcpy(c->in + c->inlen, b, take);
		c->inlen += take;
		b += take;
		len -= take;
		if (c->inlen < sizeof(struct xsd_sockmsg))
			continue;
		memcpy(&h, c->in, sizeof(h));
		if (h.len > XENSTORE_PAYLOAD_MAX)
			return -1;
		if (c->inlen < sizeof(h) + h.len)
			continue;
		sim_handle(s, c, &h, (const char *)c->in + sizeof(h));
		c->inlen = 0;
	}
	return 0;
}

struct conn *sim_conn_new(struct sim *s, int fd, unsigned domid)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = fd;
	c->domid = domid;
	c->next = s->conns;
	s->conns = c;
	return c;
}

void sim_conn_free(struct sim *s, struct conn *c)
{
	for (struct conn **p = &s->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	reset_watches(c);
	free(c->out);
	free(c);
}

static int put(struct node *root, const char *path, const char *value,
	       const struct perm *p, unsigned np)
{
	struct node *n = tree_create(root, path, 0);

	if (!n ||
	    (value && tree_set_value(n, value, (unsigned)strlen(value))) ||
	    (np && tree_set_perms(n, p, np)))
		return -ENOMEM;
	return 0;
}

int sim_init(struct sim *s)
{
	static const struct perm none0 = {0, 'n'};

	memset(s, 0, sizeof(*s));
	s->root = tree_new_root();
	if (!s->root)
		return -ENOMEM;
	s->introduced[0] |= 1;
	/* What xenstored and xen-init-dom0 leave on a dom0 host. */
	if (put(s->root, "/tool", NULL, &none0, 1) ||
	    put(s->root, "/local/domain/0/domid", "0", &none0, 1) ||
	    put(s->root, "/local/domain/0/name", "Domain-0", &none0, 1))
		return -ENOMEM;
	return 0;
}

int sim_add_domain(struct sim *s, unsigned domid)
{
	char path[64], id[16];
	struct perm ro[2] = {{0, 'n'}, {domid, 'r'}};
	struct perm own[1] = {{domid, 'n'}};

	s->introduced[domid / 8] |= (unsigned char)(1u << domid % 8);
	snprintf(id, sizeof(id), "%u", domid);
	snprintf(path, sizeof(path), "/local/domain/%u", domid);
	if (tree_lookup(s->root, path))
		return 0;
	if (put(s->root, path, NULL, ro, 2))
		return -ENOMEM;
	snprintf(path, sizeof(path), "/local/domain/%u/domid", domid);
	if (put(s->root, path, id, ro, 2))
		return -ENOMEM;
	snprintf(path, sizeof(path), "/local/domain/%u/device", domid);
	if (put(s->root, path, NULL, own, 1))
		return -ENOMEM;
	snprintf(path, sizeof(path), "/local/domain/%u/data", domid);
	return put(s->root, path, NULL, own, 1);
}

void sim_fini(struct sim *s)
{
	while (s->conns)
		sim_conn_free(s, s->conns);
	tree_free(s->root);
	s->root = NULL;
}
