/* cmd_servers.c - `wirelab servers up|down|status [NAME...]`, the hidden
 * `wirelab serve NAME`, which runs one of wirelab's own servers in the
 * foreground (the lab starts it as a background child), and `wirelab
 * chat-load`. What the verbs do is src/lab/servers.c. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "chat_load.h"
#include "lab.h"
#include "wirelab.h"

static const char servers_usage[] =
	"usage: wirelab servers up|down|status [NAME...] [--state DIR]\n"
	"Starts, stops or lists the lab's servers on loopback (all of them unless named).\n"
	"Each runs in the background from a config under the state folder, with its log and\n"
	"PIDs there; `down` stops exactly the processes `up` started.\n";

int wl_cmd_servers(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *state_opt = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 's')
			state_opt = optarg;
		else if (opt == 'h') {
			fputs(servers_usage, stdout);
			return WL_EXIT_OK;
		} else {
			fputs(servers_usage, stderr);
			return WL_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fputs(servers_usage, stderr);
		return WL_EXIT_USAGE;
	}
	const char *verb = argv[optind++];
	int (*act)(const struct wl_server *, const struct wl_server_ctx *) =
		strcmp(verb, "up") == 0 ? wl_lab_server_up : strcmp(verb, "down") == 0 ? wl_lab_server_down :
		strcmp(verb, "status") == 0 ? wl_lab_server_status : NULL;
	if (!act) {
		wl_err("servers: expected up, down or status, not '%s'", verb);
		return WL_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++) {
		if (!wl_server_find(argv[i])) {
			wl_err("servers: no server '%s' (wirelab servers status lists them)", argv[i]);
			return WL_EXIT_USAGE;
		}
	}
	char state_buf[PATH_MAX], exe[PATH_MAX], err[PATH_MAX + 128];
	const char *state = wl_lab_state_dir(state_opt, state_buf, sizeof state_buf, err, sizeof err);
	if (!state) {
		wl_err("%s", err);
		return WL_EXIT_USAGE;
	}
	struct wl_server_ctx sc = { state, wl_self_exe(exe, sizeof exe), 0 };
	int worst = WL_EXIT_OK;
	if (optind == argc) {
		for (const struct wl_server *const *s = wl_servers; *s; s++) {
			int r = act(*s, &sc);
			worst = r > worst ? r : worst;
		}
	}
	for (int i = optind; i < argc; i++) {
		int r = act(wl_server_find(argv[i]), &sc);
		worst = r > worst ? r : worst;
	}
	return worst;
}

int wl_cmd_serve(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "host", required_argument, NULL, 'H' },
		{ "state", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *host = "127.0.0.1", *state = "/tmp";
	long port = 0;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'p')
			port = strtol(optarg, NULL, 10);
		else if (opt == 'H')
			host = optarg;
		else if (opt == 's')
			state = optarg;
		else
			return WL_EXIT_USAGE;
	}
	const struct wl_own_server *s = optind < argc ? wl_own_server_find(argv[optind]) : NULL;
	if (!s || port <= 0 || port > 65535) {
		wl_err("usage: wirelab serve NAME --port N [--host H] [--state DIR]");
		return WL_EXIT_USAGE;
	}
	return s->serve(host, (uint16_t)port, state);
}

static const char chat_compare_usage[] =
	"usage: wirelab chat-load --compare [--clients N] [--messages M] [--size BYTES]\n"
	"         [--rate R] [--time-limit S] [--servers LIST] [--delayed-ack] [-T text|json|svg]\n"
	"         [--state DIR]\n"
	"The same load against every chat server in turn (threaded, poll, epoll, uv, event,\n"
	"tls; --servers picks some): N clients (200; up to 2000) each send M messages (10) of\n"
	"BYTES (64) at R a second (2); each server is started for its turn unless `wirelab\n"
	"servers up` runs it. One table: deliveries/s, p50/p99/max latency, messages lost,\n"
	"the server's peak RSS, threads and CPU. -T json: JSON Lines; -T svg: the latency\n"
	"distributions side by side. S (60) bounds each server's run. The clients ACK at once\n"
	"(TCP_QUICKACK) unless --delayed-ack: then a server that leaves Nagle's algorithm on\n"
	"waits up to 40 ms for an ACK before its next small write.\n";

/* A whole number in lo..hi from text, or -1 (reason printed). */
static long chat_arg(const char *name, const char *text, long lo, long hi)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (*text && !*end && v >= lo && v <= hi)
		return v;
	wl_err("chat-load: %s is %ld..%ld, not '%s'", name, lo, hi, text);
	return -1;
}

/* One option of --compare into cfg: 0, or -1 (reason printed). */
static int chat_compare_option(struct wl_chat_compare_cfg *cfg, int opt, const char *arg)
{
	struct wl_chat_load_opts *o = &cfg->load;
	char *end;
	switch (opt) {
	case 'n': return (o->clients = (int)chat_arg("--clients", arg, 1, 2000)) < 0 ? -1 : 0;
	case 'm': return (o->messages = (int)chat_arg("--messages", arg, 1, 100000)) < 0 ? -1 : 0;
	case 'b': return (o->size = (int)chat_arg("--size", arg, 32, 4096)) < 0 ? -1 : 0;
	case 'l': return (o->time_limit_s = (int)chat_arg("--time-limit", arg, 1, 3600)) < 0 ? -1 : 0;
	case 'd': o->delayed_ack = 1; return 0;
	case 'S': cfg->servers = arg; return 0;
	case 'r':
		o->rate = strtod(arg, &end);
		if (*arg && !*end)
			return 0;
		wl_err("chat-load: --rate is a number of messages a second, not '%s'", arg);
		return -1;
	case 'X':
		wl_err("chat-load: --server and --seconds are for one server, not --compare");
		return -1;
	case 'T':
		if (strcmp(arg, "text") == 0)
			cfg->report = WL_CHAT_REPORT_TEXT;
		else if (strcmp(arg, "json") == 0)
			cfg->report = WL_CHAT_REPORT_JSON;
		else if (strcmp(arg, "svg") == 0)
			cfg->report = WL_CHAT_REPORT_SVG;
		else {
			wl_err("chat-load: -T is text, json or svg, not '%s'", arg);
			return -1;
		}
		return 0;
	}
	fputs(chat_compare_usage, stderr);
	return -1;
}

/* `wirelab chat-load --compare` (drive/chat/chat_compare.c). */
static int chat_compare_cmd(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "compare", no_argument, NULL, 'c' },
		{ "clients", required_argument, NULL, 'n' },
		{ "messages", required_argument, NULL, 'm' },
		{ "size", required_argument, NULL, 'b' },
		{ "rate", required_argument, NULL, 'r' },
		{ "time-limit", required_argument, NULL, 'l' },
		{ "servers", required_argument, NULL, 'S' },
		{ "delayed-ack", no_argument, NULL, 'd' },
		{ "state", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		/* the one-server options, by name (else --server would abbreviate --servers) */
		{ "server", required_argument, NULL, 'X' },
		{ "seconds", required_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_chat_compare_cfg cfg = {
		.load = { .clients = 200, .messages = 10, .size = 64, .rate = 2, .time_limit_s = 60 },
	};
	const char *state_opt = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "T:h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(chat_compare_usage, stdout);
			return WL_EXIT_OK;
		}
		if (opt == 's')
			state_opt = optarg;
		else if (opt != 'c' && chat_compare_option(&cfg, opt, optarg) < 0)
			return WL_EXIT_USAGE;
	}
	if (optind < argc) {
		wl_err("chat-load --compare: unexpected '%s'", argv[optind]);
		return WL_EXIT_USAGE;
	}
	const char *bad = wl_chat_compare_check(&cfg);
	if (bad) {
		wl_err("chat-load: %s", bad);
		return WL_EXIT_USAGE;
	}
	char state_buf[PATH_MAX], exe[PATH_MAX], err[PATH_MAX + 128];
	cfg.state_dir = wl_lab_state_dir(state_opt, state_buf, sizeof state_buf, err, sizeof err);
	if (!cfg.state_dir) {
		wl_err("%s", err);
		return WL_EXIT_USAGE;
	}
	cfg.self_exe = wl_self_exe(exe, sizeof exe);
	int rc = wl_chat_compare(&cfg, stdout, stderr);
	return rc == 0 ? WL_EXIT_OK : rc == 1 ? WL_EXIT_FAIL : WL_EXIT_USAGE;
}

int wl_cmd_chat_load(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--compare") == 0)
			return chat_compare_cmd(argc, argv);
	static const struct option longopts[] = {
		{ "clients", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 't' },
		{ "server", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long clients = 500, seconds = 10, port = 4044;
	const char *host = "127.0.0.1";
	char hostbuf[64];
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (opt == 'n')
			clients = strtol(optarg, NULL, 10);
		else if (opt == 't')
			seconds = strtol(optarg, NULL, 10);
		else if (opt == 's') {
			const char *c = strrchr(optarg, ':');
			if (!c || (size_t)(c - optarg) >= sizeof hostbuf)
				return WL_EXIT_USAGE;
			snprintf(hostbuf, sizeof hostbuf, "%.*s", (int)(c - optarg), optarg);
			host = hostbuf;
			port = strtol(c + 1, NULL, 10);
		} else {
			fputs("usage: wirelab chat-load [--server HOST:PORT] [--clients N] [--seconds S]\n"
			      "Load test of a running chat server (wirelab servers up chat-epoll).\n"
			      "       wirelab chat-load --compare ... (--compare --help): every chat server.\n",
			      opt == 'h' ? stdout : stderr);
			return opt == 'h' ? WL_EXIT_OK : WL_EXIT_USAGE;
		}
	}
	if (clients < 1 || clients > 5000 || seconds < 1 || seconds > 3600 || port < 1 || port > 65535) {
		wl_err("chat-load: clients 1..5000, seconds 1..3600, a port 1..65535");
		return WL_EXIT_USAGE;
	}
	return wl_chat_load(host, (uint16_t)port, (int)clients, (int)seconds, stdout);
}
