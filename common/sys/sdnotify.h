/* sdnotify.h: tell systemd (Type=notify) how the daemon is doing. */
#ifndef VIFPLUG_SDNOTIFY_H
#define VIFPLUG_SDNOTIFY_H

/* msg ("READY=1") to $NOTIFY_SOCKET; nothing when it is not set or
 * cannot be reached. */
void sdnotify(const char *msg);

#endif
