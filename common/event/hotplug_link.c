/* hotplug_link.c: the event's link: found under its own name, renamed
 * to its backend's vifname and labelled as this vif's, and claimed as
 * the event's own (claim.h) before anything acts on it. */
#include "hotplug.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "claim.h"
#include "log.h"

/* The one predicate (claim.h), with the kind this event's type asks. */
static int check_kind(struct hotplug *hp, const struct nl_link *l)
{
	hp->claim.tap_only = hp->type == HP_TAP;
	return claim_check(hp->ctx, l, &hp->claim);
}

int hotplug_check_addrs(struct hotplug *hp, const struct nl_link *link,
			uint32_t own4, bool *has_own, unsigned *all)
{
	return claim_addrs(hp->ctx, link, own4, has_own, all);
}

/* The alias of a link renamed to its backend's vifname: the proof that
 * the link of that name is this vif's, for the offline (another domain
 * may hold a link of the same name). */
static void vif_alias(const struct hotplug *hp, char *buf, size_t len)
{
	snprintf(buf, len, "xen vif %u.%u (%s)", hp->domid, hp->devid,
		 hp->kernel_dev);
}

static bool provably_ours(const struct hotplug *hp, const struct nl_link *l)
{
	char alias[sizeof(l->alias)];

	vif_alias(hp, alias, sizeof(alias));
	return !strcmp(l->name, hp->kernel_dev) || !strcmp(l->alias, alias);
}

static int label_renamed(struct hotplug *hp, const struct nl_link *link)
{
	struct nl_link_change c = NL_LINK_CHANGE_INIT;
	char alias[sizeof(link->alias)];
	int rc;

	vif_alias(hp, alias, sizeof(alias));
	if (!strcmp(link->alias, alias))
		return 0;
	c.alias = alias;
	rc = nl_link_change(hp->ctx->nl, link->index, &c);
	if (rc)
		return hotplug_error(hp, "cannot label %s as this vif's: %s",
				     link->name, ctx_nl_strerror(hp->ctx, rc));
	return 0;
}

/* offline/remove of a vif with a vifname: only the link that is provably
 * this vif's; another domain's link of that name is left alone, and the
 * kernel's name is used when the rename never happened. */
static int link_for_teardown(struct hotplug *hp, struct nl_link *link)
{
	int rc = nl_link_get(hp->ctx->nl, hp->dev, 0, link);

	if (rc && rc != -ENODEV)
		return hotplug_error(hp, "cannot look up link %s: %s", hp->dev,
				     ctx_nl_strerror(hp->ctx, rc));
	if (rc == 0 && provably_ours(hp, link))
		return check_kind(hp, link);
	if (rc == 0)
		ctx_log(hp->ctx, LOG_WARNING,
			"the link named %s is not this "
			"vif's (its alias is '%s'): left alone",
			hp->dev, link->alias);
	memcpy(hp->dev, hp->kernel_dev, sizeof(hp->dev));
	rc = nl_link_get(hp->ctx->nl, hp->dev, 0, link);
	if (rc && rc != -ENODEV)
		return hotplug_error(hp, "cannot look up link %s: %s", hp->dev,
				     ctx_nl_strerror(hp->ctx, rc));
	return rc ? rc : check_kind(hp, link);
}

int hotplug_link(struct hotplug *hp, struct nl_link *link)
{
	bool renaming =
	    hp->vifname[0] && (hp->cmd == HP_ONLINE || hp->cmd == HP_ADD);
	struct nl_link old;
	int rc;

	if (hp->vifname[0] && !renaming)
		return link_for_teardown(hp, link);
	rc = nl_link_get(hp->ctx->nl, hp->dev, 0, link);
	if (rc && rc != -ENODEV)
		return hotplug_error(hp, "cannot look up link %s: %s", hp->dev,
				     ctx_nl_strerror(hp->ctx, rc));
	if (!renaming)
		return rc ? rc : check_kind(hp, link);
	rc = nl_link_get(hp->ctx->nl, hp->kernel_dev, 0, &old);
	if (rc && rc != -ENODEV)
		return hotplug_error(hp, "cannot look up link %s: %s",
				     hp->kernel_dev,
				     ctx_nl_strerror(hp->ctx, rc));
	if (rc == -ENODEV) {
		/* Renamed by an earlier run of this same event, which
		 * labelled it; anything else of that name is not ours. */
		if (link->index && provably_ours(hp, link))
			return check_kind(hp, link);
		if (link->index)
			return hotplug_error(hp,
					     "link %s does not exist, and the "
					     "link named %s is not this vif's",
					     hp->kernel_dev, hp->vifname);
		return hotplug_error(hp, "link %s does not exist",
				     hp->kernel_dev);
	}
	if (link->index)
		return hotplug_error(hp,
				     "cannot rename %s to %s: a link named %s "
				     "already exists",
				     hp->kernel_dev, hp->vifname, hp->vifname);
	if (check_kind(hp, &old))
		return -1;
	/* The kernel renames only a link that is down. */
	if (old.flags & IFF_UP) {
		rc = nl_link_set_up(hp->ctx->nl, old.index, false);
		if (rc)
			return hotplug_error(hp,
					     "cannot set %s down to rename it: "
					     "%s",
					     hp->kernel_dev,
					     ctx_nl_strerror(hp->ctx, rc));
	}
	rc = nl_link_set_name(hp->ctx->nl, old.index, hp->vifname);
	if (rc)
		return hotplug_error(hp, "cannot rename %s to %s: %s",
				     hp->kernel_dev, hp->vifname,
				     ctx_nl_strerror(hp->ctx, rc));
	ctx_log(hp->ctx, LOG_INFO, "renamed from %s", hp->kernel_dev);
	rc = nl_link_get(hp->ctx->nl, 0, old.index, link);
	if (rc == -ENODEV)
		return hotplug_error(hp,
				     "the link went away while it was being "
				     "set up");
	if (rc)
		return hotplug_error(hp, "cannot look up link %s: %s",
				     hp->vifname, ctx_nl_strerror(hp->ctx, rc));
	return label_renamed(hp, link);
}
