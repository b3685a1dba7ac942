/* wirelab.h - the subcommands, the options they share, and wl_err: the
 * command line, the only layer that prints errors itself. */
#ifndef WL_WIRELAB_H
#define WL_WIRELAB_H

#include <stdio.h>

#include "run.h"

/* Parses an option every dissecting subcommand understands (-T, -v, -d,
 * --color, --redact, --keylog, -o, --snmp-user, --geoip-db, --no-summary,
 * -x/-X, -t, -u, --width, and the query options -Y -e -E -z).
 * Returns 1 if it was one, 0 if not, -1 on a bad value (reason printed). */
int wl_view_option(struct wl_view *v, int opt, const char *arg);
/* Checks the query options before any packet is read (prints the reason);
 * wl_view_free releases them. */
int wl_view_ready(struct wl_view *v);
void wl_view_free(struct wl_view *v);
#define WL_VIEW_SHORTOPTS "T:vd:o:Y:e:E:z:xXt:u:"
#define WL_VIEW_LONGOPTS                                                      \
	{ "color", optional_argument, NULL, 1001 },                           \
	{ "redact", no_argument, NULL, 1002 },                                \
	{ "keylog", required_argument, NULL, 1003 },                          \
	{ "snmp-user", required_argument, NULL, 1004 },                       \
	{ "geoip-db", required_argument, NULL, 1005 },                        \
	{ "no-summary", no_argument, NULL, 1006 },                            \
	{ "max-flows", required_argument, NULL, 1007 },                       \
	{ "one-thread", no_argument, NULL, 1008 },                            \
	{ "smb-password", required_argument, NULL, 1009 },                    \
	{ "smb-key", required_argument, NULL, 1010 },                         \
	{ "snmp-users", required_argument, NULL, 1020 },                      \
	{ "width", required_argument, NULL, 1011 }

/* Joins argv[i..] into one BPF expression (malloc'd), or NULL if none. */
char *wl_join_args(int argc, char **argv, int i);

int wl_cmd_read(int argc, char **argv);
int wl_cmd_capture(int argc, char **argv);
int wl_cmd_check(int argc, char **argv);
int wl_cmd_lab(int argc, char **argv);
int wl_cmd_servers(int argc, char **argv);
int wl_cmd_serve(int argc, char **argv);
int wl_cmd_chat_load(int argc, char **argv);
int wl_cmd_netinfo(int argc, char **argv);
int wl_cmd_ipcalc(int argc, char **argv);
int wl_cmd_geoip(int argc, char **argv);

/* Prints "wirelab: <msg>" on stderr. */
void wl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
