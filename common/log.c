/* log.c: one line per message to syslog, the hotplug log and stderr. */
#include "log.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

static const char *log_prog = "vifplug";
static int log_fd = -1;
static int log_level = LOG_INFO;
static bool log_syslog;

void log_open(const char *prog, const struct conf *c)
{
	log_prog = prog;
	log_level = c->log_level;
	log_syslog = c->syslog;
	if (log_syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
	if (log_fd >= 0)
		close(log_fd);
	log_fd = open(c->log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
			  O_NOCTTY, 0640);
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	if (log_syslog)
		closelog();
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	char msg[1024], line[1200];
	struct timespec ts;
	struct tm tm;
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog)
		syslog(level, "%s", msg);
	if (level <= LOG_WARNING) {
		/* stderr may be a closed pipe under udev: nothing to do then */
		n = snprintf(line, sizeof(line), "%s\n", msg);
		if (write(STDERR_FILENO, line, (size_t)n) < 0)
			n = 0;
	}
	if (log_fd < 0 || level > log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	/* Not strftime: it reads /etc/localtime, a UTC stamp needs none. */
	n = snprintf(line, sizeof(line),
		     "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s[%d]: %s\n",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, log_prog,
		     (int)getpid(), msg);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	/* O_APPEND makes a single write one line even with many writers. */
	if (write(log_fd, line, (size_t)n) < 0)
		return;
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void log_emergency(const char *msg)
{
	size_t len = strlen(msg);

	if (write(STDERR_FILENO, msg, len) < 0)
		len = 0;
	if (log_fd >= 0 && write(log_fd, msg, strlen(msg)) < 0)
		return;
}
