/* drive.h - traffic generators and the lab's servers. Knows nothing of dissect/.
 *
 * A driver is one exchange (`wirelab lab NAME`): a real client of a real
 * server. A server is one thing `wirelab servers up NAME` starts: a real daemon
 * from a generated config under the lab state folder, or one of wirelab's own
 * servers run as a child process (`wirelab serve NAME`). Both are listed once,
 * in drive/drivers.def and drive/servers.def (X-macro files).
 */
#ifndef WL_DRIVE_H
#define WL_DRIVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* ---- drivers ---- */

struct wl_drive_cfg {
	const char *host;        /* server address, "127.0.0.1" unless --server */
	uint16_t port;           /* server port (the driver's default unless --server) */
	const char *state_dir;   /* lab state folder: <state>/<server>/ has keys, configs */
	int verbose;
	int accept_new;          /* ssh: accept an unknown host key (StrictHostKeyChecking=accept-new) */
	FILE *out;               /* what the client prints (an ls listing, snmpget lines) */
};

struct wl_drive_result {
	int ok;                  /* the exchange did what it should */
	char reason[512];        /* why not, in one line */
	char facts[16][160];     /* "bytes echoed: 42", "sha256: ...": for the summary */
	unsigned nfacts;
	char keylog[512];        /* TLS: the key log the client wrote, to decrypt the trace */
	char nt_password[128];   /* SMB: the login's password, to decrypt the trace */
	char snmp_users[512];    /* SNMPv3: a file of the users it spoke as, to check and decrypt */
};

void wl_drive_fact(struct wl_drive_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sets ok = 0 and the reason; returns -1 for `return wl_drive_fail(...)`. */
int wl_drive_fail(struct wl_drive_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct wl_driver {
	const char *name;        /* "ftp", "ssh-exec" */
	const char *desc;        /* one line */
	const char *server;      /* the wl_server it needs ("ftp"), or NULL if none */
	uint16_t port;           /* default server port */
	/* BPF for the capture thread; %u is replaced by the server port. */
	const char *bpf;
	/* Runs the exchange; 0 and res->ok = 1 when it worked. */
	int (*run)(const struct wl_drive_cfg *cfg, struct wl_drive_result *res);
};

extern const struct wl_driver *const wl_drivers[];
const struct wl_driver *wl_driver_find(const char *name);

/* ---- servers ---- */

struct wl_server_ctx {
	const char *state_dir;   /* <state>; a server keeps its files in <state>/<name>/ */
	const char *self_exe;    /* path of the wirelab binary, for own servers */
	uint16_t port;           /* 0: the server's default */
};

struct wl_server {
	const char *name;        /* "ssh", "ftp", "echo" */
	const char *desc;
	const char *packages;    /* Debian packages it needs, "" for own servers */
	const char *binary;      /* a file whose absence means "not installed", or NULL */
	uint16_t port;
	int udp;
	/* Writes the config under <state>/<name>/ and spawns the server in the
	 * background (wl_daemon_spawn), returning once it is ready. 0, or -1 with a
	 * one-line reason and the fix in err. */
	int (*start)(const struct wl_server_ctx *ctx, char *err, size_t errlen);
	/* Optional extra stop work after the recorded processes are gone. */
	void (*stopped)(const struct wl_server_ctx *ctx);
};

extern const struct wl_server *const wl_servers[];
const struct wl_server *wl_server_find(const char *name);

/* ---- processes (drive/core/daemon.c) ---- */

/* <state>/<name>, created 0755 (with parents). Returns 0 or -1 (errno). */
int wl_state_path(char *out, size_t n, const char *state_dir, const char *name, const char *file);
int wl_mkdirs(const char *path, mode_t mode);
/* Writes a whole file (replacing it: unlink first, so a root-owned config stays root's). */
int wl_write_file(const char *path, const char *text, mode_t mode);

/* Starts argv in the background with stdout/stderr appended to
 * <state>/<name>/<name>.log and records its PID in <state>/<name>/pids
 * (one per line; several processes of one server are fine). env may be NULL
 * or extra NAME=VALUE strings. */
int wl_daemon_spawn(const char *state_dir, const char *name, char *const argv[],
		    char *const env[], pid_t *pid, char *err, size_t errlen);
/* Records a PID the server wrote itself (e.g. from its pid file). */
int wl_daemon_record(const char *state_dir, const char *name, pid_t pid);
/* Waits until host:port accepts TCP connections (udp=0) or a UDP socket is
 * bound there (udp=1), or timeout_ms passes, or pid dies. 0 when ready. */
int wl_wait_port(const char *host, uint16_t port, int udp, pid_t pid, int timeout_ms);
/* 1 if something listens on 127.0.0.1:port (TCP) / has bound it (UDP). */
int wl_port_in_use(uint16_t port, int udp);
/* SIGTERM to every recorded PID of the server, SIGKILL after 3 s; forgets them. */
int wl_daemon_stop(const char *state_dir, const char *name);
/* Number of recorded PIDs still alive. */
int wl_daemon_alive(const char *state_dir, const char *name);

/* Runs a command to completion (stdin from in_text if given), output to the
 * server's log. Returns its exit status, or -1. For slapadd, smbpasswd... */
int wl_run_cmd(const char *state_dir, const char *name, char *const argv[], const char *in_text);

/* Starts one of wirelab's own servers as `<self_exe> serve NAME --port P
 * --state S` in the background and waits for its port: the .start of every
 * own server's wl_server. */
int wl_own_start(const struct wl_server_ctx *ctx, const char *name, uint16_t port, int udp,
		 char *err, size_t errlen);

/* ---- own servers, run by `wirelab serve NAME` ---- */

struct wl_own_server {
	const char *name;
	/* Serves until SIGTERM; returns the exit status. */
	int (*serve)(const char *host, uint16_t port, const char *state_dir);
};
extern const struct wl_own_server *const wl_own_servers[];
const struct wl_own_server *wl_own_server_find(const char *name);

#endif
