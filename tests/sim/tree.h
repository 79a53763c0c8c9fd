/* tree.h: the simulator's node tree: values, permissions, generations. */
#ifndef SIM_TREE_H
#define SIM_TREE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PERM_READ 1u
#define PERM_WRITE 2u
#define PERM_OWNER 4u

struct perm {
	unsigned id;
	char p; /* 'n', 'r', 'w' or 'b', as on the wire */
};

struct node {
	char *name;
	char *value;
	unsigned len;
	struct perm *perms; /* perms[0]: owner, and everyone else's */
	unsigned nperms;
	uint64_t gen; /* changes when the node or its children do */
	struct node *parent;
	struct node **kids; /* in creation order, as xenstored lists */
	unsigned nkids, capkids;
	/* the kids by name, open addressing, built when first needed (a
	 * directory of 4096 domains is not searched a name at a time) */
	struct node **hash;
	unsigned hcap; /* a power of two, 0 if none */
	bool hstale;
};

/* Every change takes a new generation from this counter. */
extern uint64_t tree_gen;

struct node *tree_new_root(void);
void tree_free(struct node *n);
struct node *tree_clone(const struct node *n, struct node *parent);

/* path is canonical and absolute. */
struct node *tree_lookup(struct node *root, const char *path);
/* The deepest existing node on path ("/" at least). */
struct node *tree_nearest(struct node *root, const char *path);

/* Creates path and any missing ancestors; each new node inherits its
 * parent's permissions, and an unprivileged creator owns it. NULL on ENOMEM. */
struct node *tree_create(struct node *root, const char *path, unsigned creator);
int tree_set_value(struct node *n, const char *v, unsigned len);
int tree_set_perms(struct node *n, const struct perm *p, unsigned np);
void tree_remove(struct node *n);

/* What domid may do to n (PERM_*); domain 0 may do everything. */
unsigned tree_perm_for(const struct node *n, unsigned domid);
unsigned tree_perms_for(const struct perm *p, unsigned np, unsigned domid);

/* "r5" <-> {5, 'r'}; 0 or -1. */
int tree_parse_perm(const char *s, struct perm *p);

/* The full path of n into buf. */
void tree_path(const struct node *n, char *buf, size_t len);

/* The seed/dump format, one node a line, parents first:
 *   /local/domain/7/name = "guest7" [n7,r0]
 * with C escapes in the value. */
int tree_load(struct node *root, FILE *f, char *why, size_t whylen);
void tree_dump(const struct node *root, FILE *f);

#endif
