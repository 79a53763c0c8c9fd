/* main.c: xenstored-sim: serves the xenstore wire protocol on unix
 * sockets for tests, in the foreground until SIGTERM or SIGINT. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "store.h"

#define MAX_LISTEN 16

struct listener {
	int fd;
	unsigned domid;
	const char *path;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: xenstored-sim [--seed FILE] [--dump FILE] "
			"[--domain-socket DOMID:PATH]... SOCKET\n");
	exit(2);
}

/* Bound and listening under a temporary name, then renamed: the socket
 * appears only once it accepts connections. */
static int listen_on(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char tmp[sizeof(sa.sun_path)];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid()) >=
		(int)sizeof(tmp) ||
	    strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "xenstored-sim: socket path too long: %s\n",
			path);
		exit(1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	memcpy(sa.sun_path, tmp, strlen(tmp) + 1);
	unlink(tmp);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 1024) || rename(tmp, path)) {
		fprintf(stderr, "xenstored-sim: cannot listen on %s: %s\n",
			path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void flush_out(struct conn *c)
{
	while (c->outlen) {
		ssize_t n = write(c->fd, c->out, c->outlen);

		if (n <= 0)
			return;
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	struct listener ls[MAX_LISTEN] = {{-1, 0, NULL}};
	const char *seed = NULL, *dump = NULL;
	unsigned nls = 0;
	struct sim s;
	struct sigaction sa = {.sa_handler = on_signal};
	int i;

	if (sim_init(&s)) {
		fprintf(stderr, "xenstored-sim: out of memory\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = argv[++i];
		else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
			dump = argv[++i];
		else if (!strcmp(argv[i], "--domain-socket") && i + 1 < argc) {
			char *colon = strchr(argv[++i], ':'), *end;
			unsigned long d = strtoul(argv[i], &end, 10);

			if (!colon || end != colon || d == 0 || d > 0x7fef ||
			    nls + 1 >= MAX_LISTEN)
				usage();
			ls[++nls] =
			    (struct listener){-1, (unsigned)d, colon + 1};
			if (sim_add_domain(&s, (unsigned)d))
				return 1;
		} else if (argv[i][0] == '-' || ls[0].path)
			usage();
		else
			ls[0] = (struct listener){-1, 0, argv[i]};
	}
	if (!ls[0].path)
		usage();
	if (seed) {
		FILE *f = fopen(seed, "r");
		char why[256];

		if (!f || tree_load(s.root, f, why, sizeof(why))) {
			fprintf(stderr, "xenstored-sim: %s: %s\n", seed,
				f ? why : strerror(errno));
			return 1;
		}
		fclose(f);
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (unsigned k = 0; k <= nls; k++)
		ls[k].fd = listen_on(ls[k].path);

	while (!stop) {
		struct pollfd *pfd;
		struct conn **cv;
		unsigned nc = 0, np;

		for (struct conn *c = s.conns; c; c = c->next)
			nc++;
		pfd = calloc(nls + 1 + nc, sizeof(*pfd));
		cv = calloc(nc + 1, sizeof(*cv));
		if (!pfd || !cv)
			return 1;
		for (np = 0; np <= nls; np++)
			pfd[np] = (struct pollfd){ls[np].fd, POLLIN, 0};
		nc = 0;
		for (struct conn *c = s.conns; c; c = c->next) {
			cv[nc++] = c;
			pfd[np++] = (struct pollfd){
			    c->fd, (short)(POLLIN | (c->outlen ? POLLOUT : 0)),
			    0};
		}
		if (poll(pfd, np, -1) < 0) {
			free(pfd);
			free(cv);
			if (errno == EINTR)
				continue;
			perror("xenstored-sim: poll");
			return 1;
		}
		for (unsigned k = 0; k <= nls; k++) {
			int fd;

			if (!(pfd[k].revents & POLLIN))
				continue;
			while ((fd = accept4(ls[k].fd, NULL, NULL,
					     SOCK_CLOEXEC | SOCK_NONBLOCK)) >=
			       0)
				if (!sim_conn_new(&s, fd, ls[k].domid))
					close(fd);
		}
		for (unsigned k = 0; k < nc; k++) {
			struct conn *c = cv[k];
			short re = pfd[nls + 1 + k].revents;
			char buf[8192];
			ssize_t n = 0;
			bool gone = false;

			if (re & (POLLIN | POLLHUP | POLLERR)) {
				n = read(c->fd, buf, sizeof(buf));
				if (n == 0 || (n < 0 && errno != EAGAIN &&
					       errno != EINTR))
					gone = true;
				else if (n > 0 &&
					 sim_conn_input(&s, c, buf, (size_t)n))
					gone = true;
			}
			if (!gone) {
				/* Events may have been queued on any
				 * connection, not just this one. */
				for (struct conn *o = s.conns; o; o = o->next)
					flush_out(o);
				continue;
			}
			close(c->fd);
			sim_conn_free(&s, c);
			for (unsigned j = k + 1; j < nc; j++)
				if (cv[j] == c)
					cv[j] = NULL;
		}
		free(pfd);
		free(cv);
	}
	for (unsigned k = 0; k <= nls; k++) {
		close(ls[k].fd);
		unlink(ls[k].path);
	}
	if (dump) {
		FILE *f = fopen(dump, "w");

		if (!f) {
			fprintf(stderr, "xenstored-sim: %s: %s\n", dump,
				strerror(errno));
		} else {
			tree_dump(s.root, f);
			fclose(f);
		}
	}
	for (struct conn *c = s.conns; c; c = c->next)
		close(c->fd);
	sim_fini(&s);
	return 0;
}
