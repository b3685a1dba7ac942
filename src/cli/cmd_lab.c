/* cmd_lab.c - `wirelab lab EXCHANGE|all|--list`: the options; the run
 * itself is src/lab/lab.c. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lab.h"
#include "wirelab.h"

static void say_err(const char *msg)
{
	wl_err("%s", msg);
}

static const char lab_usage[] =
	"usage: wirelab lab EXCHANGE|all|--list [--server HOST:PORT] [-i IFACE] [-w OUT.pcap]\n"
	"                   [-T text|json|ladder|html|svg] [-v] [-x] [-t FMT] [--state DIR] [--accept-new]\n"
	"                   [--keep]\n"
	"                   [--expect STORED.pcap] [-Y FILTER] [-T fields -e FIELD...] [-z STAT]\n"
	"Runs a real client against a real server on loopback while the capture thread records\n"
	"it, then prints the client's output, the annotated trace and a summary.\n"
	"  --server H:P   use a server already running there instead of the lab's own\n"
	"  -i IFACE       capture interface (default lo)\n"
	"  -w FILE        also write the capture to FILE\n"
	"  --state DIR    lab state folder (default $WIRELAB_STATE, /run/wirelab as root)\n"
	"  --accept-new   ssh: accept an unknown host key\n"
	"  --keep         leave the servers this run started running\n"
	"  --expect PCAP  compare with a stored capture: the sequence of messages, their field\n"
	"                 names and the values stable run to run (docs/ci.md); exit 1 if different;\n"
	"                 it sees every message, whatever -Y shows\n"
	"  -Y, -T fields|ek, -e, -E, -z   as in wirelab read --help: filter and shape the trace\n";

static void list_exchanges(void)
{
	for (const struct wl_driver *const *d = wl_drivers; *d; d++)
		printf("%-16s %s\n", (*d)->name, (*d)->desc);
}

int wl_cmd_lab(int argc, char **argv)
{
	static const struct option longopts[] = {
		WL_VIEW_LONGOPTS,
		{ "server", required_argument, NULL, 2001 },
		{ "state", required_argument, NULL, 2002 },
		{ "accept-new", no_argument, NULL, 2003 },
		{ "keep", no_argument, NULL, 2004 },
		{ "expect", required_argument, NULL, 2005 },
		{ "list", no_argument, NULL, 2006 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_lab_opts o = { .iface = "lo", .err = say_err };
	wl_view_init(&o.view);
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "i:w:h" WL_VIEW_SHORTOPTS, longopts, NULL)) != -1) {
		int r = wl_view_option(&o.view, opt, optarg);
		if (r < 0)
			return WL_EXIT_USAGE;
		if (r)
			continue;
		switch (opt) {
		case 'i': o.iface = optarg; break;
		case 'w': o.write = optarg; break;
		case 2001: o.server = optarg; break;
		case 2002: o.state = optarg; break;
		case 2003: o.accept_new = 1; break;
		case 2004: o.keep = 1; break;
		case 2005: o.expect = optarg; break;
		case 2006: list_exchanges(); return WL_EXIT_OK;
		case 'h': fputs(lab_usage, stdout); return WL_EXIT_OK;
		default: fputs(lab_usage, stderr); return WL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(lab_usage, stderr);
		return WL_EXIT_USAGE;
	}
	if (wl_view_ready(&o.view) < 0)   /* a bad -Y, -e or -z: refused before anything runs */
		return WL_EXIT_USAGE;
	const char *name = argv[optind];
	char state_buf[PATH_MAX], err[PATH_MAX + 128];
	o.state = wl_lab_state_dir(o.state, state_buf, sizeof state_buf, err, sizeof err);
	if (!o.state) {
		wl_err("%s", err);
		return WL_EXIT_USAGE;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (strcmp(name, "all") != 0) {
		const struct wl_driver *d = wl_driver_find(name);
		if (!d) {
			wl_err("no exchange '%s' (wirelab lab --list)", name);
			return WL_EXIT_USAGE;
		}
		return wl_lab_one(d, &o);
	}
	if (o.view.render.format == WL_OUT_SVG) {
		wl_err("lab all -T svg: one diagram per exchange (lab NAME -T svg), or -T html for all");
		return WL_EXIT_USAGE;
	}
	if (o.write || o.expect || o.server) {
		wl_err("lab all: -w, --expect and --server apply to one exchange");
		return WL_EXIT_USAGE;
	}
	return wl_lab_all(&o);
}
