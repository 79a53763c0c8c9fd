/* plugd_int.h: what vifplugd's files share: the job model, the worker,
 * the daemon's state (pd) and the functions one job's file calls in
 * another's. Not for outside common/daemon. */
#ifndef VIFPLUG_PLUGD_INT_H
#define VIFPLUG_PLUGD_INT_H

#include "plugd.h"
#include "antispoof.h"
#include "coldplug.h"
#include "devq.h"
#include "libvirt.h"
#include "linkset.h"
#include "sdnotify.h"
#include "owner.h"
#include "ports.h"
#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <xenstore.h>

#include "bridge.h"
#include "claim.h"
#include "port.h"
#include "conf.h"
#include "emu.h"
#include "hotplug.h"
#include "log.h"
#include "names.h"
#include "nl.h"
#include "xs.h"

#define PROG "vifplugd"

enum job_kind {
	JOB_EVENT,	/* a hotplug event: cmd, type_if, env */
	JOB_CHECK,	/* coldplug of one device: run the event if needed */
	JOB_LINK_NEW,	/* a link appeared: put it back if it is known */
	JOB_BRIDGE_NEW, /* a bridge appeared: queue its ports' reattach */
	JOB_REATTACH,	/* put dev back on bridge */
	JOB_RULES,	/* a vif with antispoofing rules: keep them? */
};

struct job {
	struct devq_job q; /* first: the queue's part, with the key */
	enum job_kind kind;
	char cmd[16];
	char type_if[8];
	char bridge[NAMES_IFNAMSIZ];
	/* JOB_REATTACH of a libvirt NIC's tap: its guest's QEMU, which
	 * must hold it; 0 for vifplug's own ports */
	pid_t holder;
	bool routed; /* JOB_RULES: table inet vifplug's, else bridge's */
	char **env;  /* NULL-terminated, each malloc'd */
};

struct plugd {
	struct devq *queue; /* the jobs, serial per device */

	pthread_mutex_t conf_lock;
	struct conf conf;
	const char *conf_path;

	struct ports *ports; /* the ports vifplug put on bridges */

	/* what metrics_file shows; dirty until written */
	pthread_mutex_t met_lock;
	struct prom_events met;
	bool met_dirty;
};

extern struct plugd pd;
/* the links the main thread knows of (plugd_watch.c) */
extern struct linkset seen;

/* Counts one thing in pd.met under its lock. */
#define MET(stmt)                                                              \
	do {                                                                   \
		pthread_mutex_lock(&pd.met_lock);                              \
		stmt;                                                          \
		pd.met_dirty = true;                                           \
		pthread_mutex_unlock(&pd.met_lock);                            \
	} while (0)

/* A worker's context: the daemon's configuration (copied before each
 * job, so that SIGHUP's reload reaches it) and handles of its own, lent
 * to every event it runs (ctx.shared). */
struct worker {
	pthread_t thread;
	struct ctx ctx;
};

double now_seconds(void);
enum prom_cmd prom_cmd_of(enum hotplug_cmd c);
int record_reattach(const struct emu_record *r, void *arg);
int resync_cb(const struct nl_link *l, void *arg);
int seen_dump_cb(const struct nl_link *l, void *arg);
int uevent_open(bool kernel);
void *worker_main(void *arg);
void coldplug(void);
void enqueue(struct job *j);
void job_free(struct job *j);
void job_free_q(struct devq_job *q);
void on_link(bool gone, const struct nl_link *l, void *arg);
void on_uevents(int fd, bool kernel);
void queue_event(enum job_kind kind, const char *dev, const char *cmd,
		 const char *type, const char *const kv[], size_t n);
void run_bridge_new(struct worker *w, struct job *j);
void run_check(struct worker *w, struct job *j);
void run_event(struct worker *w, struct job *j);
void run_link_new(struct worker *w, struct job *j);
void run_reattach(struct worker *w, struct job *j);
void run_rules(struct worker *w, struct job *j);

struct job *job_new(enum job_kind kind, const char *key);
struct xs_handle *worker_xs(struct worker *w);
void reattach(struct worker *w, const char *dev, const char *bridge,
	      unsigned mtu, const uint8_t *mac, pid_t holder);
bool ours(const char *name);

/* One of the daemon's own messages, in every program's grammar:
 * "vifplugd CMD DEV: ..." (dev NULL: "-"), through ctx_log. */
void plugd_say(int level, const char *cmd, const char *dev, const char *fmt,
	       ...) __attribute__((format(printf, 4, 5)));

#endif
