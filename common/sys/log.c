/* log.c: one line per message to syslog, the hotplug log and stderr. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "esc.h"

static const char *log_prog = "vifplug";
static int log_fd = -1;
static int log_level = LOG_INFO;
static bool log_syslog;

void log_open(const char *prog, const struct conf *c)
{
	int fd;

	log_prog = prog;
	__atomic_store_n(&log_level, c->log_level, __ATOMIC_RELAXED);
	__atomic_store_n(&log_syslog, c->syslog, __ATOMIC_RELAXED);
	if (c->syslog)
		openlog(prog, LOG_PID, LOG_DAEMON);
	fd = log_open_file(c->log_file);
	if (log_fd < 0) {
		__atomic_store_n(&log_fd, fd, __ATOMIC_RELEASE);
		return;
	}
	/* vifplugd reopens on SIGHUP while its workers write: the new file
	 * takes the old descriptor's number in one step (dup2), so a
	 * writer never holds a closed, or reused, descriptor. A file that
	 * cannot be opened leaves the old one in use. */
	if (fd >= 0) {
		dup2(fd, log_fd);
		close(fd);
	}
}

int log_open_file(const char *path)
{
	struct stat st;
	/* Never blocks: a FIFO with no reader fails at once (ENXIO). */
	int fd = open(path,
		      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY |
			  O_NONBLOCK,
		      0640);

	if (fd >= 0 && (fstat(fd, &st) || !S_ISREG(st.st_mode))) {
		/* only a file: a FIFO's reader could stall every writer */
		close(fd);
		return -1;
	}
	return fd;
}

int log_guard_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int null;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor: fd itself */
		null = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
		if (null < 0)
			return -errno;
		if (null != fd) {
			close(null);
			return -EBADF;
		}
	}
	return 0;
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	if (log_syslog)
		closelog();
}

/* Async-signal-safe decimal, zero-padded to width. */
static char *put_num(char *p, unsigned long v, int width)
{
	char d[24];
	int n = 0;

	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < (int)sizeof(d));
	while (n < width--)
		*p++ = '0';
	while (n)
		*p++ = d[--n];
	return p;
}

static char *put_str(char *p, const char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

/* The UTC stamp every log line starts with (2026-12-07T22:43:03.123Z),
 * at p, without gmtime (glibc's reads /etc/localtime first) or stdio
 * (neither is safe in a signal handler): days since 1970 to a civil
 * date. Returns the end. */
static char *put_stamp(char *p)
{
	struct timespec ts;
	long days, z, era, doe, yoe, doy, mp, y, m, d, sec;

	clock_gettime(CLOCK_REALTIME, &ts);
	days = ts.tv_sec / 86400;
	sec = ts.tv_sec % 86400;
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	p = put_num(p, (unsigned long)y, 4);
	*p++ = '-';
	p = put_num(p, (unsigned long)m, 2);
	*p++ = '-';
	p = put_num(p, (unsigned long)d, 2);
	*p++ = 'T';
	p = put_num(p, (unsigned long)(sec / 3600), 2);
	*p++ = ':';
	p = put_num(p, (unsigned long)(sec / 60 % 60), 2);
	*p++ = ':';
	p = put_num(p, (unsigned long)(sec % 60), 2);
	*p++ = '.';
	p = put_num(p, (unsigned long)(ts.tv_nsec / 1000000), 3);
	*p++ = 'Z';
	return p;
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	char raw[1024], msg[1200], line[1300], stamp[40];
	int n, fd;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* One line, whatever an outside string in it held (a newline, an
	 * escape sequence meant for the terminal reading the log). */
	esc_text(raw, msg, sizeof(msg));
	if (__atomic_load_n(&log_syslog, __ATOMIC_RELAXED))
		syslog(level, "%s", msg);
	if (level <= LOG_WARNING) {
		/* stderr may be a closed pipe under udev: nothing to do then */
		n = snprintf(line, sizeof(line), "%s\n", msg);
		if (write(STDERR_FILENO, line, (size_t)n) < 0)
			n = 0;
	}
	fd = __atomic_load_n(&log_fd, __ATOMIC_ACQUIRE);
	if (fd < 0 || level > __atomic_load_n(&log_level, __ATOMIC_RELAXED))
		return;
	*put_stamp(stamp) = '\0';
	n = snprintf(line, sizeof(line), "%s %s[%d]: %s\n", stamp, log_prog,
		     (int)getpid(), msg);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	/* O_APPEND makes a single write one line even with many writers. */
	if (write(fd, line, (size_t)n) < 0)
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
	char line[1024], *p = line, *end = line + sizeof(line) - 1;
	int fd = __atomic_load_n(&log_fd, __ATOMIC_ACQUIRE);

	if (write(STDERR_FILENO, msg, strlen(msg)) < 0)
		p = line;
	if (fd < 0)
		return;
	p = put_stamp(p);
	p = put_str(p, end, " ");
	p = put_str(p, end, log_prog);
	p = put_str(p, end, "[");
	p = put_num(p, (unsigned long)getpid(), 1);
	p = put_str(p, end, "]: ");
	p = put_str(p, end, msg);
	if (write(fd, line, (size_t)(p - line)) < 0)
		return;
}
