/* minimal: the one-shot reference of make bench, a vif hotplug helper
 * that does what xendevd's xen-vif-hp does and nothing more: online
 * reads the backend's bridge (one xenstore request), sets the vif up and
 * attaches it (netlink), writes hotplug-status connected (one request);
 * offline detaches it and sets it down. No checks, no log, no lock, no
 * antispoofing: the floor a real helper's work stands on. Run as libxl
 * runs a script: `minimal online|offline`, XENBUS_PATH and vif set. */
#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static int setlink(struct mnl_socket *nl, unsigned index, unsigned flags,
		   int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = (int)index;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = flags;
	if (master >= 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (unsigned)master);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	int n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));

	return n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, 0, 0, NULL, NULL);
}

int main(int argc, char **argv)
{
	const char *xp = getenv("XENBUS_PATH"), *vif = getenv("vif");
	bool online = argc > 1 && !strcmp(argv[1], "online");
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned index = vif ? if_nametoindex(vif) : 0;
	char path[256];
	int rc = 1;

	if (!xp || !index || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID))
		return 1;
	if (online) {
		struct xs_handle *xs = xs_open(0);
		unsigned len, br;
		char *bridge;

		snprintf(path, sizeof(path), "%s/bridge", xp);
		bridge = xs ? xs_read(xs, XBT_NULL, path, &len) : NULL;
		br = bridge ? if_nametoindex(bridge) : 0;
		snprintf(path, sizeof(path), "%s/hotplug-status", xp);
		if (br && setlink(nl, index, IFF_UP, -1) >= 0 &&
		    setlink(nl, index, IFF_UP, (int)br) >= 0 &&
		    xs_write(xs, XBT_NULL, path, "connected", 9))
			rc = 0;
		free(bridge);
		if (xs)
			xs_close(xs);
	} else if (setlink(nl, index, IFF_UP, 0) >= 0 &&
		   setlink(nl, index, 0, -1) >= 0)
		rc = 0;
	mnl_socket_close(nl);
	return rc;
}
