/* srv_ftp.c - the FTP lab server: vsftpd 3.0.3 in the foreground from a
 * config generated under <state>/ftp/, on 127.0.0.1:2121 with passive ports
 * 30000-30009, an anonymous read-only root holding a small text file and a
 * larger binary one, and a local lab user with a password (see LAB.md 5).
 *
 * Both logins land in the same root-owned folder, chrooted, so PWD says "/"
 * whatever the state folder is and the stored traces stay the same. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drive.h"
#include "ftp_lab.h"

#define FTP_PORT 2121

static int write_bytes(const char *path, const void *p, size_t n)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, p, n);
	int rc = close(fd);
	if (w != (ssize_t)n || rc != 0)
		return -1;
	struct timespec t[2] = { { FTPLAB_MTIME, 0 }, { FTPLAB_MTIME, 0 } };
	return utimensat(AT_FDCWD, path, t, 0);
}

/* <state>/ftp/root/lab/{hello.txt,big.bin}, owned by root, not writable by ftp. */
static int make_tree(const char *dir, char *err, size_t errlen)
{
	char root[4096], lab[4096], path[4200], empty[4096];
	if (snprintf(root, sizeof root, "%s/root", dir) >= (int)sizeof root ||
	    snprintf(lab, sizeof lab, "%s/%s", root, FTPLAB_DIR) >= (int)sizeof lab ||
	    snprintf(empty, sizeof empty, "%s/empty", dir) >= (int)sizeof empty) {
		snprintf(err, errlen, "state folder path too long");
		return -1;
	}
	if (wl_mkdirs(lab, 0755) < 0 || wl_mkdirs(empty, 0755) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", lab, strerror(errno));
		return -1;
	}
	chmod(root, 0755);
	chmod(lab, 0755);
	uint8_t *bin = malloc(FTPLAB_BIN_SIZE);
	if (!bin) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ftplab_bin(bin, FTPLAB_BIN_SIZE);
	snprintf(path, sizeof path, "%s/%s", lab, FTPLAB_BIN);
	int rc = write_bytes(path, bin, FTPLAB_BIN_SIZE);
	free(bin);
	snprintf(path, sizeof path, "%s/%s", lab, FTPLAB_TEXT);
	if (rc < 0 || write_bytes(path, ftplab_text, sizeof ftplab_text - 1) < 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	struct timespec t[2] = { { FTPLAB_MTIME, 0 }, { FTPLAB_MTIME, 0 } };
	utimensat(AT_FDCWD, lab, t, 0);
	return 0;
}

/* The local lab user: a real shell (pam_shells) and a known password. */
static int make_user(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	/* home "/": vsftpd changes into it before local_root, and it always exists */
	struct passwd *acct = getpwnam(FTPLAB_USER);
	if (!acct) {
		char *const add[] = { "useradd", "-M", "-U", "-d", "/", "-s", "/bin/bash",
				      "-c", "wirelab FTP lab user", FTPLAB_USER, NULL };
		if (wl_run_cmd(ctx->state_dir, "ftp", add, NULL) != 0) {
			snprintf(err, errlen, "useradd %s failed (see %s/ftp/ftp.log)", FTPLAB_USER,
				 ctx->state_dir);
			return -1;
		}
	} else if (strcmp(acct->pw_dir, "/") != 0) {
		char *const mod[] = { "usermod", "-d", "/", FTPLAB_USER, NULL };
		wl_run_cmd(ctx->state_dir, "ftp", mod, NULL);
	}
	char *const pw[] = { "chpasswd", NULL };
	if (wl_run_cmd(ctx->state_dir, "ftp", pw, FTPLAB_USER ":" FTPLAB_PASS "\n") != 0) {
		snprintf(err, errlen, "chpasswd for %s failed (see %s/ftp/ftp.log)", FTPLAB_USER,
			 ctx->state_dir);
		return -1;
	}
	return 0;
}

static int write_conf(const char *dir, const char *conf, uint16_t port, char *err, size_t errlen)
{
	char *text = NULL;
	/* key=value, no blanks around '=' and none at the end (vsftpd refuses them) */
	int n = asprintf(&text,
		"listen=YES\n"
		"listen_ipv6=NO\n"
		"listen_address=127.0.0.1\n"
		"listen_port=%u\n"
		"background=NO\n"
		"pasv_enable=YES\n"
		"pasv_min_port=30000\n"
		"pasv_max_port=30009\n"
		"pasv_address=127.0.0.1\n"
		"port_enable=YES\n"
		"connect_from_port_20=NO\n"
		"anonymous_enable=YES\n"
		"anon_root=%s/root\n"
		"ftp_username=ftp\n"
		"no_anon_password=NO\n"
		"anon_upload_enable=NO\n"
		"anon_mkdir_write_enable=NO\n"
		"local_enable=YES\n"
		"write_enable=NO\n"
		"chroot_local_user=YES\n"
		"local_root=%s/root\n"
		"pam_service_name=vsftpd\n"
		"userlist_enable=NO\n"
		"secure_chroot_dir=%s/empty\n"
		"nopriv_user=nobody\n"
		"seccomp_sandbox=NO\n"
		"isolate=NO\n"
		"isolate_network=NO\n"
		"xferlog_enable=YES\n"
		"xferlog_std_format=NO\n"
		"log_ftp_protocol=YES\n"
		"vsftpd_log_file=%s/vsftpd.log\n"
		"syslog_enable=NO\n"
		"dirmessage_enable=NO\n"
		"ftpd_banner=wirelab FTP lab (vsftpd)\n",
		port, dir, dir, dir, dir);
	if (n < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* wl_write_file unlinks first: the new file is root's, as vsftpd demands */
	int rc = wl_write_file(conf, text, 0600);
	free(text);
	if (rc < 0)
		snprintf(err, errlen, "cannot write %s: %s", conf, strerror(errno));
	return rc;
}

/* The last line vsftpd wrote at start-up ("500 OOPS: ..."), for the error. */
static void startup_error(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[256], last[256] = "";
	while (f && fgets(line, sizeof line, f))
		if (line[0] != '\n')
			snprintf(last, sizeof last, "%s", line);
	if (f)
		fclose(f);
	last[strcspn(last, "\r\n")] = '\0';
	snprintf(err, errlen, "vsftpd did not start%s%s", last[0] ? ": " : " (see ", last[0] ? last : path);
	if (!last[0] && strlen(err) + 2 < errlen)
		strcat(err, ")");
}

static int start_ftp(const struct wl_server_ctx *ctx, char *err, size_t errlen)
{
	if (geteuid() != 0) {
		snprintf(err, errlen, "vsftpd needs root (PAM logins, chroot): run the lab as root");
		return -1;
	}
	uint16_t port = ctx->port ? ctx->port : FTP_PORT;
	char dir[4096], conf[4200], boot[4200];
	if (wl_state_path(dir, sizeof dir, ctx->state_dir, "ftp", NULL) < 0) {
		snprintf(err, errlen, "cannot create %s/ftp: %s", ctx->state_dir, strerror(errno));
		return -1;
	}
	snprintf(conf, sizeof conf, "%s/vsftpd.conf", dir);
	snprintf(boot, sizeof boot, "%s/vsftpd-start.log", dir);
	if (make_tree(dir, err, errlen) < 0 || make_user(ctx, err, errlen) < 0 ||
	    write_conf(dir, conf, port, err, errlen) < 0)
		return -1;
	unlink(boot);
	/* vsftpd reports start-up errors on fd 0: point it at a log, keep the PID (exec) */
	char *const argv[] = { "/bin/sh", "-c", "exec /usr/sbin/vsftpd \"$0\" 0<>\"$1\"", conf, boot, NULL };
	pid_t pid;
	if (wl_daemon_spawn(ctx->state_dir, "ftp", argv, NULL, &pid, err, errlen) < 0)
		return -1;
	if (wl_wait_port("127.0.0.1", port, 0, pid, 5000) != 0) {
		startup_error(boot, err, errlen);
		wl_daemon_stop(ctx->state_dir, "ftp");
		return -1;
	}
	return 0;
}

const struct wl_server wl_server_ftp = {
	.name = "ftp",
	.desc = "vsftpd on 127.0.0.1:2121, passive ports 30000-30009, anonymous and a lab user",
	.packages = "vsftpd",
	.binary = "/usr/sbin/vsftpd",
	.port = FTP_PORT,
	.start = start_ftp,
};
