/* ftp.c - wirelab's own FTP client (RFC 959, RFC 2428) and the `ftp` and
 * `ftp-bad-login` exchanges against the lab's vsftpd.
 *
 * `ftp`: log in anonymously (an e-mail address as the password), SYST, PWD,
 * CWD, TYPE I, LIST over a PASV data connection, SIZE + RETR of the text file
 * over EPSV and of the binary file over PASV, each checked against the size
 * and SHA-256 it must have, QUIT; then the same as the lab user, whose LIST
 * uses active mode (PORT: the server connects to the client).
 * `ftp-bad-login`: the lab user with a wrong password: 530, QUIT, a clean end.
 *
 * The data connection is opened right after the PASV/EPSV reply and before
 * the command that uses it (as Python's ftplib does), and closed only after
 * the 226 reply, so every run puts the messages in the same order. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "drive.h"
#include "ftp_lab.h"
#include "sock.h"

#define TIMEOUT_MS 10000
#define REPLY_MAX 4096

struct ftpc {
	int fd;
	const char *host;
	FILE *out;
	char in[4096];          /* bytes read, not yet a line */
	size_t have;
	int code;               /* last reply */
	char text[REPLY_MAX];   /* its lines joined by '\n', codes stripped */
};

/* One line of the control connection, CRLF removed; -1 on EOF or error. */
static int read_line(struct ftpc *c, char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(c->in, '\n', c->have);
		if (nl) {
			size_t n = (size_t)(nl - c->in);
			size_t k = n && c->in[n - 1] == '\r' ? n - 1 : n;
			if (k >= cap)
				k = cap - 1;
			memcpy(line, c->in, k);
			line[k] = '\0';
			memmove(c->in, nl + 1, c->have - n - 1);
			c->have -= n + 1;
			return 0;
		}
		if (c->have == sizeof c->in)
			c->have = 0;  /* a line longer than the buffer: drop what we have */
		ssize_t r = recv(c->fd, c->in + c->have, sizeof c->in - c->have, 0);
		if (r <= 0)
			return -1;
		c->have += (size_t)r;
	}
}

static int code_of(const char *l)
{
	if (l[0] < '1' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' || l[2] > '9')
		return -1;
	return (l[0] - '0') * 100 + (l[1] - '0') * 10 + (l[2] - '0');
}

/* A reply: "DDD text", or "DDD-text" ... up to the line "DDD text" (RFC 959 4.2). */
static int read_reply(struct ftpc *c)
{
	char line[1024];
	if (read_line(c, line, sizeof line) < 0)
		return -1;
	c->code = code_of(line);
	if (c->code < 0 || (line[3] != ' ' && line[3] != '-' && line[3] != '\0'))
		return -1;
	snprintf(c->text, sizeof c->text, "%s", line[3] ? line + 4 : "");
	fprintf(c->out, "  < %s\n", line);
	int multi = line[3] == '-';
	while (multi) {
		if (read_line(c, line, sizeof line) < 0)
			return -1;
		fprintf(c->out, "  < %s\n", line);
		int last = code_of(line) == c->code && line[3] == ' ';
		const char *t = code_of(line) == c->code && (line[3] == ' ' || line[3] == '-') ? line + 4 : line;
		size_t used = strlen(c->text);
		snprintf(c->text + used, sizeof c->text - used, "\n%s", t);
		multi = !last;
	}
	return c->code;
}

/* Sends a command and reads its reply; the password is not echoed. */
static int cmd(struct ftpc *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cmd(struct ftpc *c, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 2, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof line - 2)
		return -1;
	fprintf(c->out, "  > %s\n", strncmp(line, "PASS ", 5) == 0 ? "PASS ********" : line);
	memcpy(line + n, "\r\n", 2);
	if (wl_send_all(c->fd, line, (size_t)n + 2) < 0)
		return -1;
	return read_reply(c);
}

/* A command that must succeed (2xx, or 3xx where want is 3). */
static int step(struct ftpc *c, struct wl_drive_result *res, int want, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int step(struct ftpc *c, struct wl_drive_result *res, int want, const char *what, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	int code = cmd(c, "%s", line);
	if (code < 0)
		return wl_drive_fail(res, "%s: the control connection broke", what);
	if (code / 100 != want) {
		int len = (int)strcspn(c->text, "\n");
		return wl_drive_fail(res, "%s: %d %.*s", what, code, len > 200 ? 200 : len, c->text);
	}
	return 0;
}

/* 227 (h1,h2,h3,h4,p1,p2) or 229 (|||port|) -> port. The address is the
 * control connection's (as curl does by default). */
static int data_port(const struct ftpc *c, int epsv)
{
	const char *p = strchr(c->text, '(');
	if (!p)
		return -1;
	if (epsv) {
		char d = p[1];
		if (!d || p[2] != d || p[3] != d)
			return -1;
		char *end;
		long v = strtol(p + 4, &end, 10);
		return end != p + 4 && *end == d && v > 0 && v < 65536 ? (int)v : -1;
	}
	long v[6];
	const char *s = p + 1;
	for (int i = 0; i < 6; i++) {
		char *end;
		v[i] = strtol(s, &end, 10);
		if (end == s || v[i] < 0 || v[i] > 255 || (i < 5 && *end != ','))
			return -1;
		s = end + 1;
	}
	int port = (int)(v[4] * 256 + v[5]);
	return port > 0 ? port : -1;
}

/* Opens the data connection that PASV or EPSV announces. */
static int open_data(struct ftpc *c, struct wl_drive_result *res, int epsv)
{
	if (step(c, res, 2, epsv ? "EPSV" : "PASV", "%s", epsv ? "EPSV" : "PASV") < 0)
		return -1;
	int port = data_port(c, epsv);
	if (port < 0) {
		wl_drive_fail(res, "cannot read the port in \"%d %s\"", c->code, c->text);
		return -1;
	}
	int fd = wl_tcp_connect(c->host, (uint16_t)port, TIMEOUT_MS);
	if (fd < 0)
		wl_drive_fail(res, "data connection to %s:%d: %s", c->host, port, strerror(errno));
	return fd;
}

/* Active mode: listen on the control connection's own address, port
 * FTPLAB_ACTIVE_PORT (inside the capture's port range), and say so with PORT. */
static int open_active(struct ftpc *c, struct wl_drive_result *res)
{
	struct sockaddr_in me;
	socklen_t len = sizeof me;
	if (getsockname(c->fd, (struct sockaddr *)&me, &len) < 0 || me.sin_family != AF_INET) {
		wl_drive_fail(res, "PORT needs an IPv4 control connection");
		return -1;
	}
	char addr[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &me.sin_addr, addr, sizeof addr);
	int lfd = wl_tcp_listen(addr, FTPLAB_ACTIVE_PORT, 1);
	if (lfd < 0) {
		wl_drive_fail(res, "listen on %s:%u for active mode: %s", addr, FTPLAB_ACTIVE_PORT, strerror(errno));
		return -1;
	}
	for (char *p = addr; *p; p++)
		if (*p == '.')
			*p = ',';
	if (step(c, res, 2, "PORT", "PORT %s,%u,%u", addr, FTPLAB_ACTIVE_PORT >> 8, FTPLAB_ACTIVE_PORT & 0xff) < 0) {
		close(lfd);
		return -1;
	}
	return lfd;
}

/* Waits for the server's connection in active mode. */
static int accept_active(int lfd)
{
	struct pollfd p = { lfd, POLLIN, 0 };
	int fd = poll(&p, 1, TIMEOUT_MS) == 1 ? accept(lfd, NULL, NULL) : -1;
	close(lfd);
	if (fd >= 0) {
		struct timeval tv = { TIMEOUT_MS / 1000, 0 };
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	return fd;
}

/* Runs a transfer command over the data connection: 1xx, the bytes, 2xx. fd is
 * the connected data socket, or (active) the listening one the server connects
 * to. The bytes go to *buf (malloc'd); the data socket closes after the 226. */
static long transfer(struct ftpc *c, struct wl_drive_result *res, int fd, int active,
		     const char *what, uint8_t **buf)
{
	size_t cap = 65536, n = 0;
	*buf = malloc(cap);
	int code = *buf ? cmd(c, "%s", what) : -1;
	if (code / 100 != 1) {
		close(fd);
		if (code < 0)
			return wl_drive_fail(res, "%s: the control connection broke", what);
		return wl_drive_fail(res, "%s: %d %s", what, code, c->text);
	}
	if (active && (fd = accept_active(fd)) < 0)
		return wl_drive_fail(res, "%s: the server did not connect for the data", what);
	for (;;) {
		if (n == cap) {
			uint8_t *nb = realloc(*buf, cap * 2);
			if (!nb)
				break;
			*buf = nb;
			cap *= 2;
		}
		ssize_t r = recv(fd, *buf + n, cap - n, 0);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	code = read_reply(c);
	close(fd);
	if (code / 100 != 2)
		return wl_drive_fail(res, "%s: %d %s", what, code, code < 0 ? "no reply" : c->text);
	return (long)n;
}

static void sha256_hex(const uint8_t *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	out[0] = '\0';
	if (EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) != 1)
		return;
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* SIZE, then RETR over a PASV or EPSV data connection; checks size and SHA-256. */
static int fetch(struct ftpc *c, struct wl_drive_result *res, const char *who, const char *name,
		 const uint8_t *want, size_t want_n, int epsv)
{
	if (step(c, res, 2, "SIZE", "SIZE %s", name) < 0)
		return -1;
	long announced = strtol(c->text, NULL, 10);
	int fd = open_data(c, res, epsv);
	if (fd < 0)
		return -1;
	char what[128];
	snprintf(what, sizeof what, "RETR %s", name);
	uint8_t *got = NULL;
	long n = transfer(c, res, fd, 0, what, &got);
	if (n < 0) {
		free(got);
		return -1;
	}
	char h_got[65], h_want[65];
	sha256_hex(got, (size_t)n, h_got);
	sha256_hex(want, want_n, h_want);
	free(got);
	fprintf(c->out, "  %s: %ld bytes (SIZE said %ld), sha256 %s\n", name, n, announced, h_got);
	if ((size_t)n != want_n || announced != n)
		return wl_drive_fail(res, "%s: %ld bytes, expected %zu", name, n, want_n);
	if (strcmp(h_got, h_want) != 0)
		return wl_drive_fail(res, "%s: SHA-256 %s, expected %s", name, h_got, h_want);
	wl_drive_fact(res, "%s: %s %ld bytes over %s, sha256 %.16s... ok", who, name, n,
		      epsv ? "EPSV" : "PASV", h_got);
	return 0;
}

static int ftp_connect(struct ftpc *c, const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	memset(c, 0, sizeof *c);
	c->host = cfg->host;
	c->out = cfg->out;
	c->fd = wl_tcp_connect(cfg->host, cfg->port, TIMEOUT_MS);
	if (c->fd < 0)
		return wl_drive_fail(res, "connect %s:%u: %s", cfg->host, cfg->port, strerror(errno));
	int code = read_reply(c);
	if (code != 220) {
		close(c->fd);
		return wl_drive_fail(res, "greeting: %d %s", code, code < 0 ? "none" : c->text);
	}
	return 0;
}

static int quit(struct ftpc *c, struct wl_drive_result *res)
{
	int code = cmd(c, "QUIT");
	char b;
	ssize_t r = code == 221 ? recv(c->fd, &b, 1, 0) : -1;  /* the server closes */
	close(c->fd);
	if (code != 221)
		return wl_drive_fail(res, "QUIT: %d %s", code, code < 0 ? "no reply" : c->text);
	(void)r;
	return 0;
}

/* One whole session as `user`. */
static int session(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, const char *user,
		   const char *pass, const uint8_t *bin)
{
	struct ftpc c;
	fprintf(cfg->out, "session as %s\n", user);
	if (ftp_connect(&c, cfg, res) < 0)
		return -1;
	int rc = -1;
	if (step(&c, res, 3, "USER", "USER %s", user) < 0 || step(&c, res, 2, "PASS", "PASS %s", pass) < 0 ||
	    step(&c, res, 2, "SYST", "SYST") < 0 || step(&c, res, 2, "PWD", "PWD") < 0 ||
	    step(&c, res, 2, "CWD", "CWD %s", FTPLAB_DIR) < 0 || step(&c, res, 2, "TYPE", "TYPE I") < 0)
		goto out;
	/* the lab user lists in active mode: the server connects to the client */
	int active = strcmp(user, "anonymous") != 0;
	int fd = active ? open_active(&c, res) : open_data(&c, res, 0);
	uint8_t *list = NULL;
	long n = fd < 0 ? -1 : transfer(&c, res, fd, active, "LIST", &list);
	if (n < 0) {
		free(list);
		goto out;
	}
	unsigned lines = 0;
	for (long i = 0; i < n; i++)
		lines += list[i] == '\n';
	fprintf(cfg->out, "%.*s", (int)n, (const char *)list);
	free(list);
	wl_drive_fact(res, "%s: LIST %u entries over %s", user, lines, active ? "PORT (active)" : "PASV");
	if (fetch(&c, res, user, FTPLAB_TEXT, (const uint8_t *)ftplab_text, sizeof ftplab_text - 1, 1) < 0 ||
	    fetch(&c, res, user, FTPLAB_BIN, bin, FTPLAB_BIN_SIZE, 0) < 0)
		goto out;
	rc = quit(&c, res);
	return rc;
out:
	close(c.fd);
	return -1;
}

static int run_ftp(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	uint8_t *bin = malloc(FTPLAB_BIN_SIZE);
	if (!bin)
		return wl_drive_fail(res, "out of memory");
	ftplab_bin(bin, FTPLAB_BIN_SIZE);
	int rc = session(cfg, res, "anonymous", "student@wirelab.example", bin);
	if (rc == 0)
		rc = session(cfg, res, FTPLAB_USER, FTPLAB_PASS, bin);
	free(bin);
	if (rc == 0)
		res->ok = 1;
	return rc;
}

static int run_bad_login(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	struct ftpc c;
	if (ftp_connect(&c, cfg, res) < 0)
		return -1;
	if (step(&c, res, 3, "USER", "USER %s", FTPLAB_USER) < 0) {
		close(c.fd);
		return -1;
	}
	int code = cmd(&c, "PASS %s", "not-the-password");
	if (code != 530) {
		close(c.fd);
		return wl_drive_fail(res, "PASS with a wrong password: expected 530, got %d %s", code,
				     code < 0 ? "no reply" : c.text);
	}
	wl_drive_fact(res, "wrong password refused: 530 %s", c.text);
	if (quit(&c, res) < 0)
		return -1;
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_ftp = {
	.name = "ftp",
	.desc = "own FTP client: anonymous and user login, PWD, CWD, PASV/EPSV, LIST, RETR with SHA-256, QUIT",
	.server = "ftp",
	.port = 2121,
	.bpf = "tcp port %u or tcp portrange 30000-30009",
	.run = run_ftp,
};

const struct wl_driver wl_driver_ftp_bad_login = {
	.name = "ftp-bad-login",
	.desc = "FTP login with a wrong password: 530 and a clean QUIT",
	.server = "ftp",
	.port = 2121,
	.bpf = "tcp port %u or tcp portrange 30000-30009",
	.run = run_bad_login,
};
