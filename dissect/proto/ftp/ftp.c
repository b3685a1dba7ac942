/* ftp.c - FTP control connection: requests, replies (multi-line joined),
 * pairing, reply classes, data connection set-up (PASV, EPSV, PORT, EPRT)
 * announced to the engine so the data connection is dissected as ftp-data.
 *
 * RFC 959 (FTP), RFC 1123 4.1 (clients scan the 227 reply for the numbers),
 * RFC 1635 (anonymous FTP), RFC 2389 (FEAT), RFC 2428 (EPRT/EPSV),
 * RFC 3659 (SIZE, MDTM, MLSD), RFC 4217 (AUTH TLS).
 *
 * The control connection is lines of text ending in CRLF (Telnet NVT):
 *
 *   client:  COMMAND [SP argument] CRLF          "RETR big.bin\r\n"
 *   server:  DDD SP text CRLF                    "226 Transfer complete.\r\n"
 *            DDD-first line CRLF                 "211-Features:\r\n"
 *            any text CRLF ...                   " EPSV\r\n"
 *            DDD SP last line CRLF               "211 End\r\n"
 *
 *   reply code DDD: 1 preliminary | 2 success | 3 needs more | 4 transient
 *                   | 5 permanent;  second digit: 0 syntax 1 information
 *                   2 connections 3 authentication 5 file system
 *
 *   227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)   port = p1 * 256 + p2
 *   229 Entering Extended Passive Mode (|||port|)   any delimiter 33..126
 *   PORT h1,h2,h3,h4,p1,p2      EPRT |af|address|port|   (af 1 IPv4, 2 IPv6)
 *
 * Fields are per frame, as tshark's: each message carries the code and the
 * text of the reply lines that arrived in its frame. A multi-line reply is
 * one message (ladder line) at the frame of its last line, with the whole
 * text in wl.ftp.response.text; its earlier frames get "response-part"
 * messages, hidden in the ladder unless -v. Lines are assembled here, not in
 * the engine, so that a line without CRLF at the end of the stream is still
 * shown and a line longer than LINE_CAP is cut (the rest is skipped).
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl.h"

#define LINE_CAP 4096     /* bytes kept of one line; the rest is skipped */
#define TEXT_CAP 2048     /* joined text of a multi-line reply */
#define QUEUE 16          /* requests waiting for a reply */
#define LABEL_MAX 96

enum { LF_CUT = 1, LF_NOEOL = 2, LF_DAMAGED = 4 };

/* Line and reply buffers grow to their caps on demand: control lines are
 * short, and a flow's state is made for every FTP connection seen. */
struct line {
	uint8_t *buf;         /* cap bytes, up to LINE_CAP */
	size_t cap;
	size_t len;
	uint64_t total;       /* the line's real length */
	unsigned flags;
	int seg_start;        /* it began a segment: the line tshark dissects there */
};

struct pending {
	char cmd[8];          /* upper case */
	char text[64];        /* "RETR big.bin", for the pairing note */
	uint64_t frame;
};

/* A multi-line reply being collected. */
struct reply {
	int open;
	unsigned code;
	unsigned lines;
	unsigned flags;
	char text[TEXT_CAP];  /* lines joined by '\n' */
	size_t tlen;
};

/* The first reply line of the current stream call (one segment) as tshark
 * 4.0 reads it: of a segment it dissects only the first line (the code if it
 * starts with three digits, the text after them); the other lines it shows
 * as text without a field. */
struct seg {
	int have;             /* seen, not yet given to a message */
	int coded;
	unsigned code;
	size_t len;
	uint8_t *buf;         /* the text after the code, cap bytes up to LINE_CAP */
	size_t cap;
	unsigned lines;       /* reply lines in this call */
	char first[80];       /* the first of them, for a reply-part's ladder text */
};

/* The data connection announced last. */
struct data_setup {
	int have, bound;
	int af;
	uint8_t addr[16];
	uint16_t port;
	const char *method;   /* PASV, EPASV, PORT, EPRT (tshark's names) */
	uint64_t frame;
	uint64_t cmd_frame;   /* the transfer command that uses it */
	char cmd[LABEL_MAX];
};

struct ftp {
	struct line line[2];
	struct reply rep;
	struct seg seg;
	struct pending q[QUEUE];
	unsigned qhead, qlen;
	struct data_setup data;
	unsigned replies;
	/* tshark 4.0 dissects only the first line of each segment: ts_first,
	 * the line being handled began a segment; named, its message may carry
	 * the Wireshark names of what the line holds (the code, PASV's address). */
	int ts_first, named;
	uint64_t rr_frame[2]; /* the frame that has its ftp.request/ftp.response */
	char user[64];
	int anonymous;
	int tls;              /* after 234 to AUTH: the rest is TLS */
	const struct wl_dissector *tls_d;
	void *tls_st;
	uint64_t tls_bytes[2];
};

/* ---- tables ---- */

#define CMD4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define CMD3(a, b, c) CMD4(a, b, c, ' ')

static const struct wl_tok commands[] = {
	{ CMD4('U', 'S', 'E', 'R'), "client names the account" },
	{ CMD4('P', 'A', 'S', 'S'), "client sends the password" },
	{ CMD4('A', 'C', 'C', 'T'), "client sends account information" },
	{ CMD3('C', 'W', 'D'), "change the working directory" },
	{ CMD4('C', 'D', 'U', 'P'), "change to the parent directory" },
	{ CMD3('P', 'W', 'D'), "ask for the working directory" },
	{ CMD4('S', 'Y', 'S', 'T'), "ask for the server's system type" },
	{ CMD4('F', 'E', 'A', 'T'), "ask which extensions the server has (RFC 2389)" },
	{ CMD4('O', 'P', 'T', 'S'), "set an option of a command (RFC 2389)" },
	{ CMD4('T', 'Y', 'P', 'E'), "set the transfer type: A = ASCII text, I = image (bytes as they are)" },
	{ CMD4('M', 'O', 'D', 'E'), "set the transfer mode (S = stream)" },
	{ CMD4('S', 'T', 'R', 'U'), "set the file structure (F = file)" },
	{ CMD4('P', 'A', 'S', 'V'), "passive mode: ask the server to listen for the data connection" },
	{ CMD4('E', 'P', 'S', 'V'), "extended passive mode: ask for a port to connect to (RFC 2428)" },
	{ CMD4('P', 'O', 'R', 'T'), "active mode: the server is to connect to the client at this address and port" },
	{ CMD4('E', 'P', 'R', 'T'), "extended active mode: the server is to connect here (RFC 2428)" },
	{ CMD4('L', 'I', 'S', 'T'), "ask for a directory listing over the data connection" },
	{ CMD4('N', 'L', 'S', 'T'), "ask for a list of names over the data connection" },
	{ CMD4('M', 'L', 'S', 'D'), "ask for a machine-readable listing (RFC 3659)" },
	{ CMD4('M', 'L', 'S', 'T'), "ask for the facts of one file (RFC 3659)" },
	{ CMD4('R', 'E', 'T', 'R'), "download a file over the data connection" },
	{ CMD4('S', 'T', 'O', 'R'), "upload a file over the data connection" },
	{ CMD4('S', 'T', 'O', 'U'), "upload a file under a unique name" },
	{ CMD4('A', 'P', 'P', 'E'), "append to a file over the data connection" },
	{ CMD4('R', 'E', 'S', 'T'), "restart the next transfer at an offset" },
	{ CMD4('S', 'I', 'Z', 'E'), "ask for a file's size (RFC 3659)" },
	{ CMD4('M', 'D', 'T', 'M'), "ask for a file's modification time (RFC 3659)" },
	{ CMD4('D', 'E', 'L', 'E'), "delete a file" },
	{ CMD3('M', 'K', 'D'), "make a directory" },
	{ CMD3('R', 'M', 'D'), "remove a directory" },
	{ CMD4('R', 'N', 'F', 'R'), "rename from" },
	{ CMD4('R', 'N', 'T', 'O'), "rename to" },
	{ CMD4('A', 'B', 'O', 'R'), "abort the transfer in progress" },
	{ CMD4('A', 'L', 'L', 'O'), "reserve space" },
	{ CMD4('S', 'I', 'T', 'E'), "a server-specific command" },
	{ CMD4('S', 'T', 'A', 'T'), "ask for status" },
	{ CMD4('H', 'E', 'L', 'P'), "ask for help" },
	{ CMD4('N', 'O', 'O', 'P'), "do nothing (keeps the connection alive)" },
	{ CMD4('Q', 'U', 'I', 'T'), "end the session" },
	{ CMD4('R', 'E', 'I', 'N'), "log out, keep the connection" },
	{ CMD4('A', 'U', 'T', 'H'), "ask to protect the control connection with TLS (RFC 4217)" },
	{ CMD4('P', 'B', 'S', 'Z'), "protection buffer size (RFC 4217)" },
	{ CMD4('P', 'R', 'O', 'T'), "data connection protection level (RFC 4217)" },
	{ CMD3('C', 'C', 'C'), "clear the control channel (RFC 4217)" },
	{ CMD4('H', 'O', 'S', 'T'), "name the virtual host (RFC 7151)" },
	{ CMD4('C', 'L', 'N', 'T'), "client names its software (not standard)" },
	{ 0, NULL }
};

static const struct wl_tok reply_codes[] = {
	{ 110, "restart marker" },
	{ 120, "service ready in a few minutes" },
	{ 125, "data connection already open, transfer starting" },
	{ 150, "opening the data connection" },
	{ 200, "command okay" },
	{ 202, "command not needed here" },
	{ 211, "system status or feature list" },
	{ 212, "directory status" },
	{ 213, "file status" },
	{ 214, "help message" },
	{ 215, "system type" },
	{ 220, "service ready: the server's greeting" },
	{ 221, "closing the control connection" },
	{ 225, "data connection open, no transfer" },
	{ 226, "transfer complete, closing the data connection" },
	{ 227, "entering passive mode: connect to the address and port given" },
	{ 228, "entering long passive mode" },
	{ 229, "entering extended passive mode: connect to the port given" },
	{ 230, "user logged in" },
	{ 231, "user logged out" },
	{ 232, "logout will follow the transfer" },
	{ 234, "security exchange okay: TLS follows" },
	{ 250, "file action okay, completed" },
	{ 257, "path name created or named" },
	{ 331, "user name okay, the password is needed" },
	{ 332, "an account is needed for login" },
	{ 350, "file action pending further information" },
	{ 421, "service not available, closing the control connection" },
	{ 425, "cannot open the data connection" },
	{ 426, "connection closed, transfer aborted" },
	{ 430, "invalid user name or password" },
	{ 450, "file unavailable (busy)" },
	{ 451, "action aborted: local error" },
	{ 452, "insufficient storage" },
	{ 500, "syntax error, command unrecognised" },
	{ 501, "syntax error in the arguments" },
	{ 502, "command not implemented" },
	{ 503, "bad sequence of commands" },
	{ 504, "parameter not implemented" },
	{ 530, "not logged in" },
	{ 532, "an account is needed to store files" },
	{ 534, "request denied for policy reasons" },
	{ 550, "file unavailable (not found, no access)" },
	{ 551, "page type unknown" },
	{ 552, "exceeded storage allocation" },
	{ 553, "file name not allowed" },
	{ 0, NULL }
};

/* The first digit: what the client does next. (The second names the topic:
 * 0 syntax, 1 information, 2 connections, 3 authentication, 5 file system.) */
static const struct wl_tok reply_class[] = {
	{ 1, "1xx preliminary, a final reply follows" },
	{ 2, "2xx success" },
	{ 3, "3xx needs more" },
	{ 4, "4xx transient failure, may work later" },
	{ 5, "5xx permanent failure" },
	{ 0, NULL }
};

/* Commands whose data goes over the data connection. */
static const struct wl_tok transfer_cmds[] = {
	{ CMD4('L', 'I', 'S', 'T'), "LIST" }, { CMD4('N', 'L', 'S', 'T'), "NLST" },
	{ CMD4('M', 'L', 'S', 'D'), "MLSD" }, { CMD4('R', 'E', 'T', 'R'), "RETR" },
	{ CMD4('S', 'T', 'O', 'R'), "STOR" }, { CMD4('S', 'T', 'O', 'U'), "STOU" },
	{ CMD4('A', 'P', 'P', 'E'), "APPE" }, { 0, NULL }
};

static uint32_t cmd_key(const char *cmd)
{
	char k[4] = { ' ', ' ', ' ', ' ' };
	for (size_t i = 0; i < 4 && cmd[i]; i++)
		k[i] = cmd[i];
	if (cmd[0] && cmd[1] && cmd[2] && cmd[3] && cmd[4])
		return 0;
	return CMD4((uint8_t)k[0], (uint8_t)k[1], (uint8_t)k[2], (uint8_t)k[3]);
}

/* ---- small text helpers (on copies of packet bytes) ---- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* A printable copy of p[0..n) for the ladder text. */
/* The bytes of c as printable text for notes and the ladder ('.' for others). */
static void clean(char *out, size_t cap, struct wl_cur c)
{
	wl_text(&c, wl_left(&c), out, cap, '.');
}

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'a' && *a <= 'z' ? (char)(*a - 32) : *a;
		char y = *b >= 'a' && *b <= 'z' ? (char)(*b - 32) : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Reads a decimal number of at most 10 digits; -1 when there is none. */
static long long read_num(struct wl_cur *c)
{
	long long v = 0;
	int n = 0;
	while (is_digit(wl_peek(c, 0)) && n < 10) {
		v = v * 10 + (wl_u8(c) - '0');
		n++;
	}
	return n ? v : -1;
}

/* ---- data connection set-up ---- */

/* Six comma-separated numbers anywhere in the text (RFC 1123 4.1.2.6: do not
 * rely on the parentheses). 1 found, 0 none; *bad names a number over 255. */
static int scan_six(struct wl_cur c, long long v[6], int *paren, long long *bad)
{
	*bad = -1;
	*paren = 0;
	while (wl_left(&c)) {
		if (!is_digit(wl_peek(&c, 0))) {
			*paren |= wl_u8(&c) == '(';
			continue;
		}
		struct wl_cur t = c;
		int i;
		for (i = 0; i < 6; i++) {
			v[i] = read_num(&t);
			if (v[i] < 0)
				break;
			if (i < 5 && wl_peek(&t, 0) != ',')
				break;
			if (i < 5)
				wl_skip(&t, 1);
		}
		if (i == 6) {
			for (i = 0; i < 6; i++)
				if (v[i] > 255)
					*bad = v[i];
			return 1;
		}
		while (is_digit(wl_peek(&c, 0)))
			wl_skip(&c, 1);
	}
	return 0;
}

/* Appends s at offset o of dst (cap > o), cut to what fits, as snprintf's
 * "%s" would: the offset after all of s. No format parsed for a plain copy. */
static size_t cat_cut(char *dst, size_t cap, size_t o, const char *s)
{
	size_t len = strlen(s), room = cap - 1 - (o < cap - 1 ? o : cap - 1);
	size_t k = len < room ? len : room;
	if (o < cap - 1) {
		memcpy(dst + o, s, k);
		dst[o + k] = '\0';
	}
	return o + len;
}

/* The label ftp_data.c reads: "METHOD\tSETUP-FRAME\tCOMMAND-FRAME\tSIZE\tCOMMAND",
 * SIZE being the byte count a 150 reply announced, or empty. */
static void make_label(char *out, size_t n, const struct data_setup *d, long long size)
{
	char sz[24] = "";
	if (size >= 0)
		wl_snprintf(sz, sizeof sz, "%lld", size);
	/* a long command is cut: the label only names it */
	if (wl_snprintf(out, n, "%s\t%llu\t%llu\t%s\t%s", d->method, (unsigned long long)d->frame,
		     (unsigned long long)d->cmd_frame, sz, d->cmd) >= (int)n)
		out[n - 1] = '\0';
}

static void announce(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, int af,
		     const uint8_t *addr, uint16_t port, const char *method)
{
	struct data_setup *d = &s->data;
	memset(d, 0, sizeof *d);
	d->have = 1;
	d->af = af;
	memcpy(d->addr, addr, af == 4 ? 4 : 16);
	d->port = port;
	d->method = method;
	d->frame = wl_frame(ctx);
	char label[LABEL_MAX];
	make_label(label, sizeof label, d, -1);
	wl_expect(ctx, af, addr, port, 1, "ftp-data", label);
	char a[INET6_ADDRSTRLEN] = "?";
	inet_ntop(af == 4 ? AF_INET : AF_INET6, addr, a, sizeof a);
	wl_note(m, WL_INFO, "the next connection to %s%s%s:%u is this session's data connection",
		af == 6 ? "[" : "", a, af == 6 ? "]" : "", port);
}

/* 227: the server listens at h1.h2.h3.h4, port p1 * 256 + p2. */
static void parse_pasv(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	long long v[6], bad;
	int paren;
	if (!scan_six(c, v, &paren, &bad)) {
		wl_note(m, WL_ERROR, "malformed: 227 reply without h1,h2,h3,h4,p1,p2");
		return;
	}
	if (bad >= 0) {
		wl_note(m, WL_ERROR, "malformed: %lld in the 227 reply is not a byte (0-255)", bad);
		return;
	}
	uint8_t ip[4] = { (uint8_t)v[0], (uint8_t)v[1], (uint8_t)v[2], (uint8_t)v[3] };
	uint16_t port = (uint16_t)(v[4] * 256 + v[5]);
	uint8_t srv[16];
	int af = wl_flow_addr(ctx, WL_S2C, srv);
	int nat = af == 4 && memcmp(srv, ip, 4) != 0;
	if (s->named) {
		wl_f_ipv4(m, "ftp.passive.ip", ip);
		wl_f_uint(m, "ftp.passive.port", port);
		if (nat)  /* tshark names it only when it is true */
			wl_f_bool(m, "ftp.passive.nat", nat);
	}
	if (!paren)
		wl_note(m, WL_INFO, "no parentheses around the numbers: clients scan for them (RFC 1123 4.1.2.6)");
	if (port == 0)
		wl_note(m, WL_WARN, "passive port 0: no client can connect there");
	if (nat)
		wl_note(m, WL_INFO, "the address differs from the server's (NAT or a third host): "
			"the data connection is expected at the server's address");
	/* The client meets the server where it reached it: a NATed server often
	 * announces its private address (and curl ignores it by default). */
	if (af == 4 || af == 6)
		announce(s, ctx, m, af, srv, port, "PASV");
}

/* 229 (|||port|): RFC 2428 allows any delimiter from 33 to 126, the same thrice. */
static void parse_epsv(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	long open = wl_find(&c, '(');
	if (open < 0) {
		wl_note(m, WL_ERROR, "malformed: 229 reply without (<d><d><d>port<d>)");
		return;
	}
	wl_skip(&c, (size_t)open + 1);
	int d = wl_peek(&c, 0);
	if (d < 33 || d > 126 || is_digit(d)) {
		wl_note(m, WL_ERROR, "malformed: 229 reply: the delimiter must be a printable character, not a digit");
		return;
	}
	int ok = wl_u8(&c) == d && wl_u8(&c) == d && wl_u8(&c) == d;
	long long port = ok ? read_num(&c) : -1;
	ok = ok && port >= 0 && wl_u8(&c) == d && wl_u8(&c) == ')';
	if (!ok || !wl_ok(&c)) {
		wl_note(m, WL_ERROR, "malformed: 229 reply is not (%c%c%cport%c)", d, d, d, d);
		return;
	}
	if (port > 65535) {
		wl_note(m, WL_ERROR, "malformed: 229 reply: port %lld is over 65535", port);
		return;
	}
	uint8_t srv[16];
	int af = wl_flow_addr(ctx, WL_S2C, srv);
	if (s->named) {
		/* the address is the server's own, as tshark adds it (-v) */
		if (af == 4 && wl_opts(ctx)->verbose)
			wl_f_ipv4(m, "ftp.epsv.ip", srv);
		else if (af == 6 && wl_opts(ctx)->verbose)
			wl_f_ipv6(m, "ftp.epsv.ipv6", srv);
		wl_f_uint(m, "ftp.epsv.port", (uint64_t)port);
	}
	if (d != '|')
		wl_note(m, WL_INFO, "delimiter '%c' instead of the usual '|' (RFC 2428 allows 33-126)", d);
	if (af == 4 || af == 6)
		announce(s, ctx, m, af, srv, (uint16_t)port, "EPASV");
}

/* PORT h1,h2,h3,h4,p1,p2: the client listens there. */
static void parse_port(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	long long v[6], bad;
	int paren;
	if (!scan_six(c, v, &paren, &bad)) {
		wl_note(m, WL_ERROR, "malformed: PORT without h1,h2,h3,h4,p1,p2");
		return;
	}
	if (bad >= 0) {
		wl_note(m, WL_ERROR, "malformed: %lld in PORT is not a byte (0-255)", bad);
		return;
	}
	uint8_t ip[4] = { (uint8_t)v[0], (uint8_t)v[1], (uint8_t)v[2], (uint8_t)v[3] };
	uint16_t port = (uint16_t)(v[4] * 256 + v[5]);
	uint8_t cli[16];
	int af = wl_flow_addr(ctx, WL_C2S, cli);
	int nat = af == 4 && memcmp(cli, ip, 4) != 0;
	if (s->named) {
		wl_f_ipv4(m, "ftp.active.cip", ip);
		wl_f_uint(m, "ftp.active.port", port);
		if (nat)  /* tshark names it only when it is true */
			wl_f_bool(m, "ftp.active.nat", nat);
	}
	if (nat)
		wl_note(m, WL_INFO, "the address differs from the client's (NAT or a third host)");
	if (af == 4 || af == 6) {
		uint8_t srv[16] = { 0 };
		announce(s, ctx, m, af, nat ? cli : ip, port, "PORT");
		/* tshark's conversation for it: the server's port 20, any port of ip
		 * (a server of the other family: one no connection is in) */
		if (wl_flow_addr(ctx, WL_S2C, srv) != af)
			memset(srv, 0, sizeof srv);
		wl_expect_premade(ctx, af, nat ? cli : ip, port, 1, srv, 20, ip);
	}
}

/* EPRT |af|address|port| */
static void parse_eprt(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, struct wl_cur c)
{
	int d = wl_u8(&c);
	long long af = read_num(&c);
	int ok = d >= 33 && d <= 126 && wl_u8(&c) == d && (af == 1 || af == 2);
	long end = ok ? wl_find(&c, (uint8_t)d) : -1;
	char text[INET6_ADDRSTRLEN + 1] = "";
	if (end > 0 && (size_t)end < sizeof text)
		wl_copy(&c, text, (size_t)end);
	else
		ok = 0;
	long long port = -1;
	if (ok && wl_u8(&c) == d) {
		port = read_num(&c);
		ok = port >= 0 && port <= 65535 && wl_u8(&c) == d && wl_ok(&c);
	} else {
		ok = 0;
	}
	uint8_t addr[16];
	if (ok)
		ok = inet_pton(af == 1 ? AF_INET : AF_INET6, text, addr) == 1;
	if (!ok) {
		wl_note(m, WL_ERROR, "malformed: EPRT arguments must be |af|address|port| (af 1 or 2)");
		return;
	}
	if (s->named) {
		wl_f_uint(m, "ftp.eprt.af", (uint64_t)af);
		if (af == 1)
			wl_f_ipv4(m, "ftp.eprt.ip", addr);
		else
			wl_f_ipv6(m, "ftp.eprt.ipv6", addr);
		wl_f_uint(m, "ftp.eprt.port", (uint64_t)port);
	}
	announce(s, ctx, m, af == 1 ? 4 : 6, addr, (uint16_t)port, "EPRT");
	/* tshark's conversation for it: the client's port, any port of addr
	 * (so only a connection within the client's host, on port) */
	uint8_t cli[16];
	if (wl_flow_addr(ctx, WL_C2S, cli) == (af == 1 ? 4 : 6))
		wl_expect_premade(ctx, af == 1 ? 4 : 6, addr, (uint16_t)port, 1, cli, (uint16_t)port, addr);
}

/* The first transfer command after a set-up names the data connection. */
static void bind_data(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, const char *cmdline)
{
	struct data_setup *d = &s->data;
	if (!d->have || d->bound) {
		wl_note(m, WL_INFO, "no PASV/EPSV/PORT/EPRT before it: the data connection uses the "
			"default ports (RFC 959: from the server's port 20)");
		return;
	}
	d->bound = 1;
	d->cmd_frame = wl_frame(ctx);
	cat_cut(d->cmd, sizeof d->cmd, 0, cmdline);
	char label[LABEL_MAX];
	make_label(label, sizeof label, d, -1);
	wl_expect_label(ctx, d->af, d->addr, d->port, 1, label);
	/* EPASV is tshark's name for the method (ftp-data.setup-method); the command is EPSV */
	wl_note(m, WL_INFO, "uses the data connection set up by %s in frame %llu",
		strcmp(d->method, "EPASV") == 0 ? "EPSV" : d->method, (unsigned long long)d->frame);
}

/* ---- requests ---- */

static void queue_push(struct ftp *s, const char *cmd, const char *text, uint64_t frame)
{
	if (s->qlen == QUEUE) {
		s->qhead = (s->qhead + 1) % QUEUE;
		s->qlen--;
	}
	struct pending *p = &s->q[(s->qhead + s->qlen) % QUEUE];
	cat_cut(p->cmd, sizeof p->cmd, 0, cmd);
	cat_cut(p->text, sizeof p->text, 0, text);  /* cut: only for the pairing note */
	p->frame = frame;
	s->qlen++;
}

static void line_notes(struct wl_msg *m, const struct line *l)
{
	if (l->flags & LF_CUT)
		wl_note(m, WL_WARN, "line of %llu bytes cut to %u (longer than any FTP line should be)",
			(unsigned long long)l->total, LINE_CAP);
	if (l->flags & LF_NOEOL)
		wl_note(m, WL_WARN, "line without CRLF at the end of the stream");
	if (l->flags & LF_DAMAGED)
		wl_note(m, WL_WARN, "this line follows bytes missing from the capture");
}

static void request_notes(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m,
			  const char *cmd, struct wl_cur arg, const char *cmdline)
{
	uint32_t key = cmd_key(cmd);
	if (key == CMD4('U', 'S', 'E', 'R')) {
		clean(s->user, sizeof s->user, arg);
		s->anonymous = ieq(s->user, "anonymous") || ieq(s->user, "ftp");
		if (s->anonymous)
			wl_note(m, WL_INFO, "anonymous login (RFC 1635): a public account; by custom "
				"the password is an e-mail address");
	} else if (key == CMD4('P', 'O', 'R', 'T')) {
		parse_port(s, ctx, m, arg);
	} else if (key == CMD4('E', 'P', 'R', 'T')) {
		parse_eprt(s, ctx, m, arg);
	} else if (wl_tok(transfer_cmds, key, NULL)) {
		bind_data(s, ctx, m, cmdline);
	}
}

/* The line's bytes; never NULL, so an empty line is an empty string. */
static const uint8_t *line_bytes(const struct line *l)
{
	static const uint8_t empty[1];
	return l->buf ? l->buf : empty;
}

/* ftp.request and ftp.response (-v): tshark puts both on every FTP frame. */
static void rr_fields(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, enum wl_dir dir)
{
	uint64_t fr = wl_frame(ctx);
	if (!wl_opts(ctx)->verbose || s->rr_frame[dir] == fr)
		return;
	s->rr_frame[dir] = fr;
	wl_f_bool(m, "ftp.request", dir == WL_C2S);
	wl_f_bool(m, "ftp.response", dir == WL_S2C);
}

static void handle_request(struct ftp *s, struct wl_ctx *ctx, const struct line *l)
{
	struct wl_cur c = wl_cur_make(line_bytes(l), l->len);
	long sp = wl_find(&c, ' ');
	size_t tlen = sp < 0 ? l->len : (size_t)sp;
	struct wl_cur tokc = wl_sub(&c, tlen);
	while (wl_peek(&c, 0) == ' ')
		wl_skip(&c, 1);
	struct wl_cur arg = c;
	size_t alen = wl_left(&arg);

	char cmd[8] = "";
	for (size_t i = 0; i < tlen && i < sizeof cmd - 1; i++) {
		int b = wl_peek(&tokc, i);
		cmd[i] = b >= 'a' && b <= 'z' ? (char)(b - 32) : (char)b;
	}
	uint32_t key = tlen <= 4 ? cmd_key(cmd) : 0;
	char argtext[256], tokt[32];
	clean(argtext, sizeof argtext, arg);
	clean(tokt, sizeof tokt, tokc);
	struct wl_cur argb = arg;
	const uint8_t *tok = wl_bytes(&tokc, tlen), *argp = wl_bytes(&argb, alen);
	char cmdline[LABEL_MAX];
	/* a long argument is cut: the label and notes name its start */
	size_t cl = cat_cut(cmdline, sizeof cmdline, 0, tokt);
	cl = cat_cut(cmdline, sizeof cmdline, cl, alen ? " " : "");
	cat_cut(cmdline, sizeof cmdline, cl, argtext);

	struct wl_msg *m = wl_msg_new(ctx, "ftp", "request", WL_C2S);
	rr_fields(s, ctx, m, WL_C2S);
	int pass = key == CMD4('P', 'A', 'S', 'S');
	/* Wireshark's names for the line tshark dissects (the first of its
	 * segment), wl.ftp.request.* for a command it leaves as text */
	s->named = s->ts_first;
	const char *cmd_f = s->named ? "ftp.request.command" : "wl.ftp.request.command";
	const char *arg_f = s->named ? "ftp.request.arg" : "wl.ftp.request.arg";
	if (tlen)
		wl_f_str(m, cmd_f, tok, tlen);
	if (alen && pass)
		wl_f_secret(m, arg_f, argp, alen);
	else if (alen)
		wl_f_str(m, arg_f, argp, alen);

	if (pass) {
		wl_msg_text(m, "PASS %s", wl_secret(ctx, argtext));
		const char *tunnel = wl_carrier(ctx);
		if (tunnel) {
			wl_note(m, WL_INFO, "the password travels inside %s: hidden on the wire, yet in the "
				"clear for the server and for anyone holding the session keys", tunnel);
		} else {
			wl_note(m, WL_WARN, "password sent in clear text: anyone who sees the packets can read it");
			wl_flow_fact(ctx, "cleartext password", "for %s in frame %llu",
				     s->user[0] ? s->user : "?", (unsigned long long)wl_frame(ctx));
		}
	} else {
		wl_msg_text(m, "%s", cmdline);
		const char *what = key ? wl_tok(commands, key, NULL) : NULL;
		if (!tlen)
			wl_note(m, WL_ERROR, "malformed: empty command line");
		else if (what)
			wl_note(m, WL_INFO, "%s", what);
		else
			wl_note(m, WL_INFO, "command %s is not in RFC 959 or its extensions", tokt);
	}
	line_notes(m, l);
	request_notes(s, ctx, m, cmd, arg, cmdline);
	wl_msg_emit(ctx, m);
	queue_push(s, cmd, pass ? "PASS" : cmdline, wl_frame(ctx));
}

/* ---- replies ---- */

/* Room for need bytes in *buf, grown by doubling up to max; 0 if there is none. */
static int buf_room(uint8_t **buf, size_t *cap, size_t need, size_t max)
{
	if (need <= *cap)
		return 1;
	if (need > max)
		return 0;
	size_t ncap = *cap ? *cap : 128;
	while (ncap < need)
		ncap *= 2;
	if (ncap > max)
		ncap = max;
	uint8_t *nb = realloc(*buf, ncap);
	if (!nb)
		return 0;
	*buf = nb;
	*cap = ncap;
	return 1;
}

/* Records the segment's first reply line as tshark reads it: three digits
 * and one more byte (whatever it is) are the code, the rest the text; a
 * line without the digits is all text. */
static void seg_first(struct seg *g, struct wl_cur t)
{
	size_t n = wl_left(&t);
	int d0 = wl_peek(&t, 0), d1 = wl_peek(&t, 1), d2 = wl_peek(&t, 2);
	g->have = 1;
	g->coded = n >= 3 && is_digit(d0) && is_digit(d1) && is_digit(d2);
	g->code = g->coded ? (unsigned)((d0 - '0') * 100 + (d1 - '0') * 10 + (d2 - '0')) : 0;
	if (g->coded)
		wl_skip(&t, n >= 4 ? 4 : n);
	/* tshark's string ends at a NUL byte (its value is a C string) */
	long nul = wl_find(&t, 0);
	g->len = nul < 0 ? wl_left(&t) : (size_t)nul;
	if (!buf_room(&g->buf, &g->cap, g->len, LINE_CAP))
		g->len = 0;
	if (g->len)
		wl_copy(&t, g->buf, g->len);
}

/* The segment's first line under Wireshark's names, once; 1 if it is the
 * code line of the reply with code (so the reply's details may be named). */
static int seg_fields(struct wl_msg *m, struct seg *g, unsigned code)
{
	if (!g->have)
		return 0;
	g->have = 0;
	if (g->coded)
		wl_f_uint(m, "ftp.response.code", g->code);
	if (g->len)
		wl_f_str(m, "ftp.response.arg", g->buf, g->len);
	return g->coded && g->code == code;
}

static void text_add(struct reply *r, const uint8_t *p, size_t n)
{
	if (r->tlen && r->tlen + 1 < TEXT_CAP)
		r->text[r->tlen++] = '\n';
	size_t room = TEXT_CAP - 1 - r->tlen;
	if (n > room)
		n = room;
	memcpy(r->text + r->tlen, p, n);
	r->tlen += n;
	r->text[r->tlen] = '\0';
}

/* The joined text on one line: lines separated by a blank, leading blanks dropped. */
static void ladder_text(char *out, size_t cap, const struct reply *r)
{
	size_t o = 0;
	int blank = 1;
	for (size_t i = 0; i < r->tlen && o + 1 < cap; i++) {
		char ch = r->text[i] == '\n' ? ' ' : r->text[i];
		if (ch == ' ' && blank)
			continue;
		blank = ch == ' ';
		out[o++] = ch >= 0x20 && ch < 0x7f ? ch : '.';
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

static void login_facts(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, unsigned code,
			const struct pending *req)
{
	if (code == 230) {
		wl_flow_fact(ctx, "login", "%s%s", s->user[0] ? s->user : "?",
			     s->anonymous && !ieq(s->user, "anonymous") ? " (anonymous)" : "");
	} else if (code == 530 && req && (strcmp(req->cmd, "PASS") == 0 || strcmp(req->cmd, "USER") == 0)) {
		wl_note(m, WL_WARN, "login refused: wrong user name or password");
		wl_flow_fact(ctx, "login", "%s refused (530)", s->user[0] ? s->user : "?");
	}
}

/* "150 Opening BINARY mode data connection for f (1048576 bytes)." */
static void announced_size(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m)
{
	struct data_setup *d = &s->data;
	struct wl_cur c = wl_cur_make((const uint8_t *)s->rep.text, s->rep.tlen);
	while (d->have && d->bound && wl_left(&c)) {
		if (wl_u8(&c) != '(')
			continue;
		long long n = read_num(&c);
		struct wl_cur w = c;
		static const char bytes[] = " bytes)";
		char word[sizeof bytes - 1];
		if (n < 0 || !wl_copy(&w, word, sizeof word) || memcmp(word, bytes, sizeof word) != 0)
			continue;
		char label[LABEL_MAX];
		make_label(label, sizeof label, d, n);
		wl_expect_label(ctx, d->af, d->addr, d->port, 1, label);
		wl_note(m, WL_INFO, "the server announces %lld bytes: the data connection should carry as many", n);
		return;
	}
}

static void reply_specifics(struct ftp *s, struct wl_ctx *ctx, struct wl_msg *m, unsigned code,
			    const struct pending *req)
{
	struct wl_cur t = wl_cur_make((const uint8_t *)s->rep.text, s->rep.tlen);
	if (code == 227)
		parse_pasv(s, ctx, m, t);
	else if (code == 229)
		parse_epsv(s, ctx, m, t);
	else if (code == 234 && req && strcmp(req->cmd, "AUTH") == 0) {
		s->tls = 1;
		wl_note(m, WL_INFO, "from here the control connection is TLS: commands and passwords are hidden");
		wl_flow_fact(ctx, "control connection", "TLS after AUTH (RFC 4217)");
	} else if (code == 150 || code == 125) {
		announced_size(s, ctx, m);
	} else if (code == 221) {
		wl_note(m, WL_INFO, "the session ends");
	}
	login_facts(s, ctx, m, code, req);
}

/* " (to CMD in frame N)" into out (96 bytes hold it: cmd has at most 7),
 * by hand: it is written for nearly every reply. */
static void pairing_text(char *out, const struct pending *req)
{
	char d[WL_U64_DIGITS];
	size_t o = 0, k = strnlen(req->cmd, 8);
	memcpy(out, " (to ", 5);
	o = 5;
	memcpy(out + o, req->cmd, k);
	o += k;
	memcpy(out + o, " in frame ", 10);
	o += 10;
	k = wl_u64_dec(d + sizeof d, req->frame);
	memcpy(out + o, d + sizeof d - k, k);
	o += k;
	out[o++] = ')';
	out[o] = '\0';
}

/* Emits the finished reply (at the frame of its last line). */
static void finish_reply(struct ftp *s, struct wl_ctx *ctx)
{
	struct reply *r = &s->rep;
	struct seg *g = &s->seg;
	struct wl_msg *m = wl_msg_new(ctx, "ftp", "response", WL_S2C);
	rr_fields(s, ctx, m, WL_S2C);
	int first = g->have;
	s->named = seg_fields(m, g, r->code);
	/* what tshark leaves unnamed here (a reply that is not the first line
	 * of its segment, or ends in a later one) under wl. names */
	if (r->code && !s->named)
		wl_f_uint(m, "wl.ftp.response.code", r->code);
	if (!first && r->lines == 1 && r->tlen)
		wl_f_str(m, "wl.ftp.response.arg", r->text, r->tlen);
	if (r->lines > 1)
		wl_f_str(m, "wl.ftp.response.text", r->text, r->tlen);
	char text[256];
	ladder_text(text, sizeof text, r);
	const struct pending *req = s->qlen ? &s->q[s->qhead] : NULL;

	if (!r->code) {
		wl_msg_text(m, "%s", text);
		wl_note(m, WL_ERROR, "malformed: a reply line must start with a three-digit code");
	} else {
		wl_msg_text(m, "%u %s", r->code, text);
		const char *cls = wl_tok(reply_class, r->code / 100, "invalid reply code");
		const char *what = wl_tok(reply_codes, r->code, NULL);
		char to[96] = "";
		if (req)
			pairing_text(to, req);
		else if (s->replies)
			memcpy(to, " (no request waiting)", sizeof " (no request waiting)");
		wl_note(m, WL_INFO, "%s%s%s%s", cls, what ? ": " : "", what ? what : "", to);
		if (req) {
			wl_f_uint(m, "wl.ftp.request_frame", req->frame);
			wl_f_cstr(m, "wl.ftp.request_command", req->cmd);
		}
		if (r->code < 100 || r->code > 599)
			wl_note(m, WL_ERROR, "malformed: reply code %u is out of range", r->code);
		if (r->lines > 1)
			wl_note(m, WL_INFO, "multi-line reply: %u lines from %u- to %u joined", r->lines,
				r->code, r->code);
	}
	if (r->flags & LF_CUT)
		wl_note(m, WL_WARN, "a line of this reply was cut to %u bytes", LINE_CAP);
	if (r->flags & LF_NOEOL)
		wl_note(m, WL_WARN, "line without CRLF at the end of the stream");
	if (r->flags & LF_DAMAGED)
		wl_note(m, WL_WARN, "bytes of this reply are missing from the capture");
	if (r->code)
		reply_specifics(s, ctx, m, r->code, req);
	wl_msg_emit(ctx, m);

	/* a preliminary reply leaves the request waiting for its final reply */
	if (req && r->code / 100 != 1) {
		s->qhead = (s->qhead + 1) % QUEUE;
		s->qlen--;
	}
	s->replies++;
	g->have = 0;
	g->lines = 0;
	r->open = 0;
	r->code = r->lines = r->flags = 0;
	r->tlen = 0;
	r->text[0] = '\0';
}

/* A frame's lines of a reply that goes on: shown with -v only. */
static void reply_part(struct ftp *s, struct wl_ctx *ctx)
{
	struct seg *g = &s->seg;
	int going_on = s->rep.open && g->lines;
	if (!going_on && !g->have)
		return;
	struct wl_msg *m = wl_msg_new(ctx, "ftp", "response-part", WL_S2C);
	wl_msg_minor(m);
	rr_fields(s, ctx, m, WL_S2C);
	seg_fields(m, g, s->rep.code);
	if (going_on) {
		wl_msg_text(m, "%u- %s ...", s->rep.code, g->first);
		wl_note(m, WL_INFO, "multi-line reply goes on (%u lines so far)", s->rep.lines);
	} else {
		char head[80];
		clean(head, sizeof head, wl_cur_make(line_bytes(&s->line[WL_S2C]), s->line[WL_S2C].len));
		wl_msg_text(m, "%s ...", head);
		wl_note(m, WL_INFO, "the line goes on in the next segment");
	}
	wl_msg_emit(ctx, m);
	g->have = 0;
	g->lines = 0;
}

static void handle_reply_line(struct ftp *s, struct wl_ctx *ctx, const struct line *l)
{
	struct reply *r = &s->rep;
	struct wl_cur c = wl_cur_make(line_bytes(l), l->len);
	int d0 = wl_peek(&c, 0), d1 = wl_peek(&c, 1), d2 = wl_peek(&c, 2), sep = wl_peek(&c, 3);
	int coded = is_digit(d0) && is_digit(d1) && is_digit(d2);
	unsigned code = coded ? (unsigned)((d0 - '0') * 100 + (d1 - '0') * 10 + (d2 - '0')) : 0;
	/* tshark: after three digits skip one more byte, whatever it is */
	if (coded)
		wl_skip(&c, sep >= 0 ? 4 : 3);
	size_t alen = wl_left(&c);
	struct wl_cur argc = c;
	const uint8_t *arg = wl_bytes(&c, alen);

	struct seg *g = &s->seg;
	if (s->ts_first)
		seg_first(g, wl_cur_make(line_bytes(l), l->len));
	if (!g->lines++)
		clean(g->first, sizeof g->first, argc);
	r->flags |= l->flags;
	if (!r->open) {
		r->code = code;
		r->lines = 1;
		text_add(r, arg, alen);
		if (coded && sep == '-') {
			r->open = 1;
			return;
		}
		finish_reply(s, ctx);
		return;
	}
	r->lines++;
	text_add(r, arg, alen);
	if (coded && code == r->code && sep != '-')
		finish_reply(s, ctx);
}

/* ---- lines ---- */

static void handle_line(struct ftp *s, struct wl_ctx *ctx, enum wl_dir dir)
{
	struct line *l = &s->line[dir];
	struct wl_cur c = wl_cur_make(line_bytes(l), l->len);
	if (l->len && wl_peek(&c, l->len - 1) == '\r')
		l->len--;
	/* a line that began a segment is the one tshark dissects there (it
	 * lands on a later frame here when the line goes on into others) */
	s->ts_first = l->seg_start;
	if (dir == WL_C2S)
		handle_request(s, ctx, l);
	else
		handle_reply_line(s, ctx, l);
	l->len = 0;
	l->total = 0;
	l->flags = 0;
	l->seg_start = 0;
	s->ts_first = 0;
}

static void line_append(struct line *l, struct wl_cur *c, size_t n)
{
	size_t keep = LINE_CAP - l->len;
	if (n < keep)
		keep = n;
	if (!buf_room(&l->buf, &l->cap, l->len + keep, LINE_CAP)) {
		keep = 0;     /* out of memory: the line is cut */
		l->flags |= LF_CUT;
	}
	if (keep)
		wl_copy(c, l->buf + l->len, keep);
	wl_skip(c, n - keep);
	l->len += keep;
	l->total += n;
	if (l->total > LINE_CAP)
		l->flags |= LF_CUT;
}

/* After AUTH TLS: the bytes go to the TLS dissector when there is one (it
 * returns what it consumed; the engine keeps the rest), else one message. */
static size_t tls_bytes(struct ftp *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	size_t n = wl_left(&c);
	if (!s->tls_d) {
		s->tls_d = wl_engine_dissector(ctx, "tls");
		if (s->tls_d && s->tls_d->open && s->tls_d->stream)
			s->tls_st = s->tls_d->open(ctx);
	}
	if (s->tls_st)
		return s->tls_d->stream(s->tls_st, ctx, dir, c);
	struct wl_msg *m = wl_msg_new(ctx, "ftp", "tls", dir);
	wl_msg_text(m, "%zu bytes of TLS", n);
	wl_f_uint(m, "wl.ftp.tls_bytes", n);
	wl_note(m, WL_INFO, "encrypted control connection (after AUTH TLS)");
	if (s->tls_bytes[0] + s->tls_bytes[1])
		wl_msg_minor(m);
	s->tls_bytes[dir] += n;
	wl_msg_emit(ctx, m);
	return n;
}

static size_t ftp_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct ftp *s = st;
	size_t total = wl_left(&c);
	struct line *l = &s->line[dir];
	if (dir == WL_S2C && l->total && !s->tls) {
		/* the segment goes on with a line begun in an earlier one: tshark
		 * dissects its tail as this segment's first line */
		size_t eol = 0;
		long n = wl_find_eol(&c, &eol);
		size_t tail = n < 0 ? total : (size_t)n;
		if (tail)
			seg_first(&s->seg, wl_at(&c, 0, tail));
		l->seg_start = 0;
	}
	while (wl_left(&c) && !s->tls) {
		size_t eol = 0;
		long n = wl_find_eol(&c, &eol);
		if (!l->total)
			l->seg_start = wl_left(&c) == total;
		if (n < 0) {
			line_append(l, &c, wl_left(&c));
			break;
		}
		/* a CR ending the previous segment and this LF make one CRLF */
		line_append(l, &c, (size_t)n);
		wl_skip(&c, eol);
		handle_line(s, ctx, dir);
	}
	if (dir == WL_S2C && l->total && l->seg_start && !s->tls) {
		/* a line begun here goes on into the next segment: tshark
		 * dissects what this segment has of it, on this frame */
		size_t n = l->len;
		if (n && line_bytes(l)[n - 1] == '\r')
			n--;   /* a CR here, its LF in the next segment */
		seg_first(&s->seg, wl_cur_make(line_bytes(l), n));
		l->seg_start = 0;
	}
	if (dir == WL_S2C)
		reply_part(s, ctx);
	if (s->tls && wl_left(&c)) {
		size_t rest = wl_left(&c);
		size_t used = tls_bytes(s, ctx, dir, c);
		return total - rest + (used < rest ? used : rest);
	}
	return total;
}

static void ftp_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct ftp *s = st;
	struct line *l = &s->line[dir];
	if (s->tls)
		return;
	l->len = 0;
	l->total = 0;
	l->flags = LF_DAMAGED;
	if (dir == WL_S2C)
		s->rep.flags |= LF_DAMAGED;
}

static void *ftp_open(struct wl_ctx *ctx)
{
	return calloc(1, sizeof(struct ftp));
}

static void ftp_close(void *st, struct wl_ctx *ctx)
{
	struct ftp *s = st;
	if (!s)
		return;
	for (int dir = 0; dir < 2 && !s->tls; dir++) {
		struct line *l = &s->line[dir];
		if (l->total) {
			l->flags |= LF_NOEOL;
			handle_line(s, ctx, (enum wl_dir)dir);
		}
	}
	if (s->rep.open && !s->tls) {
		s->rep.flags |= LF_NOEOL;
		finish_reply(s, ctx);
	}
	if (s->tls_st && s->tls_d->close)
		s->tls_d->close(s->tls_st, ctx);
	free(s->line[0].buf);
	free(s->line[1].buf);
	free(s->seg.buf);
	free(s);
}

/* A greeting "220 " / "220-" from the server, or an opening command from the client. */
static enum wl_probe ftp_probe(struct wl_cur c, enum wl_dir dir)
{
	size_t n = wl_left(&c);
	if (n < 4)
		return WL_PROBE_NEED_MORE;
	size_t eol;
	long len = wl_find_eol(&c, &eol);
	if (len < 0)
		return n < 512 ? WL_PROBE_NEED_MORE : WL_PROBE_NO;
	struct wl_cur line = wl_sub(&c, (size_t)len);
	char text[128];
	clean(text, sizeof text, line);
	if (dir == WL_S2C) {
		if (strncmp(text, "220 ", 4) != 0 && strncmp(text, "220-", 4) != 0)
			return WL_PROBE_NO;
		/* SMTP greets with 220 as well */
		return strstr(text, "SMTP") || strstr(text, "smtp") ? WL_PROBE_NO : WL_PROBE_YES;
	}
	static const char *const opening[] = { "USER ", "AUTH TLS", "AUTH SSL", "FEAT", "SYST", "OPTS UTF8",
					       "CLNT ", "HOST ", NULL };
	for (const char *const *o = opening; *o; o++)
		if (strncmp(text, *o, strlen(*o)) == 0)
			return WL_PROBE_YES;
	return WL_PROBE_NO;
}

static const uint16_t ftp_tcp_ports[] = { 21, 2121, 0 };

/* Emitted only with -v; a filter or -e that names one turns it on. */
static const struct wl_field_info ftp_fields_verbose[] = {
	{ "ftp.request", WL_FT_BOOL, "a frame from the client (-v; on every frame, as tshark)" },
	{ "ftp.response", WL_FT_BOOL, "a frame from the server (-v; on every frame, as tshark)" },
	{ "ftp.epsv.ip", WL_FT_IPV4, "229: the server's address (the reply names none; -v)" },
	{ "ftp.epsv.ipv6", WL_FT_IPV6, "229: the server's IPv6 address (-v)" },
	{ NULL, 0, NULL },
};

static const struct wl_field_info ftp_fields[] = {
	{ "ftp.request.command", WL_FT_STR, "the command (as sent, upper or lower case)" },
	{ "ftp.request.arg", WL_FT_STR, "the command's argument (PASS: the password, a secret)" },
	{ "ftp.response.code", WL_FT_UINT, "reply code of the first line of this frame's segment (tshark's rule)" },
	{ "ftp.response.arg", WL_FT_STR, "the text of that first line (the full text of a multi-line reply: wl.ftp.response.text)" },
	{ "ftp.passive.ip", WL_FT_IPV4, "227: address the server listens at" },
	{ "ftp.passive.port", WL_FT_UINT, "227: port the server listens at" },
	{ "ftp.passive.nat", WL_FT_BOOL, "227: the address differs from the server's (only when it does)" },
	{ "ftp.epsv.port", WL_FT_UINT, "229: port the server listens at" },
	{ "ftp.active.cip", WL_FT_IPV4, "PORT: address the client listens at" },
	{ "ftp.active.port", WL_FT_UINT, "PORT: port the client listens at" },
	{ "ftp.active.nat", WL_FT_BOOL, "PORT: the address differs from the client's (only when it does)" },
	{ "ftp.eprt.af", WL_FT_UINT, "EPRT: address family (1 IPv4, 2 IPv6)" },
	{ "ftp.eprt.ip", WL_FT_IPV4, "EPRT: IPv4 address" },
	{ "ftp.eprt.ipv6", WL_FT_IPV6, "EPRT: IPv6 address" },
	{ "ftp.eprt.port", WL_FT_UINT, "EPRT: port" },
	{ "wl.ftp.request.command", WL_FT_STR, "a command tshark 4.0 leaves as text (not the first line of its segment)" },
	{ "wl.ftp.request.arg", WL_FT_STR, "its argument" },
	{ "wl.ftp.response.code", WL_FT_UINT, "a reply's code where tshark 4.0 shows none (not the first line of its segment, or the end of a multi-line reply)" },
	{ "wl.ftp.response.arg", WL_FT_STR, "a one-line reply's text where tshark 4.0 shows none" },
	{ "wl.ftp.request_frame", WL_FT_UINT, "reply: frame of the request it answers" },
	{ "wl.ftp.request_command", WL_FT_STR, "reply: the command it answers (upper case)" },
	{ "wl.ftp.response.text", WL_FT_STR, "a multi-line reply's whole text, lines joined by newlines" },
	{ "wl.ftp.tls_bytes", WL_FT_UINT, "bytes of TLS after AUTH TLS (no TLS dissector)" },
	{ NULL, 0, NULL }
};

const struct wl_dissector wl_dissector_ftp = {
	.name = "ftp",
	.desc = "File Transfer Protocol control connection (RFC 959, 2428)",
	.tcp_ports = ftp_tcp_ports,
	.probe = ftp_probe,
	.open = ftp_open,
	.stream = ftp_stream,
	.gap = ftp_gap,
	.close = ftp_close,
	.fields = ftp_fields,
	.fields_verbose = ftp_fields_verbose,
};
