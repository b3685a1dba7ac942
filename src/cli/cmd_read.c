/* cmd_read.c - `wirelab read` and `wirelab capture`, the options every
 * dissecting subcommand shares (-T, -v, -d, ...), and wl_err. The loop they
 * run, source -> (writer) -> engine -> renderer, is src/run. */

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dissect.h"
#include "geoip.h"
#include "qplan.h"
#include "query.h"
#include "snmp_usm.h"
#include "wirelab.h"

void wl_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("wirelab: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* --snmp-user and -o uat:snmp_users:...: checked now, kept in order. */
static int snmp_user_option(struct wl_view *v, const char *spec)
{
	struct wl_usm_user u;
	char err[256];
	if (wl_usm_user_parse(spec, &u, err, sizeof err) < 0) {
		wl_err("%s", err);
		return -1;
	}
	const size_t max = sizeof v->dissect.snmp_users / sizeof v->dissect.snmp_users[0];
	size_t n = 0;
	while (n < max && v->dissect.snmp_users[n])
		n++;
	if (!v->dissect.snmp_user)
		v->dissect.snmp_user = spec;
	else if (n + 1 < max)
		v->dissect.snmp_users[n] = spec;
	else {
		wl_err("too many SNMPv3 users: put them in a file (--snmp-users FILE)");
		return -1;
	}
	return 1;
}

/* The terminal's columns when stdout is one (notes wrap there), else 0:
 * a file or a pipe gets whole lines. */
static size_t terminal_width(void)
{
	struct winsize ws;
	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		return 0;
	return ws.ws_col;
}

int wl_view_ready(struct wl_view *v)
{
	char err[2048];
	if (v->render.hexdump && v->render.format != WL_OUT_TEXT && v->render.format != WL_OUT_LADDER) {
		wl_err("-x: the frame bytes go with the text views (-T text or ladder); -T html shows them on click");
		return -1;
	}
	if (!v->width_set)
		v->render.width = terminal_width();
	if (wl_qplan_ready(v->query, v->render.redact, err, sizeof err) < 0) {
		wl_err("%s", err);
		return -1;
	}
	return 0;
}

void wl_view_free(struct wl_view *v)
{
	wl_qplan_free(v->query);
	v->query = NULL;
}

/* -t as tshark's: r d dd e a ad adoy u ud udoy. */
static int time_format_option(struct wl_view *v, const char *arg)
{
	static const struct {
		const char *name;
		enum wl_time_fmt f;
	} formats[] = {
		{ "r", WL_T_REL }, { "d", WL_T_DELTA }, { "dd", WL_T_DELTA_SHOWN }, { "e", WL_T_EPOCH },
		{ "a", WL_T_LOCAL }, { "ad", WL_T_LOCAL_DATE }, { "adoy", WL_T_LOCAL_DOY },
		{ "u", WL_T_UTC }, { "ud", WL_T_UTC_DATE }, { "udoy", WL_T_UTC_DOY },
	};
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(arg, formats[i].name) == 0) {
			v->render.time_fmt = formats[i].f;
			return 1;
		}
	wl_err("-t %s: expected r, d, dd, e, a, ad, adoy, u, ud or udoy (as tshark)", arg);
	return -1;
}

int wl_view_option(struct wl_view *v, int opt, const char *arg)
{
	char err[256];
	int q = wl_qplan_option(&v->query, opt, arg, err, sizeof err);  /* -Y -e -E -z, -T fields|ek */
	if (q < 0)
		wl_err("%s", err);
	if (q)
		return q;
	switch (opt) {
	case 'T':
		if (strcmp(arg, "text") == 0)
			v->render.format = WL_OUT_TEXT;
		else if (strcmp(arg, "json") == 0)
			v->render.format = WL_OUT_JSON;
		else if (strcmp(arg, "ladder") == 0)
			v->render.format = WL_OUT_LADDER;
		else if (strcmp(arg, "html") == 0 || strcmp(arg, "svg") == 0) {
			/* the pictures: the page explains fields from the dissectors' tables
			 * and shows each message's frame bytes */
			v->render.format = arg[0] == 'h' ? WL_OUT_HTML : WL_OUT_SVG;
			v->render.dissectors = wl_dissectors;
			v->dissect.frame_bytes = arg[0] == 'h' || v->render.hexdump;
		} else {
			wl_err("-T %s: expected text, json, ladder, html, svg, fields or ek", arg);
			return -1;
		}
		return 1;
	case 'v':
		v->render.verbose++;
		v->dissect.verbose++;
		return 1;
	case 'x':
	case 'X':  /* tcpdump's; the layout is tshark's -x */
		v->render.hexdump = 1;
		v->dissect.frame_bytes = 1;
		return 1;
	case 't':
		return time_format_option(v, arg);
	case 'u':
		if (strcmp(arg, "s") != 0 && strcmp(arg, "hms") != 0) {
			wl_err("-u %s: expected s or hms (as tshark)", arg);
			return -1;
		}
		v->render.time_hms = arg[0] == 'h';
		return 1;
	case 'd':
		if (v->nrules >= sizeof v->rules / sizeof v->rules[0]) {
			wl_err("too many -d rules");
			return -1;
		}
		if (wl_decode_as_parse(arg, &v->rules[v->nrules], err, sizeof err) < 0) {
			wl_err("%s", err);
			return -1;
		}
		v->nrules++;
		return 1;
	case 'o':
		/* tshark habits: -o tls.keylog_file:FILE */
		if (strncmp(arg, "tls.keylog_file:", 16) == 0) {
			v->dissect.keylog = arg + 16;
			return 1;
		}
		/* -o ntlmssp.nt_password:PASS: SMB3 keys from the captured NTLM login */
		if (strncmp(arg, "ntlmssp.nt_password:", 20) == 0) {
			v->dissect.nt_password = arg + 20;
			return 1;
		}
		/* -o uat:snmp_users:"ENGINEID","USER","AUTH","AUTHPASS","PRIV","PRIVPASS" */
		if (strncmp(arg, "uat:snmp_users:", 15) == 0)
			return snmp_user_option(v, arg + 15);
		wl_err("-o %s: only tls.keylog_file:FILE, ntlmssp.nt_password:PASS and uat:snmp_users:RECORD are understood", arg);
		return -1;
	case 1001:
		if (!arg || strcmp(arg, "always") == 0)
			v->render.color = 1;
		else if (strcmp(arg, "never") == 0)
			v->render.color = 0;
		else if (strcmp(arg, "auto") == 0)
			v->render.color = isatty(STDOUT_FILENO);
		else {
			wl_err("--color=%s: expected auto, always or never", arg);
			return -1;
		}
		return 1;
	case 1002:
		v->render.redact = v->dissect.redact = 1;
		return 1;
	case 1003:
		v->dissect.keylog = arg;
		return 1;
	case 1004:
		return snmp_user_option(v, arg);
	case 1020:
		if (access(arg, R_OK) != 0) {
			wl_err("--snmp-users %s: cannot read it", arg);
			return -1;
		}
		v->dissect.snmp_users_file = arg;
		return 1;
	case 1005:
		v->geoip_db = arg;
		return 1;
	case 1006:
		v->render.summaries = 0;
		return 1;
	case 1007: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);
		if (*end || n < 16 || n > (1ul << 22)) {
			wl_err("--max-flows %s: expected 16 .. 4194304", arg);
			return -1;
		}
		v->max_flows = (uint32_t)n;
		return 1;
	}
	case 1008:
		v->one_thread = 1;
		return 1;
	case 1009:
		v->dissect.nt_password = arg;
		return 1;
	case 1011: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);
		if (*end || end == arg || n > 100000) {
			wl_err("--width %s: expected a number of columns (0: never wrap)", arg);
			return -1;
		}
		v->render.width = n;
		v->width_set = 1;
		return 1;
	}
	case 1010:
		if (!strchr(arg, ':')) {
			wl_err("--smb-key %s: expected SESSIONID:KEY (hex), several joined with ','", arg);
			return -1;
		}
		v->dissect.smb_keys = arg;
		return 1;
	default:
		return 0;
	}
}

char *wl_join_args(int argc, char **argv, int i)
{
	if (i >= argc)
		return NULL;
	size_t n = 0;
	for (int k = i; k < argc; k++)
		n += strlen(argv[k]) + 1;
	char *s = malloc(n);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int k = i; k < argc; k++) {
		if (k > i)
			strcat(s, " ");
		strcat(s, argv[k]);
	}
	return s;
}

static const char read_usage[] =
	"usage: wirelab read -r FILE [-c N] [-n] [-v...] [-x] [-t FMT] [-u s|hms]\n"
	"                    [-T text|json|ladder|html|svg|fields|ek]\n"
	"                    [-d RULE]... [-Y FILTER] [-e FIELD]... [-E OPT=V]... [-z STAT]... [-q]\n"
	"                    [--color=auto|always|never] [--redact] [--keylog FILE]\n"
	"                    [--snmp-user SPEC]... [--snmp-users FILE] [--smb-password P] [--smb-key ID:KEY]\n"
	"                    [--geoip-db FILE] [--no-summary] [BPF filter]\n"
	"Dissects a pcap or pcapng file and prints the annotated trace.\n"
	"  -r FILE     capture file to read (pcap or pcapng)\n"
	"  -c N        stop after N packets\n"
	"  -n          accepted for tcpdump habits: wirelab never resolves names\n"
	"  -v          show every segment and the fields of each message (repeatable)\n"
	"  -x, -X      after each frame's lines, its bytes in hex and ASCII (tshark's -x layout)\n"
	"  -t FMT      the time column, as tshark: r (since the first frame), d (since the frame\n"
	"              before), dd (since the frame shown before), e (epoch), a ad adoy (local\n"
	"              time, with the date, with the day of the year), u ud udoy (the same in UTC)\n"
	"  -u s|hms    -t r, d, dd in seconds or as 1h 2m 3.000000s\n"
	"  --width N   wrap the notes at N columns (default: the terminal's; 0, or not a\n"
	"              terminal: never); a message's text wraps in the arrow area, never cut\n"
	"  -T FORMAT   text (annotated ladder, default), json (JSON Lines), ladder (arrows only),\n"
	"              html (one self-contained page: sequence diagram, fields, bytes), svg\n"
	"              (the diagram alone, for slides and print),\n"
	"              fields (-e columns, as tshark), ek (Elasticsearch bulk lines)\n"
	"  -d RULE     decode-as, as tshark: tcp.port==N,PROTO, udp.port==N,PROTO, or\n"
	"              tls.port==N,PROTO (TLS on TCP port N carries PROTO, seen with --keylog)\n"
	"  --redact    mask passwords, community strings and other secrets\n"
	"  --keylog F  TLS key log (SSLKEYLOGFILE format); also -o tls.keylog_file:F (a pcapng\n"
	"              file's own key log, in Decryption Secrets Blocks, is used as well)\n"
	"  --smb-password P  the NTLM user's password: SMB3 signing and encryption keys from\n"
	"                    the captured login; also -o ntlmssp.nt_password:P\n"
	"  --smb-key ID:KEY  an SMB session's key (hex session id : 32 hex digits), ',' for more\n"
	"  --snmp-user SPEC  an SNMPv3 user, to check HMACs and decrypt: USER:AUTHPASS:PRIVPASS\n"
	"                    (SHA-1, AES-128) or USER:AUTH:AUTHPASS[:PRIV:PRIVPASS] with net-snmp's\n"
	"                    names (MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512; DES AES AES-192 AES-256\n"
	"                    AES-192-C AES-256-C); also -o 'uat:snmp_users:\"\",\"USER\",\"SHA1\",\"A\",\"AES\",\"P\"'\n"
	"  --snmp-users F    SNMPv3 users, one a line (Wireshark's snmp_users file)\n"
	"  --max-flows N   flows tracked at once (default 16384; the oldest makes room)\n"
	"  --one-thread    dissect and print on one thread (by default a file's output is\n"
	"                  formatted on a second thread)\n"
	"  --list-protocols   the dissectors, their ports and what they show\n"
	"A trailing BPF expression filters packets before dissection (as tcpdump); -Y filters\n"
	"dissected frames by their fields (as tshark):\n";

static void list_fields(void)
{
	struct wl_qreg *reg = wl_qreg_new();
	if (reg)
		wl_qreg_list(reg, stdout);
	wl_qreg_free(reg);
}

static void list_protocols(void)
{
	for (const struct wl_dissector *const *d = wl_dissectors; *d; d++) {
		printf("%-10s", (*d)->name);
		const char *sep = " tcp ";
		for (const uint16_t *p = (*d)->tcp_ports; p && *p; p++, sep = ",")
			printf("%s%u", sep, *p);
		sep = " udp ";
		for (const uint16_t *p = (*d)->udp_ports; p && *p; p++, sep = ",")
			printf("%s%u", sep, *p);
		printf("%s  %s\n", (*d)->probe ? " +probe" : "", (*d)->desc);
	}
}

int wl_cmd_read(int argc, char **argv)
{
	static const struct option longopts[] = {
		WL_VIEW_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "list-protocols", no_argument, NULL, 1100 },
		{ "list-fields", no_argument, NULL, 1101 },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_view v;
	wl_view_init(&v);
	const char *file = NULL;
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+r:c:nqR:h" WL_VIEW_SHORTOPTS, longopts, NULL)) != -1) {
		int r = wl_view_option(&v, opt, optarg);
		if (r < 0) {
			wl_view_free(&v);
			return WL_EXIT_USAGE;
		}
		if (r)
			continue;
		switch (opt) {
		case 'r': file = optarg; break;
		case 'c': v.count = strtoull(optarg, NULL, 10); break;
		case 'n': break;
		case 'q': wl_qplan_quiet(&v.query); break;
		case 'R': {   /* -R is -Y, as tshark -2 -R */
			char err[256];
			if (wl_qplan_option(&v.query, 'R', optarg, err, sizeof err) < 0) {
				wl_err("%s", err);
				wl_view_free(&v);
				return WL_EXIT_USAGE;
			}
			break;
		}
		case 'h': fputs(read_usage, stdout); fputs(wl_qplan_usage, stdout); return WL_EXIT_OK;
		case 1100: list_protocols(); return WL_EXIT_OK;
		case 1101: list_fields(); return WL_EXIT_OK;
		default: fputs(read_usage, stderr); return WL_EXIT_USAGE;
		}
	}
	if (!file) {
		wl_err("read: -r FILE is required (wirelab read --help)");
		wl_view_free(&v);
		return WL_EXIT_USAGE;
	}
	if (wl_view_ready(&v) < 0) {   /* a bad -Y, -e or -z: refused before any packet */
		wl_view_free(&v);
		return WL_EXIT_USAGE;
	}
	char *filter = wl_join_args(argc, argv, optind);
	v.filter = filter;
	if (!v.render.title) {  /* the pictures' title: the file's name */
		const char *slash = strrchr(file, '/');
		v.render.title = slash ? slash + 1 : file;
	}
	char geodb[600];
	if (!v.geoip_db)  /* public addresses get their country when a database is installed */
		v.geoip_db = wl_geoip_default_file(geodb, sizeof geodb);
	struct wl_run_result res;
	char err[512];
	int rc = wl_dissect_file(file, &v, stdout, &res, err, sizeof err);
	free(filter);
	wl_view_free(&v);
	if (rc < 0) {
		fflush(stdout);
		wl_err("%s: %s", file, err);
		return WL_EXIT_USAGE;
	}
	if (res.query_warning[0])
		wl_err("%s", res.query_warning);
	return WL_EXIT_OK;
}

/* ---- capture ---- */

static volatile sig_atomic_t capture_stop;

static void on_signal(int sig)
{
	(void)sig;
	capture_stop = 1;
}

static const char capture_usage[] =
	"usage: wirelab capture -i IFACE [-w OUT.pcap] [-c N] [-s SNAPLEN] [-B KiB] [-Z USER] [-q]\n"
	"                       [-T text|json|ladder|fields|ek] [-v] [-x] [-t FMT] [-d RULE] [-Y FILTER]\n"
	"                       [-e FIELD]...\n"
	"                       [-E OPT=V]... [-z STAT]... [BPF filter]\n"
	"Captures live in a thread of its own and prints the annotated trace as packets arrive;\n"
	"SIGINT or SIGTERM (or -c) stops it, and the summary reports drops.\n"
	"  -i IFACE    interface (lo for the lab)\n"
	"  -w FILE     also write the packets to a pcap file\n"
	"  -c N        stop after N packets\n"
	"  -s SNAPLEN  bytes kept per packet (default 262144)\n"
	"  -B KiB      kernel buffer (the packet ring) in KiB (default 32768, 32 MiB)\n"
	"  -Z USER     drop privileges to USER once the capture is open (default: nobody)\n"
	"  -q          write only, print no trace (with -z: only the statistics)\n";

int wl_cmd_capture(int argc, char **argv)
{
	static const struct option longopts[] = {
		WL_VIEW_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_view v;
	wl_view_init(&v);
	struct wl_live_cfg cfg = { 0 };
	const char *out = NULL, *user = "nobody";
	int quiet = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+i:w:c:s:B:Z:qnh" WL_VIEW_SHORTOPTS, longopts, NULL)) != -1) {
		int r = wl_view_option(&v, opt, optarg);
		if (r < 0)
			return WL_EXIT_USAGE;
		if (r)
			continue;
		switch (opt) {
		case 'i': cfg.iface = optarg; break;
		case 'w': out = optarg; break;
		case 'c': v.count = strtoull(optarg, NULL, 10); break;
		case 's': cfg.snaplen = atoi(optarg); break;
		case 'B': {
			char *end;
			long kib = strtol(optarg, &end, 10);
			if (*end || end == optarg || kib < 64 || kib > 4 * 1024 * 1024) {
				wl_err("-B %s: expected KiB from 64 to 4194304", optarg);
				return WL_EXIT_USAGE;
			}
			cfg.buffer_kib = (int)kib;
			break;
		}
		case 'Z': user = optarg; break;
		case 'q': quiet = 1; break;
		case 'n': break;
		case 'h': fputs(capture_usage, stdout); fputs(wl_qplan_usage, stdout); return WL_EXIT_OK;
		default: fputs(capture_usage, stderr); return WL_EXIT_USAGE;
		}
	}
	if (!cfg.iface) {
		wl_err("capture: -i IFACE is required (try -i lo)");
		wl_view_free(&v);
		return WL_EXIT_USAGE;
	}
	if (quiet && v.query) {   /* -q with a query: no frames, but the -z reports */
		wl_qplan_quiet(&v.query);
		quiet = 0;
	}
	if (wl_view_ready(&v) < 0) {
		wl_view_free(&v);
		return WL_EXIT_USAGE;
	}
	char *filter = wl_join_args(argc, argv, optind);
	cfg.filter = filter;
	char err[512];
	struct wl_source *src = wl_source_live(&cfg, err, sizeof err);
	free(filter);
	if (!src) {
		wl_err("%s", err);
		wl_view_free(&v);
		return WL_EXIT_USAGE;
	}
	struct wl_writer *w = NULL;
	if (out && !(w = wl_writer_open(out, wl_source_linktype(src), wl_source_snaplen(src), err, sizeof err))) {
		wl_err("%s", err);
		wl_source_close(src);
		return WL_EXIT_USAGE;
	}
	if (wl_drop_privileges(user, err, sizeof err) < 0 && strcmp(user, "nobody") != 0) {
		wl_err("%s", err);
		wl_writer_close(w, err, sizeof err);
		wl_source_close(src);
		return WL_EXIT_USAGE;
	}
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "wirelab: capturing on %s%s%s\n", cfg.iface, out ? ", writing " : "", out ? out : "");

	FILE *o = stdout;
	if (quiet && !(o = fopen("/dev/null", "w")))
		o = stdout;
	struct wl_run_result res;
	int rc = wl_run_source(src, &v, w, &capture_stop, o, &res, err, sizeof err);
	wl_view_free(&v);
	if (o != stdout)
		fclose(o);
	char werr[256] = "";
	int wrc = wl_writer_close(w, werr, sizeof werr);
	wl_source_close(src);
	fprintf(stderr, "wirelab: %llu packets captured, %llu dropped by the kernel, %llu dropped by the queue\n",
		(unsigned long long)res.cap.received, (unsigned long long)res.cap.kernel_drops,
		(unsigned long long)res.cap.queue_drops);
	if (wrc < 0) {
		wl_err("%s: %s (what was written before is readable)", out, werr);
		return WL_EXIT_FAIL;
	}
	if (rc < 0) {
		wl_err("%s", err);
		return WL_EXIT_FAIL;
	}
	if (res.query_warning[0])
		wl_err("%s", res.query_warning);
	return WL_EXIT_OK;
}
