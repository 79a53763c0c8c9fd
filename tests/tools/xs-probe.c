/* xs-probe: the libxenstore calls no xenstore-* tool makes, for the
 * simulator's tests: a transaction held open across another writer, domain
 * introduction, and the errno a request fails with. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

static int usage(void)
{
	fprintf(stderr, "usage: xs-probe txn READ WRITE VALUE | "
			"read PATH | domain-path DOMID | introduce DOMID | "
			"release DOMID | is-introduced DOMID\n");
	return 2;
}

static const char *errname(int e)
{
	switch (e) {
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case EINVAL:
		return "EINVAL";
	case EAGAIN:
		return "EAGAIN";
	case EPERM:
		return "EPERM";
	case E2BIG:
		return "E2BIG";
	case EEXIST:
		return "EEXIST";
	}
	return strerror(e);
}

/* Reads READ in a transaction, waits for a line on stdin (another writer
 * acts meanwhile), writes WRITE and commits: exit 0, or 3 on EAGAIN. */
static int txn(struct xs_handle *h, char **argv)
{
	char line[16], *v;
	unsigned len;
	xs_transaction_t t = xs_transaction_start(h);

	if (t == XBT_NULL)
		return 1;
	v = xs_read(h, t, argv[0], &len);
	printf("read %s\n", v ? v : "<absent>");
	fflush(stdout);
	free(v);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = '\0';
	if (!xs_write(h, t, argv[1], argv[2], (unsigned)strlen(argv[2]))) {
		printf("write %s\n", errname(errno));
		return 1;
	}
	v = xs_read(h, t, argv[0], &len);
	printf("read again %s\n", v ? v : "<absent>");
	free(v);
	if (xs_transaction_end(h, t, false)) {
		printf("committed\n");
		return 0;
	}
	printf("commit %s\n", errname(errno));
	return errno == EAGAIN ? 3 : 1;
}

int main(int argc, char **argv)
{
	struct xs_handle *h;
	unsigned len, d;
	char *v;

	if (argc < 3)
		return usage();
	h = xs_open(0);
	if (!h) {
		perror("xs-probe: xs_open");
		return 1;
	}
	d = (unsigned)strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "txn") && argc == 5)
		return txn(h, argv + 2);
	if (!strcmp(argv[1], "read")) {
		v = xs_read(h, XBT_NULL, argv[2], &len);
		printf("%s\n", v ? v : errname(errno));
		return v ? 0 : 1;
	}
	if (!strcmp(argv[1], "domain-path")) {
		v = xs_get_domain_path(h, d);
		printf("%s\n", v ? v : errname(errno));
		return v ? 0 : 1;
	}
	if (!strcmp(argv[1], "introduce")) {
		bool ok = xs_introduce_domain(h, d, 0, 0);
		printf("%s\n", ok ? "OK" : errname(errno));
		return !ok;
	}
	if (!strcmp(argv[1], "release")) {
		bool ok = xs_release_domain(h, d);
		printf("%s\n", ok ? "OK" : errname(errno));
		return !ok;
	}
	if (!strcmp(argv[1], "is-introduced")) {
		printf("%s\n", xs_is_domain_introduced(h, d) ? "T" : "F");
		return 0;
	}
	return usage();
}
