/* daemon.c - starting and stopping the lab's server processes: spawn in the
 * background with a log, remember PIDs in <state>/<name>/pids, wait for the
 * port, stop exactly the processes recorded (never by name). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drive.h"

extern char **environ;

int wl_mkdirs(const char *path, mode_t mode)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int wl_state_path(char *out, size_t n, const char *state_dir, const char *name, const char *file)
{
	if (snprintf(out, n, "%s/%s", state_dir, name) >= (int)n)
		return -1;
	if (wl_mkdirs(out, 0755) < 0)
		return -1;
	if (file && snprintf(out, n, "%s/%s/%s", state_dir, name, file) >= (int)n)
		return -1;
	return 0;
}

int wl_write_file(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	size_t n = strlen(text);
	ssize_t w = write(fd, text, n);
	int rc = close(fd);
	return (w == (ssize_t)n && rc == 0) ? 0 : -1;
}

int wl_daemon_record(const char *state_dir, const char *name, pid_t pid)
{
	char path[4096];
	if (wl_state_path(path, sizeof path, state_dir, name, "pids") < 0)
		return -1;
	FILE *f = fopen(path, "a");
	if (!f)
		return -1;
	fprintf(f, "%d\n", (int)pid);
	return fclose(f);
}

static pid_t spawn(const char *state_dir, const char *name, char *const argv[], char *const env[],
		   int in_fd)
{
	char log[4096];
	if (wl_state_path(log, sizeof log, state_dir, name, NULL) < 0)
		return -1;
	size_t l = strlen(log);
	snprintf(log + l, sizeof log - l, "/%s.log", name);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	/* child: its own session, so the lab's terminal signals do not reach it */
	setsid();
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
	int nul = open("/dev/null", O_RDONLY);
	if (in_fd >= 0)
		dup2(in_fd, 0);
	else if (nul >= 0)
		dup2(nul, 0);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	for (int i = 0; env && env[i]; i++)
		putenv(env[i]);
	execvp(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int wl_daemon_spawn(const char *state_dir, const char *name, char *const argv[],
		    char *const env[], pid_t *pid, char *err, size_t errlen)
{
	pid_t p = spawn(state_dir, name, argv, env, -1);
	if (p < 0) {
		snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (wl_daemon_record(state_dir, name, p) < 0) {
		snprintf(err, errlen, "cannot write %s/%s/pids: %s", state_dir, name, strerror(errno));
		kill(p, SIGTERM);
		return -1;
	}
	if (pid)
		*pid = p;
	return 0;
}

int wl_run_cmd(const char *state_dir, const char *name, char *const argv[], const char *in_text)
{
	int pfd[2] = { -1, -1 };
	if (in_text && pipe2(pfd, O_CLOEXEC) < 0)  /* the child must not hold the write end */
		return -1;
	pid_t p = spawn(state_dir, name, argv, NULL, in_text ? pfd[0] : -1);
	if (in_text) {
		close(pfd[0]);
		if (p > 0) {
			size_t n = strlen(in_text);
			if (write(pfd[1], in_text, n) != (ssize_t)n)
				n = 0;
		}
		close(pfd[1]);
	}
	if (p < 0)
		return -1;
	int st;
	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int alive(pid_t pid)
{
	/* reap it if it is our child and has exited */
	int st;
	if (waitpid(pid, &st, WNOHANG) == pid)
		return 0;
	return kill(pid, 0) == 0 || errno == EPERM;
}

static int tcp_accepts(const char *host, uint16_t port)
{
	struct sockaddr_in6 a6 = { 0 };
	struct sockaddr_in a4 = { 0 };
	int af = strchr(host, ':') ? AF_INET6 : AF_INET;
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	int ok;
	if (af == AF_INET6) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons(port);
		inet_pton(AF_INET6, host, &a6.sin6_addr);
		ok = connect(fd, (struct sockaddr *)&a6, sizeof a6) == 0;
	} else {
		a4.sin_family = AF_INET;
		a4.sin_port = htons(port);
		inet_pton(AF_INET, host, &a4.sin_addr);
		ok = connect(fd, (struct sockaddr *)&a4, sizeof a4) == 0;
	}
	close(fd);
	return ok;
}

/* A UDP port is taken if we cannot bind it ourselves. */
static int udp_bound(uint16_t port)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	struct sockaddr_in a = { 0 };
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int taken = bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EADDRINUSE;
	close(fd);
	return taken;
}

/* A TCP listener on port, from the kernel's table (connecting to find out
 * would put a connection of our own into the lab's capture). */
static int tcp_listening(uint16_t port)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	for (int t = 0; t < 2; t++) {
		FILE *f = fopen(tables[t], "r");
		if (!f)
			continue;
		char line[512];
		int found = 0;
		while (!found && fgets(line, sizeof line, f)) {
			char local[128];
			unsigned st;
			if (sscanf(line, " %*d: %127s %*s %x", local, &st) != 2)
				continue;
			const char *colon = strrchr(local, ':');
			found = colon && st == 0x0A && strtoul(colon + 1, NULL, 16) == port;
		}
		fclose(f);
		if (found)
			return 1;
	}
	return 0;
}

int wl_port_in_use(uint16_t port, int udp)
{
	return udp ? udp_bound(port) : tcp_listening(port);
}

int wl_wait_port(const char *host, uint16_t port, int udp, pid_t pid, int timeout_ms)
{
	struct timespec step = { 0, 50 * 1000000L };
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		int local = strcmp(host, "127.0.0.1") == 0 || strcmp(host, "::1") == 0;
		if (udp ? udp_bound(port) : local ? tcp_listening(port) : tcp_accepts(host, port))
			return 0;
		if (pid > 0 && !alive(pid))
			return -1;
		nanosleep(&step, NULL);
	}
	return -1;
}

static int read_pids(const char *state_dir, const char *name, pid_t *pids, int max)
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/%s/pids", state_dir, name) >= (int)sizeof path)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	int n = 0, v;
	while (n < max && fscanf(f, "%d", &v) == 1)
		if (v > 1)
			pids[n++] = (pid_t)v;
	fclose(f);
	return n;
}

int wl_daemon_alive(const char *state_dir, const char *name)
{
	pid_t pids[64];
	int n = read_pids(state_dir, name, pids, 64), live = 0;
	for (int i = 0; i < n; i++)
		live += alive(pids[i]);
	return live;
}

int wl_daemon_stop(const char *state_dir, const char *name)
{
	pid_t pids[64];
	int n = read_pids(state_dir, name, pids, 64);
	for (int i = 0; i < n; i++)
		if (alive(pids[i]))
			kill(pids[i], SIGTERM);
	struct timespec step = { 0, 50 * 1000000L };
	for (int t = 0; t < 60; t++) {
		int live = 0;
		for (int i = 0; i < n; i++)
			live += alive(pids[i]);
		if (!live)
			break;
		nanosleep(&step, NULL);
	}
	for (int i = 0; i < n; i++)
		if (alive(pids[i]))
			kill(pids[i], SIGKILL);
	char path[4096];
	snprintf(path, sizeof path, "%s/%s/pids", state_dir, name);
	unlink(path);
	return n;
}

int wl_own_start(const struct wl_server_ctx *ctx, const char *name, uint16_t port, int udp,
		 char *err, size_t errlen)
{
	char portstr[8];
	snprintf(portstr, sizeof portstr, "%u", port);
	char *argv[] = { (char *)ctx->self_exe, "serve", (char *)name, "--port", portstr,
			 "--state", (char *)ctx->state_dir, NULL };
	pid_t pid;
	if (wl_daemon_spawn(ctx->state_dir, name, argv, NULL, &pid, err, errlen) < 0)
		return -1;
	if (wl_wait_port("127.0.0.1", port, udp, pid, 5000) < 0) {
		snprintf(err, errlen, "%s server did not start on port %u (see %s/%s/%s.log)", name, port,
			 ctx->state_dir, name, name);
		wl_daemon_stop(ctx->state_dir, name);
		return -1;
	}
	return 0;
}
