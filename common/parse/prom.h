/* prom.h: Prometheus' text exposition format (what node_exporter's
 * textfile collector reads), written to a file by atomic rename, and the
 * counters vifplugd keeps for it. The formatting is pure. */
#ifndef VIFPLUG_PROM_H
#define VIFPLUG_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* "# HELP" and "# TYPE" lines of one metric family. */
void prom_family(FILE *f, const char *name, const char *type, const char *help);

/* One sample: name{k1="v1",...} value. labels holds nlabels pairs
 * (name, value); a value is outside text (a bridge's name): bytes that
 * are not printable UTF-8 become \xNN (esc_text), and '\', '"' are
 * escaped as the format wants. */
void prom_sample(FILE *f, const char *name, const char *const *labels,
		 size_t nlabels, double value);

/* Writes path by atomic rename: write() fills a new file beside it
 * (created, never opened if it exists: a FIFO there cannot block), and
 * the rename makes it whole at once. 0, or -errno with why[] saying
 * which step failed. */
int prom_publish(const char *path, int (*write)(FILE *f, void *arg), void *arg,
		 char *why, size_t whylen);

/* ---- vifplugd's counters ------------------------------------------- */

enum prom_cmd { PROM_ONLINE, PROM_OFFLINE, PROM_ADD, PROM_REMOVE, PROM_NCMD };
enum prom_result { PROM_OK, PROM_SKIPPED, PROM_FAILED, PROM_NRESULT };

/* Upper bounds of the latency histogram's buckets, in seconds (+Inf
 * after the last). */
#define PROM_BUCKETS 12
extern const double prom_bucket_le[PROM_BUCKETS];

struct prom_events {
	unsigned long long events[PROM_NCMD][PROM_NRESULT];
	unsigned long long bucket[PROM_BUCKETS + 1]; /* not cumulative */
	unsigned long long count;
	double sum;			/* seconds */
	unsigned long long reattach[2]; /* ok, failed */
	unsigned long long coldplug_checks, coldplug_runs;
};

void prom_event(struct prom_events *m, enum prom_cmd cmd, enum prom_result r,
		double seconds);

/* All of m as vifplugd_... families. Returns 0 (or -EIO: the stream
 * failed). */
int prom_events_write(FILE *f, const struct prom_events *m);

#endif
