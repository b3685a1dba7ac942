/* main.c - the wirelab command: one table of subcommands. */
#include <stdio.h>
#include <string.h>

#include "wirelab.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "read", wl_cmd_read, "dissect a pcap/pcapng file: the annotated trace, or -Y/-T fields/-z as tshark" },
	{ "capture", wl_cmd_capture, "capture live on an interface (thread + bounded queue)" },
	{ "check", wl_cmd_check, "compare stored captures with their expected traces" },
	{ "lab", wl_cmd_lab, "drive a real exchange while capturing it, print the trace" },
	{ "servers", wl_cmd_servers, "start, stop or list the lab's servers on loopback" },
	{ "chat-load", wl_cmd_chat_load, "load test of a running chat server" },
	{ "netinfo", wl_cmd_netinfo, "host name, interfaces, addresses, gateways, DNS resolvers" },
	{ "ipcalc", wl_cmd_ipcalc, "IPv4/IPv6 network calculator, subnets, supernet, subnet planner" },
	{ "geoip", wl_cmd_geoip, "country, city and ASN of addresses (libmaxminddb)" },
	{ "serve", wl_cmd_serve, NULL },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fputs("usage: wirelab COMMAND [options]   (wirelab COMMAND --help for each)\n\n", f);
	for (const struct subcommand *s = subcommands; s->name; s++)
		if (s->help)  /* serve is internal: the lab runs its own servers with it */
			fprintf(f, "  %-9s %s\n", s->name, s->help);
	fputs("\nExit status: 0 fine, 1 a check or an exchange failed, 2 usage or environment error.\n", f);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return WL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return WL_EXIT_OK;
	}
	for (const struct subcommand *s = subcommands; s->name; s++)
		if (strcmp(argv[1], s->name) == 0)
			return s->run(argc - 1, argv + 1);
	wl_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return WL_EXIT_USAGE;
}
