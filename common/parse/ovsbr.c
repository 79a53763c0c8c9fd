/* ovsbr.c: Xen's Open vSwitch bridge syntax, as its vif-openvswitch's
 * regular expression ^([^.:]+)(\.([0-9]+))?(:([0-9]+(:[0-9]+)*))?$ reads
 * it, with the name held to an interface name and each VLAN to 0..4095
 * (what OVS's schema would refuse later, refused first). */
#include "ovsbr.h"

#include <stdio.h>
#include <string.h>

#include "esc.h"

/* digits at *p up to a '.', ':' or the end, as a VLAN: 0..4095 */
static int vlan_at(const char **p, int *out)
{
	int v = 0, n = 0;

	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		if (++n > 4 || v > OVS_VLAN_MAX)
			return -1;
		(*p)++;
	}
	*out = v;
	return n ? 0 : -1;
}

int ovs_bridge_parse(const char *s, struct ovs_bridge *b, char *why,
		     size_t whylen)
{
	char safe[ESC_TEXT_SIZE(64)], head[65];
	size_t len = strcspn(s, ".:");
	const char *p = s + len;
	int v;

	snprintf(head, sizeof(head), "%s", s);
	esc_text(head, safe, sizeof(safe));
	b->tag = -1;
	b->ntrunks = 0;
	if (len == 0 || len >= sizeof(b->name))
		goto bad;
	memcpy(b->name, s, len);
	b->name[len] = '\0';
	if (!names_ifname_valid(b->name))
		goto bad;
	if (*p == '.') {
		p++;
		if (vlan_at(&p, &b->tag))
			goto bad;
	}
	if (*p == ':') {
		do {
			p++;
			if (vlan_at(&p, &v) || b->ntrunks == OVS_TRUNKS_MAX)
				goto bad;
			b->trunks[b->ntrunks++] = (uint16_t)v;
		} while (*p == ':');
	}
	if (*p)
		goto bad;
	return 0;
bad:
	snprintf(why, whylen,
		 "bridge '%s' is not BRIDGE[.TAG][:TRUNK...] "
		 "(VLANs 0 to 4095)",
		 safe);
	return -1;
}
