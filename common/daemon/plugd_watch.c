/* plugd_watch.c: vifplugd's the main thread's eyes: uevents and rtnetlink link
 * notifications. */
#include "plugd_int.h"

/* ---- the main thread: uevents and link notifications ----------------- */

/* The links the main thread has seen. */
struct linkset seen;

static struct linkset_entry *seen_add(const struct nl_link *l)
{
	return linkset_add(&seen, l->index, l->name,
			   !strcmp(l->kind, "bridge"));
}

int seen_dump_cb(const struct nl_link *l, void *arg)
{
	(void)arg;
	return seen_add(l) ? 0 : -ENOMEM;
}

int resync_cb(const struct nl_link *l, void *arg)
{
	on_link(false, l, arg);
	return 0;
}

/* A vif or tap the helpers could have attached. */
bool ours(const char *name)
{
	unsigned d, n;
	bool emu;

	return names_parse_vif(name, &d, &n, &emu) == 0;
}

void on_link(bool gone, const struct nl_link *l, void *arg)
{
	struct linkset_entry *s = linkset_find(&seen, l->index);
	struct port p;
	struct job *j;

	(void)arg;
	if (gone) {
		if (s)
			linkset_del(&seen, l->index);
		/* an offlined port's entry ends with its link */
		ports_link_deleted(pd.ports, l->name);
		return;
	}
	if (s) {
		memcpy(s->name, l->name, NAMES_IFNAMSIZ);
		/* Attached by hand or by a helper: remember it too. */
		if (l->master && (l->flags & IFF_UP) && ours(l->name)) {
			struct linkset_entry *m =
			    linkset_find(&seen, l->master);

			if (m && m->bridge)
				ports_learn(pd.ports, l->name, m->name, l->mtu,
					    true);
		}
		return;
	}
	s = seen_add(l);
	if (s && s->bridge) {
		char key[64];

		snprintf(key, sizeof(key), "bridge:%s", l->name);
		j = job_new(JOB_BRIDGE_NEW, key);
		if (j)
			snprintf(j->bridge, sizeof(j->bridge), "%s", l->name);
		enqueue(j);
	} else if (!l->master &&
		   (ours(l->name) || ports_lookup(pd.ports, l->name, &p) ||
		    !strcmp(l->kind, "tun"))) {
		enqueue(job_new(JOB_LINK_NEW, l->name));
	}
}

int uevent_open(bool kernel)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
				 .nl_groups = kernel ? 1 : 2};
	/* udevd's own monitor size: a storm of a thousand guests' events
	 * arrives faster than any worker runs them; memory is only
	 * charged for what is queued. */
	int one = 1, size = 128 << 20;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	return fd;
}

static struct uevent ev; /* the main thread's, too big for a stack */

/* Reads every queued uevent; only root's (udevd's, or the kernel's when
 * kernel is set) are believed, as libudev does. */
void on_uevents(int fd, bool kernel)
{
	char buf[UEVENT_BUF], ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct sockaddr_nl from;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {.msg_name = &from,
			    .msg_namelen = sizeof(from),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = ctl,
			    .msg_controllen = sizeof(ctl)};
	struct uevent_action pe;

	for (;;) {
		ssize_t n;
		struct cmsghdr *c;
		struct ucred *cred = NULL;

		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(ctl);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				plugd_say(
				    LOG_WARNING, "uevent", NULL,
				    "uevents were lost "
				    "(receive buffer full): checking every "
				    "device as at start");
				/* what the lost events would have done */
				coldplug();
			}
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return;
		}
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_CREDENTIALS)
				cred = (struct ucred *)CMSG_DATA(c);
		if (!cred || cred->uid != 0 ||
		    (kernel ? from.nl_pid != 0 : from.nl_pid == 0))
			continue;
		if (uevent_decode(buf, (size_t)n, &ev)) {
			plugd_say(LOG_DEBUG, "uevent", NULL,
				  "a malformed uevent was ignored");
			continue;
		}
		if (!uevent_action(&ev, &pe)) {
			plugd_say(LOG_DEBUG, "uevent", NULL,
				  "%s %s: not a vif's nor a vif*-emu tap's, "
				  "ignored",
				  ev.action, ev.devpath);
			continue;
		}
		plugd_say(LOG_DEBUG, "uevent", pe.dev, "%s %s", pe.cmd,
			  pe.type_if);
		queue_event(JOB_EVENT, pe.dev, pe.cmd, pe.type_if, ev.props,
			    ev.n);
	}
}
