/* log.h: syslog(LOG_DAEMON), the hotplug log file and stderr. */
#ifndef VIFPLUG_LOG_H
#define VIFPLUG_LOG_H

#include <stdarg.h>
#include <syslog.h>

struct conf;

/* prog names every line; the file is opened for append, and a file that
 * cannot be opened is not an error (the message still reaches syslog). */
void log_open(const char *prog, const struct conf *c);
void log_close(void);
/* path opened for append without ever blocking; only a regular file
 * (created if absent) is used: -1 otherwise. */
int log_open_file(const char *path);

/* Descriptors 0, 1 and 2 opened to /dev/null where they are closed, so
 * that no later open (the log, the lock, the xenstore socket) takes one
 * and receives what is meant for stderr. First thing in every main(). */
int log_guard_stdio(void);

/* Errors and warnings also go to stderr, which libxl and udev capture.
 * The message is escaped (esc_text) on its way to every sink. */
void log_msg(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* For a signal handler: write msg to stderr and the log file, nothing
 * else; async-signal-safe. */
void log_emergency(const char *msg);

#endif
