/* lab.h - the lab: an exchange driven against its server while the capture
 * thread records it, then its trace and summary (`wirelab lab`); the lab's
 * servers (`wirelab servers`); the message sequence of an exchange. Errors
 * are returned or handed to a callback, never printed here. */
#ifndef WL_LAB_H
#define WL_LAB_H

#include <stddef.h>
#include <stdio.h>

#include "drive.h"
#include "engine.h"
#include "run.h"

/* How to run an exchange (`wirelab lab`'s options). */
struct wl_lab_opts {
	const char *iface;
	const char *server;      /* HOST:PORT, or NULL */
	const char *write;       /* -w */
	const char *expect;      /* --expect PCAP */
	const char *state;       /* the state folder, from wl_lab_state_dir() */
	int accept_new;
	int keep;                /* leave servers running */
	struct wl_view view;
	void (*err)(const char *msg);  /* told every error, one line each */
};

/* Runs one exchange: its server (unless --server), the capture, the driver,
 * the trace, the summary. Returns a WL_EXIT_* status. */
int wl_lab_one(const struct wl_driver *d, const struct wl_lab_opts *o);
/* Every exchange in turn, then a table; the worst status. */
int wl_lab_all(const struct wl_lab_opts *o);

/* servers.c */
/* The lab state folder: opt, else $WIRELAB_STATE, else /run/wirelab as root,
 * else /tmp/wirelab-UID; created. NULL (reason in err) if not writable. */
const char *wl_lab_state_dir(const char *opt, char *buf, size_t n, char *err, size_t errlen);
const char *wl_self_exe(char *buf, size_t n);
/* Starts s unless it runs. 0 ready (*started if by us), 1 not installed,
 * 2 could not start; err says why and what to do. */
int wl_lab_ensure_server(const struct wl_server *s, const struct wl_server_ctx *sc, int *started,
			 char *err, size_t errlen);
/* `wirelab servers up|down|status` for one server: a line on stdout; a WL_EXIT_* status. */
int wl_lab_server_up(const struct wl_server *s, const struct wl_server_ctx *sc);
int wl_lab_server_down(const struct wl_server *s, const struct wl_server_ctx *sc);
int wl_lab_server_status(const struct wl_server *s, const struct wl_server_ctx *sc);

/* labseq.c */

/* The sequence of (direction, protocol, message type) of an exchange, for
 * comparing a live run with its stored capture: transport and link messages
 * are left out (ACK counts vary), and repeats of one step are folded. Each
 * step also carries its messages' field names and the values that are stable
 * run to run (src/check/stable.c says which are not). */
struct wl_entry_set;
struct wl_lab_seq {
	char **steps;
	struct wl_entry_set *fields;   /* one per step */
	size_t n, cap;
};
struct wl_sink wl_lab_seq_sink(struct wl_lab_seq *s);
int wl_lab_seq_from_file(struct wl_lab_seq *s, const char *pcap, char *err, size_t errlen);
/* The index of the first step where got parts from expected (its step or its
 * fields), or -1 if equal. */
long wl_lab_seq_diff(const struct wl_lab_seq *expected, const struct wl_lab_seq *got);
/* Step i of s as text, or "(end)" past its last. */
const char *wl_lab_seq_step(const struct wl_lab_seq *s, long i);
/* When step i is the same step in both but its fields differ, the first
 * difference ("ftp.response.code: 230 → 530") into buf; else NULL. */
const char *wl_lab_seq_field_diff(const struct wl_lab_seq *expected, const struct wl_lab_seq *got, long i,
				  char *buf, size_t n);
void wl_lab_seq_free(struct wl_lab_seq *s);

#endif
