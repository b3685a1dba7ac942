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

int wl_cmd_chat_load(int argc, char **argv)
{
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
			      "Load test of a running chat server (wirelab servers up chat-epoll).\n",
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
