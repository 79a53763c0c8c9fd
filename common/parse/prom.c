/* prom.c: Prometheus' text format and its atomic publication. */
#include "prom.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "esc.h"

void prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: printable (esc_text), then '\' and '"' escaped. An
 * escaped byte's "\x" itself becomes "\\x" on the way. */
static void label_value(FILE *f, const char *v)
{
	char safe[ESC_TEXT_SIZE(64)], cut[65];

	snprintf(cut, sizeof(cut), "%s", v);
	esc_text(cut, safe, sizeof(safe));
	fputc('"', f);
	for (const char *p = safe; *p; p++) {
		if (*p == '\\' || *p == '"')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

void prom_sample(FILE *f, const char *name, const char *const *labels,
		 size_t nlabels, double value)
{
	fputs(name, f);
	for (size_t i = 0; i < nlabels; i++) {
		fprintf(f, "%s%s=", i ? "," : "{", labels[2 * i]);
		label_value(f, labels[2 * i + 1]);
	}
	fputs(nlabels ? "} " : " ", f);
	/* a count as an integer, a duration with what a float holds */
	if (value >= 0 && value < 9007199254740992.0 &&
	    value == (double)(unsigned long long)value)
		fprintf(f, "%llu\n", (unsigned long long)value);
	else
		fprintf(f, "%.9g\n", value);
}

int prom_publish(const char *path, int (*write)(FILE *f, void *arg), void *arg,
		 char *why, size_t whylen)
{
	char tmp[4096], dir[4096];
	const char *base = strrchr(path, '/');
	FILE *f;
	int fd, rc = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	base = base ? base + 1 : path;
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.%ld", dirname(dir), base,
		     (long)getpid()) >= (int)sizeof(tmp)) {
		snprintf(why, whylen, "the path is too long");
		return -ENAMETOOLONG;
	}
	/* A temporary file of an earlier run that died. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		rc = -errno;
		snprintf(why, whylen, "cannot create %s: %s", tmp,
			 strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return rc;
	}
	rc = write(f, arg);
	if (fflush(f) && !rc)
		rc = -errno;
	if (ferror(f) && !rc)
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -errno;
	if (rc) {
		snprintf(why, whylen, "cannot write %s: %s", tmp,
			 strerror(-rc));
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, path)) {
		rc = -errno;
		snprintf(why, whylen, "cannot rename %s to %s: %s", tmp, path,
			 strerror(errno));
		unlink(tmp);
	}
	return rc;
}

/* ---- vifplugd's counters ------------------------------------------- */

const double prom_bucket_le[PROM_BUCKETS] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5,
};

static const char *const cmd_names[PROM_NCMD] = {"online", "offline", "add",
						 "remove"};
static const char *const result_names[PROM_NRESULT] = {"ok", "skipped",
						       "failed"};

void prom_event(struct prom_events *m, enum prom_cmd cmd, enum prom_result r,
		double seconds)
{
	size_t b = 0;

	if ((unsigned)cmd < PROM_NCMD && (unsigned)r < PROM_NRESULT)
		m->events[cmd][r]++;
	while (b < PROM_BUCKETS && seconds > prom_bucket_le[b])
		b++;
	m->bucket[b]++;
	m->count++;
	m->sum += seconds;
}

int prom_events_write(FILE *f, const struct prom_events *m)
{
	static const char *const reattach[2] = {"ok", "failed"};
	unsigned long long cum = 0;
	char le[32];

	prom_family(f, "vifplug_events_total", "counter",
		    "Hotplug events vifplugd handled, by command and result.");
	for (size_t c = 0; c < PROM_NCMD; c++)
		for (size_t r = 0; r < PROM_NRESULT; r++) {
			const char *l[] = {"command", cmd_names[c], "result",
					   result_names[r]};

			prom_sample(f, "vifplug_events_total", l, 2,
				    (double)m->events[c][r]);
		}
	prom_family(f, "vifplug_event_duration_seconds", "histogram",
		    "Time from an event's start to its hotplug-status.");
	for (size_t b = 0; b <= PROM_BUCKETS; b++) {
		const char *l[] = {"le", le};

		cum += m->bucket[b];
		if (b < PROM_BUCKETS)
			snprintf(le, sizeof(le), "%g", prom_bucket_le[b]);
		else
			snprintf(le, sizeof(le), "+Inf");
		prom_sample(f, "vifplug_event_duration_seconds_bucket", l, 1,
			    (double)cum);
	}
	prom_sample(f, "vifplug_event_duration_seconds_sum", NULL, 0, m->sum);
	prom_sample(f, "vifplug_event_duration_seconds_count", NULL, 0,
		    (double)m->count);
	prom_family(f, "vifplug_reattach_total", "counter",
		    "Ports put back on a bridge that came back, or a link that "
		    "reappeared.");
	for (size_t r = 0; r < 2; r++) {
		const char *l[] = {"result", reattach[r]};

		prom_sample(f, "vifplug_reattach_total", l, 1,
			    (double)m->reattach[r]);
	}
	prom_family(f, "vifplug_coldplug_checks_total", "counter",
		    "Links coldplug found and checked.");
	prom_sample(f, "vifplug_coldplug_checks_total", NULL, 0,
		    (double)m->coldplug_checks);
	prom_family(
	    f, "vifplug_coldplug_events_total", "counter",
	    "Devices coldplug found inconsistent and ran the event for.");
	prom_sample(f, "vifplug_coldplug_events_total", NULL, 0,
		    (double)m->coldplug_runs);
	return ferror(f) ? -EIO : 0;
}
