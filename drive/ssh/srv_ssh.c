/* srv_ssh.c - the lab's OpenSSH sshd on 127.0.0.1:2222, run in the foreground
 * (`sshd -D -e -f CONF`) from a config generated under <state>/ssh/: its own
 * ed25519, ecdsa and rsa host keys, a lab account with a password and an
 * authorized key, a known_hosts that pins the host keys for the clients, and
 * a file to download by SFTP. The system's own sshd is neither used nor
 * changed. Facts: ../shared/LAB.md §4. */
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drive.h"
#include "ssh_lab.h"

static const char *const key_types[] = { "ed25519", "ecdsa", "rsa" };

static int path_in(char *out, size_t n, const struct wl_server_ctx *ctx, const char *file)
{
	return wl_state_path(out, n, ctx->state_dir, "ssh", file);
}

static int keygen(const struct wl_server_ctx *ctx, const char *type, const char *path,
		  char *err, size_t errlen)
{
	if (access(path, R_OK) == 0)
		return 0;
	char *argv[] = { "ssh-keygen", "-q", "-t", (char *)type, "-N", "", "-C", "wirelab-lab",
			 "-f", (char *)path, NULL };
	if (wl_run_cmd(ctx->state_dir, "ssh", argv, NULL) != 0) {
		snprintf(err, errlen, "ssh-keygen -t %s failed (see %s/ssh/ssh.log); "
			 "apt-get install openssh-client", type, ctx->state_dir);
		return -1;
	}
	return 0;
}

/* The lab account: created once, its home and password set on every start. */
static int lab_user(const struct wl_server_ctx *ctx, const char *home, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(WL_SSH_USER);
	if (!pw) {
		char *argv[] = { "useradd", "-M", "-U", "-d", (char *)home, "-s", "/bin/bash",
				 WL_SSH_USER, NULL };
		if (wl_run_cmd(ctx->state_dir, "ssh", argv, NULL) != 0) {
			snprintf(err, errlen, "useradd %s failed (see %s/ssh/ssh.log)", WL_SSH_USER,
				 ctx->state_dir);
			return -1;
		}
	} else if (strcmp(pw->pw_dir, home) != 0) {
		char *argv[] = { "usermod", "-d", (char *)home, WL_SSH_USER, NULL };
		if (wl_run_cmd(ctx->state_dir, "ssh", argv, NULL) != 0) {
			snprintf(err, errlen, "usermod -d %s %s failed", home, WL_SSH_USER);
			return -1;
		}
	}
	/* a locked account is refused even for keys (LAB.md §4): always a real password */
	char *argv[] = { "chpasswd", NULL };
	if (wl_run_cmd(ctx->state_dir, "ssh", argv, WL_SSH_USER ":" WL_SSH_PASSWORD "\n") != 0) {
		snprintf(err, errlen, "chpasswd for %s failed", WL_SSH_USER);
		return -1;
	}
	return 0;
}

static int own(const char *path, mode_t mode)
{
	struct passwd *pw = getpwnam(WL_SSH_USER);
	if (!pw || chown(path, pw->pw_uid, pw->pw_gid) < 0 || chmod(path, mode) < 0)
		return -1;
	return 0;
}

static char *read_small(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The file sftp-get downloads: WL_SSH_FILE_SIZE deterministic bytes. */
static int lab_file(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && st.st_size == (off_t)WL_SSH_FILE_SIZE)
		return own(path, 0644);
	unsigned char *b = malloc(WL_SSH_FILE_SIZE);
	if (!b)
		return -1;
	uint32_t x = 0x2545f491u;
	for (size_t i = 0; i < WL_SSH_FILE_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(b, 1, WL_SSH_FILE_SIZE, f) == WL_SSH_FILE_SIZE;
	if (f && fclose(f) != 0)
		ok = 0;
	free(b);
	return ok ? own(path, 0644) : -1;
}

/* home/ (0755), .ssh/ (0700) and authorized_keys (0600), owned by the account. */
static int lab_home(const struct wl_server_ctx *ctx, const char *home, char *err, size_t errlen)
{
	char ssh_dir[4096], ak[4096], pub[4096], file[4096];
	if (path_in(ssh_dir, sizeof ssh_dir, ctx, WL_SSH_HOME "/.ssh") < 0 ||
	    path_in(ak, sizeof ak, ctx, WL_SSH_HOME "/.ssh/authorized_keys") < 0 ||
	    path_in(file, sizeof file, ctx, WL_SSH_HOME "/" WL_SSH_FILE) < 0 ||
	    path_in(pub, sizeof pub, ctx, WL_SSH_CLIENT_KEY ".pub") < 0 ||
	    wl_mkdirs(ssh_dir, 0700) < 0 || own(home, 0755) < 0 || own(ssh_dir, 0700) < 0) {
		snprintf(err, errlen, "cannot prepare %s: %s", home, strerror(errno));
		return -1;
	}
	const char *key = read_small(pub);
	if (!key || wl_write_file(ak, key, 0600) < 0 || own(ak, 0600) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", ak, strerror(errno));
		return -1;
	}
	if (lab_file(file) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", file, strerror(errno));
		return -1;
	}
	return 0;
}

/* "[127.0.0.1]:2222 ssh-ed25519 AAAA..." for each host key. */
static int known_hosts(const struct wl_server_ctx *ctx, uint16_t port, char *err, size_t errlen)
{
	char text[16384] = "", path[4096], host[64];
	if (port == 22)
		snprintf(host, sizeof host, "127.0.0.1");
	else
		snprintf(host, sizeof host, "[127.0.0.1]:%u", port);
	size_t o = 0;
	for (size_t i = 0; i < sizeof key_types / sizeof *key_types; i++) {
		char file[64];
		snprintf(file, sizeof file, "ssh_host_%s_key.pub", key_types[i]);
		const char *pub = path_in(path, sizeof path, ctx, file) == 0 ? read_small(path) : NULL;
		char type[64], b64[4096];
		if (!pub || sscanf(pub, "%63s %4095s", type, b64) != 2) {
			snprintf(err, errlen, "cannot read %s", path);
			return -1;
		}
		o += (size_t)snprintf(text + o, sizeof text - o, "%s %s %s\n", host, type, b64);
		if (o >= sizeof text) {
			snprintf(err, errlen, "host keys too long for known_hosts");
			return -1;
		}
	}
	if (path_in(path, sizeof path, ctx, WL_SSH_KNOWN_HOSTS) < 0 ||
	    wl_write_file(path, text, 0644) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_config(const struct wl_server_ctx *ctx, uint16_t port, const char *conf,
			char *err, size_t errlen)
{
	char dir[4096], cfg[8192];
	if (path_in(dir, sizeof dir, ctx, NULL) < 0)
		return -1;
	int n = snprintf(cfg, sizeof cfg,
		"# generated by wirelab for the lab; see ../shared/LAB.md section 4\n"
		"Port %u\n"
		"ListenAddress 127.0.0.1\n"
		"AddressFamily inet\n"
		"HostKey %s/ssh_host_ed25519_key\n"
		"HostKey %s/ssh_host_ecdsa_key\n"
		"HostKey %s/ssh_host_rsa_key\n"
		"PidFile %s/sshd.pid\n"
		"UsePAM no\n"
		"PasswordAuthentication yes\n"
		"KbdInteractiveAuthentication no\n"
		"PubkeyAuthentication yes\n"
		"AuthorizedKeysFile .ssh/authorized_keys\n"
		"AllowUsers " WL_SSH_USER "\n"
		"PermitRootLogin no\n"
		"Subsystem sftp /usr/lib/openssh/sftp-server\n"
		"AllowTcpForwarding yes\n"
		"UseDNS no\n"
		"PrintMotd no\n"
		"PrintLastLog no\n"
		"X11Forwarding no\n"
		"LogLevel VERBOSE\n",
		port, dir, dir, dir, dir);
	if (n < 0 || n >= (int)sizeof cfg || wl_write_file(conf, cfg, 0644) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", conf, strerror(errno));
		return -1;
	}
	return 0;
}

static int start_ssh(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	uint16_t port = ctx->port ? ctx->port : WL_SSH_PORT;
	char conf[4096], home[4096], key[4096];
	if (path_in(conf, sizeof conf, ctx, "sshd_config") < 0 ||
	    path_in(home, sizeof home, ctx, WL_SSH_HOME) < 0) {
		snprintf(err, errlen, "cannot create %s/ssh: %s", ctx->state_dir, strerror(errno));
		return -1;
	}
	/* compiled-in privilege separation directory; /run is tmpfs */
	if (mkdir("/run/sshd", 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create /run/sshd: %s (sshd needs it; run as root)",
			 strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof key_types / sizeof *key_types; i++) {
		char file[64];
		snprintf(file, sizeof file, "ssh_host_%s_key", key_types[i]);
		if (path_in(key, sizeof key, ctx, file) < 0 ||
		    keygen(ctx, key_types[i], key, err, errlen) < 0)
			return -1;
		chmod(key, 0600);
	}
	if (path_in(key, sizeof key, ctx, WL_SSH_CLIENT_KEY) < 0 ||
	    keygen(ctx, "ed25519", key, err, errlen) < 0)
		return -1;
	if (lab_user(ctx, home, err, errlen) < 0 || lab_home(ctx, home, err, errlen) < 0 ||
	    known_hosts(ctx, port, err, errlen) < 0 || write_config(ctx, port, conf, err, errlen) < 0)
		return -1;

	char *check[] = { "/usr/sbin/sshd", "-t", "-f", conf, NULL };
	if (wl_run_cmd(ctx->state_dir, "ssh", check, NULL) != 0) {
		snprintf(err, errlen, "sshd -t -f %s rejects the config (see %s/ssh/ssh.log)", conf,
			 ctx->state_dir);
		return -1;
	}
	char *argv[] = { "/usr/sbin/sshd", "-D", "-e", "-f", conf, NULL };
	pid_t pid;
	if (wl_daemon_spawn(ctx->state_dir, "ssh", argv, NULL, &pid, err, errlen) < 0)
		return -1;
	if (wl_wait_port("127.0.0.1", port, 0, pid, 10000) < 0) {
		snprintf(err, errlen, "sshd did not listen on 127.0.0.1:%u (see %s/ssh/ssh.log)", port,
			 ctx->state_dir);
		wl_daemon_stop(ctx->state_dir, "ssh");
		return -1;
	}
	return 0;
}

const struct wl_server wl_server_ssh = {
	.name = "ssh",
	.desc = "OpenSSH sshd with its own config, host keys and lab account (SSH, SFTP, forwarding)",
	.packages = "openssh-server openssh-client openssh-sftp-server",
	.binary = "/usr/sbin/sshd",
	.port = WL_SSH_PORT,
	.start = start_ssh,
};
