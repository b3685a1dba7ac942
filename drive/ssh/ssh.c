/* ssh.c - the SSH exchanges, with libssh as the client of the lab's sshd:
 *   ssh-exec    verify the host key against the pinned known_hosts, log in with
 *               the password, run `ls -l /dev`; again with the key
 *   sftp-get    download a file by SFTP, check its size and SHA-256
 *   ssh-tunnel  a direct-tcpip channel to the lab echo server (127.0.0.1:4040)
 *               through sshd, and the echo exchange run inside it
 * An unknown host key is refused unless --accept-new (StrictHostKeyChecking=
 * accept-new); a changed one always. libssh reads no ~/.ssh/config, no
 * /etc/ssh/ssh_config and no user key: everything comes from <state>/ssh/. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/sftp.h>
#include <openssl/evp.h>

#include "drive.h"
#include "ssh_lab.h"

#define SSH_TIMEOUT_S 15L
#define ECHO_PORT 4040

enum auth { AUTH_PASSWORD, AUTH_KEY };

static int state_file(char *out, size_t n, const struct wl_drive_cfg *cfg, const char *file)
{
	return wl_state_path(out, n, cfg->state_dir, "ssh", file);
}

/* Prints the server's host key fingerprint and checks it against known_hosts. */
static int verify_host(ssh_session s, const struct wl_drive_cfg *cfg, struct wl_drive_result *res,
		       const char *kh)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	if (ssh_get_server_publickey(s, &key) < 0 ||
	    ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) < 0) {
		ssh_key_free(key);
		return wl_drive_fail(res, "cannot read the server's host key: %s", ssh_get_error(s));
	}
	char *fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	const char *type = ssh_key_type_to_char(ssh_key_type(key));
	ssh_clean_pubkey_hash(&hash);
	ssh_key_free(key);
	fprintf(cfg->out, "server host key: %s %s\n", type ? type : "?", fp ? fp : "?");
	char line[160];
	snprintf(line, sizeof line, "host key %s %s", type ? type : "?", fp ? fp : "?");
	ssh_string_free_char(fp);

	enum ssh_known_hosts_e k = ssh_session_is_known_server(s);
	switch (k) {
	case SSH_KNOWN_HOSTS_OK:
		fprintf(cfg->out, "host key matches %s\n", kh);
		wl_drive_fact(res, "%s: matches the pinned known_hosts", line);
		return 0;
	case SSH_KNOWN_HOSTS_CHANGED:
		fprintf(cfg->out, "HOST KEY CHANGED: %s pins another key for this server; someone may be "
			"in the middle. Refused.\n", kh);
		return wl_drive_fail(res, "%s: differs from the pinned key, refused", line);
	case SSH_KNOWN_HOSTS_OTHER:
		fprintf(cfg->out, "%s pins a key of another type for this server. Refused.\n", kh);
		return wl_drive_fail(res, "%s: known_hosts has another key type, refused", line);
	case SSH_KNOWN_HOSTS_NOT_FOUND:
	case SSH_KNOWN_HOSTS_UNKNOWN:
		if (!cfg->accept_new) {
			fprintf(cfg->out, "unknown host key: not in %s. Refused (compare the "
				"fingerprint, then use --accept-new to trust it).\n", kh);
			return wl_drive_fail(res, "%s: unknown, refused (--accept-new trusts it)", line);
		}
		if (ssh_session_update_known_hosts(s) != SSH_OK)
			return wl_drive_fail(res, "cannot add the host key to %s", kh);
		fprintf(cfg->out, "unknown host key accepted (--accept-new) and added to %s\n", kh);
		wl_drive_fact(res, "%s: new, accepted and pinned", line);
		return 0;
	case SSH_KNOWN_HOSTS_ERROR:
	default:
		return wl_drive_fail(res, "known_hosts check failed: %s", ssh_get_error(s));
	}
}

static int authenticate(ssh_session s, const struct wl_drive_cfg *cfg, struct wl_drive_result *res,
			enum auth how)
{
	int rc;
	if (how == AUTH_PASSWORD) {
		rc = ssh_userauth_password(s, NULL, WL_SSH_PASSWORD);
	} else {
		char path[4096];
		ssh_key key = NULL;
		if (state_file(path, sizeof path, cfg, WL_SSH_CLIENT_KEY) < 0 ||
		    ssh_pki_import_privkey_file(path, NULL, NULL, NULL, &key) != SSH_OK)
			return wl_drive_fail(res, "cannot read the lab key %s (wirelab servers up ssh "
					     "makes it)", path);
		rc = ssh_userauth_publickey(s, NULL, key);
		ssh_key_free(key);
	}
	const char *what = how == AUTH_PASSWORD ? "password" : "public key (ed25519)";
	if (rc != SSH_AUTH_SUCCESS) {
		fprintf(cfg->out, "%s authentication as %s refused\n", what, WL_SSH_USER);
		return wl_drive_fail(res, "%s authentication as %s failed: %s", what, WL_SSH_USER,
				     ssh_get_error(s));
	}
	fprintf(cfg->out, "logged in as %s with a %s\n", WL_SSH_USER, what);
	return 0;
}

/* Connects, checks the host key, logs in. NULL on failure (res says why). */
static ssh_session lab_session(const struct wl_drive_cfg *cfg, struct wl_drive_result *res,
			       enum auth how)
{
	char kh[4096], dir[4096];
	if (state_file(kh, sizeof kh, cfg, WL_SSH_KNOWN_HOSTS) < 0 ||
	    state_file(dir, sizeof dir, cfg, NULL) < 0) {
		wl_drive_fail(res, "cannot use the state folder %s", cfg->state_dir);
		return NULL;
	}
	ssh_session s = ssh_new();
	if (!s) {
		wl_drive_fail(res, "ssh_new failed");
		return NULL;
	}
	unsigned int port = cfg->port;
	long timeout = SSH_TIMEOUT_S;
	int no = 0, verbosity = SSH_LOG_NOLOG;
	ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &no);
	ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
	ssh_options_set(s, SSH_OPTIONS_HOST, cfg->host);
	ssh_options_set(s, SSH_OPTIONS_PORT, &port);
	ssh_options_set(s, SSH_OPTIONS_USER, WL_SSH_USER);
	ssh_options_set(s, SSH_OPTIONS_TIMEOUT, &timeout);
	ssh_options_set(s, SSH_OPTIONS_SSH_DIR, dir);
	ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, kh);
	ssh_options_set(s, SSH_OPTIONS_GLOBAL_KNOWNHOSTS, "/dev/null");
	if (ssh_connect(s) != SSH_OK) {
		wl_drive_fail(res, "cannot connect to %s:%u: %s", cfg->host, port, ssh_get_error(s));
		ssh_free(s);
		return NULL;
	}
	fprintf(cfg->out, "connected to %s:%u: %s\n", cfg->host, port,
		ssh_get_serverbanner(s) ? ssh_get_serverbanner(s) : "?");
	if (verify_host(s, cfg, res, kh) < 0 || authenticate(s, cfg, res, how) < 0) {
		ssh_disconnect(s);
		ssh_free(s);
		return NULL;
	}
	return s;
}

static void lab_close(ssh_session s)
{
	ssh_disconnect(s);
	ssh_free(s);
}

/* ---- ssh-exec ---- */

/* Runs cmd; prints its output when show, counts its lines. */
static int exec_cmd(ssh_session s, const struct wl_drive_cfg *cfg, struct wl_drive_result *res,
		    const char *cmd, int show, int *status, unsigned *lines)
{
	ssh_channel ch = ssh_channel_new(s);
	if (!ch || ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, cmd) != SSH_OK) {
		if (ch)
			ssh_channel_free(ch);
		return wl_drive_fail(res, "cannot run %s: %s", cmd, ssh_get_error(s));
	}
	char buf[4096];
	*lines = 0;
	for (int err = 0; err < 2; err++) {
		int n;
		while ((n = ssh_channel_read_timeout(ch, buf, sizeof buf, err, 15000)) > 0) {
			for (int i = 0; i < n; i++)
				*lines += buf[i] == '\n';
			if (show)
				fwrite(buf, 1, (size_t)n, err ? stderr : cfg->out);
		}
		if (n < 0) {
			ssh_channel_free(ch);
			return wl_drive_fail(res, "reading the output of %s: %s", cmd, ssh_get_error(s));
		}
	}
	ssh_channel_send_eof(ch);
	*status = ssh_channel_get_exit_status(ch);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	return 0;
}

static int run_exec(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const char cmd[] = "ls -l /dev";
	static const enum auth ways[] = { AUTH_PASSWORD, AUTH_KEY };
	for (size_t i = 0; i < sizeof ways / sizeof *ways; i++) {
		ssh_session s = lab_session(cfg, res, ways[i]);
		if (!s)
			return -1;
		int status = -1;
		unsigned lines = 0;
		fprintf(cfg->out, "$ %s\n", cmd);
		int rc = exec_cmd(s, cfg, res, cmd, i == 0, &status, &lines);
		lab_close(s);
		if (rc < 0)
			return -1;
		const char *how = ways[i] == AUTH_PASSWORD ? "password" : "key";
		if (i > 0)
			fprintf(cfg->out, "(%u lines, as above)\n", lines);
		fprintf(cfg->out, "exit status %d\n", status);
		wl_drive_fact(res, "%s login: `%s` printed %u lines, exit status %d", how, cmd, lines,
			      status);
		if (status != 0)
			return wl_drive_fail(res, "`%s` exited with status %d", cmd, status);
	}
	res->ok = 1;
	return 0;
}

/* ---- sftp-get ---- */

static int sha256_hex(const unsigned char *p, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (!EVP_Digest(p, n, md, &len, EVP_sha256(), NULL))
		return -1;
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static unsigned char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	unsigned char *b = malloc(cap);
	while (b) {
		size_t k = fread(b + len, 1, cap - len, f);
		len += k;
		if (len < cap)
			break;
		unsigned char *nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	fclose(f);
	*n = len;
	return b;
}

static unsigned char *sftp_fetch(ssh_session s, struct wl_drive_result *res, const char *name,
				 size_t *n)
{
	sftp_session sf = sftp_new(s);
	if (!sf || sftp_init(sf) != SSH_OK) {
		if (sf)
			sftp_free(sf);
		wl_drive_fail(res, "SFTP subsystem failed: %s", ssh_get_error(s));
		return NULL;
	}
	sftp_file f = sftp_open(sf, name, O_RDONLY, 0);
	if (!f) {
		wl_drive_fail(res, "sftp open %s: error %d", name, sftp_get_error(sf));
		sftp_free(sf);
		return NULL;
	}
	size_t cap = WL_SSH_FILE_SIZE + 1, len = 0;
	unsigned char *b = malloc(cap);
	ssize_t k = 0;
	while (b && (k = sftp_read(f, b + len, cap - len > 16384 ? 16384 : cap - len)) > 0) {
		len += (size_t)k;
		if (len == cap) {
			unsigned char *nb = realloc(b, cap * 2);
			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
	}
	sftp_close(f);
	sftp_free(sf);
	if (!b || k < 0) {
		free(b);
		wl_drive_fail(res, "sftp read %s failed", name);
		return NULL;
	}
	*n = len;
	return b;
}

static int run_sftp(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	char src[4096];
	if (state_file(src, sizeof src, cfg, WL_SSH_HOME "/" WL_SSH_FILE) < 0)
		return wl_drive_fail(res, "cannot use the state folder %s", cfg->state_dir);
	size_t want_n = 0;
	unsigned char *want = read_all(src, &want_n);
	if (!want)
		return wl_drive_fail(res, "cannot read the source %s (wirelab servers up ssh makes it)",
				     src);
	ssh_session s = lab_session(cfg, res, AUTH_KEY);
	if (!s) {
		free(want);
		return -1;
	}
	size_t got_n = 0;
	unsigned char *got = sftp_fetch(s, res, WL_SSH_FILE, &got_n);
	lab_close(s);
	if (!got) {
		free(want);
		return -1;
	}
	char hw[65] = "", hg[65] = "";
	sha256_hex(want, want_n, hw);
	sha256_hex(got, got_n, hg);
	free(want);
	free(got);
	fprintf(cfg->out, "sftp get %s: %zu bytes, sha256 %s\n", WL_SSH_FILE, got_n, hg);
	fprintf(cfg->out, "source     %s: %zu bytes, sha256 %s\n", src, want_n, hw);
	wl_drive_fact(res, "downloaded %s: %zu bytes, sha256 %.16s...", WL_SSH_FILE, got_n, hg);
	if (got_n != want_n || strcmp(hw, hg) != 0)
		return wl_drive_fail(res, "the download differs from the source");
	fprintf(cfg->out, "size and SHA-256 match the source\n");
	wl_drive_fact(res, "size and SHA-256 match the source");
	res->ok = 1;
	return 0;
}

/* ---- ssh-tunnel ---- */

/* The echo server the tunnel reaches: started (and later stopped) here when it
 * is not running, so the exchange needs only `wirelab lab ssh-tunnel`. */
static int echo_up(const struct wl_drive_cfg *cfg, struct wl_drive_result *res, int *started)
{
	*started = 0;
	if (wl_port_in_use(ECHO_PORT, 0))
		return 0;
	const struct wl_server *echo = wl_server_find("echo");
	char exe[4096], err[512];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[k > 0 ? k : 0] = '\0';
	struct wl_server_ctx sc = { cfg->state_dir, k > 0 ? exe : "wirelab", ECHO_PORT };
	if (!echo || echo->start(&sc, err, sizeof err) < 0)
		return wl_drive_fail(res, "cannot start the echo server on %u: %s", ECHO_PORT,
				     echo ? err : "not built in");
	*started = 1;
	return 0;
}

static int tunnel_echo(ssh_session s, const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const char msg[] = "hello through the tunnel";
	ssh_channel ch = ssh_channel_new(s);
	if (!ch || ssh_channel_open_forward(ch, "127.0.0.1", ECHO_PORT, "127.0.0.1", 0) != SSH_OK) {
		if (ch)
			ssh_channel_free(ch);
		return wl_drive_fail(res, "direct-tcpip channel to 127.0.0.1:%u refused: %s",
				     ECHO_PORT, ssh_get_error(s));
	}
	fprintf(cfg->out, "direct-tcpip channel open: sshd connects to 127.0.0.1:%u for us\n",
		ECHO_PORT);
	if (ssh_channel_write(ch, msg, sizeof msg) != (int)sizeof msg) {  /* with its NUL */
		ssh_channel_free(ch);
		return wl_drive_fail(res, "writing into the channel: %s", ssh_get_error(s));
	}
	char reply[256];
	size_t got = 0;
	int n = 0;
	while (got < sizeof reply - 1 &&
	       (n = ssh_channel_read_timeout(ch, reply + got, sizeof reply - 1 - got, 0, 10000)) > 0) {
		got += (size_t)n;
		if (memchr(reply, '\0', got))
			break;
	}
	reply[got] = '\0';
	ssh_channel_send_eof(ch);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	fprintf(cfg->out, "sent \"%s\" (%zu bytes with its NUL), got back \"%s\"\n", msg, sizeof msg,
		reply);
	if (strcmp(reply, msg) != 0)
		return wl_drive_fail(res, "the echo through the tunnel differs");
	wl_drive_fact(res, "echo through the tunnel: %zu bytes each way, inside encrypted SSH "
		      "packets on port %u", sizeof msg, cfg->port);
	wl_drive_fact(res, "the same exchange in the clear: `wirelab lab echo` shows the text on "
		      "port %u", ECHO_PORT);
	return 0;
}

static int run_tunnel(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	int started = 0;
	if (echo_up(cfg, res, &started) < 0)
		return -1;
	ssh_session s = lab_session(cfg, res, AUTH_KEY);
	int rc = s ? tunnel_echo(s, cfg, res) : -1;
	if (s)
		lab_close(s);
	if (started)
		wl_daemon_stop(cfg->state_dir, "echo");
	if (rc == 0)
		res->ok = 1;
	return rc;
}

const struct wl_driver wl_driver_ssh_exec = {
	.name = "ssh-exec",
	.desc = "libssh: check the host key, log in by password and by key, run `ls -l /dev`",
	.server = "ssh", .port = WL_SSH_PORT, .bpf = "tcp port %u", .run = run_exec,
};
const struct wl_driver wl_driver_sftp_get = {
	.name = "sftp-get",
	.desc = "libssh SFTP: download a file, check its size and SHA-256",
	.server = "ssh", .port = WL_SSH_PORT, .bpf = "tcp port %u", .run = run_sftp,
};
const struct wl_driver wl_driver_ssh_tunnel = {
	.name = "ssh-tunnel",
	.desc = "libssh direct-tcpip forward to the echo server, the exchange run inside it",
	.server = "ssh", .port = WL_SSH_PORT, .bpf = "tcp port %u", .run = run_tunnel,
};
