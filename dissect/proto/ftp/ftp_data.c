/* ftp_data.c - FTP data connections: what one carries (a listing's lines, a
 * file's byte count and SHA-256), tied to the control session's command.
 *
 * RFC 959 3.2-3.4 (data connections, stream mode: the data is the bytes of
 * the file, the end of the file is the end of the connection), RFC 2428.
 *
 * No header: the payload is the file (TYPE I) or text lines (TYPE A, LIST):
 *
 *   control:  PASV ─► 227 (h1,h2,h3,h4,p1,p2)      the control dissector
 *             RETR f ─►                            (ftp.c) announces the
 *   data:     SYN to p1*256+p2 ... bytes ... FIN   connection with wl_expect()
 *
 * This dissector has no ports: the engine gives it the connections ftp.c
 * announced, with a label "METHOD\tSETUP-FRAME\tCOMMAND-FRAME\tCOMMAND"
 * that ftp.c completes (wl_expect_label) once the command that uses the
 * connection is sent, which is often after the connection opened.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wl.h"

#define LINE_CAP 1024      /* bytes of one listing line kept */
#define LINES_SHOWN 50     /* listing lines on the ladder; the rest with -v */
#define PREVIEW 40         /* bytes of a text file shown on its first data line */

struct label {
	char method[16];
	unsigned long long setup_frame, cmd_frame;
	long long size;        /* announced by the 150 reply, or -1 */
	char cmd[96];          /* "RETR big.bin", "" while unknown */
};

struct fdata {
	EVP_MD_CTX *md[2];
	uint64_t bytes[2], gaps[2];
	int started;
	uint64_t label_frame;  /* the last frame that got the ftp-data.* fields */
	uint64_t lines;
	uint8_t line[LINE_CAP];
	size_t len;
	uint64_t total;
};

/* The first n bytes of s (n <= strlen(s)) into dst, cut to what fits, as
 * snprintf's "%.*s": a label is read on every data packet. */
static void copy_cut(char *dst, size_t cap, const char *s, size_t n)
{
	size_t k = n < cap - 1 ? n : cap - 1;
	memcpy(dst, s, k);
	dst[k] = '\0';
}

static void parse_label(const char *s, struct label *l)
{
	memset(l, 0, sizeof *l);
	l->size = -1;
	if (!s)
		return;
	const char *t1 = strchr(s, '\t');
	const char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	const char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
	const char *t4 = t3 ? strchr(t3 + 1, '\t') : NULL;
	if (!t4)
		return;
	copy_cut(l->method, sizeof l->method, s, (size_t)(t1 - s));
	l->setup_frame = strtoull(t1 + 1, NULL, 10);
	l->cmd_frame = strtoull(t2 + 1, NULL, 10);
	if (t4 > t3 + 1)
		l->size = strtoll(t3 + 1, NULL, 10);
	copy_cut(l->cmd, sizeof l->cmd, t4 + 1, strlen(t4 + 1));
}

static int is_listing(const struct label *l)
{
	return strncmp(l->cmd, "LIST", 4) == 0 || strncmp(l->cmd, "NLST", 4) == 0 ||
	       strncmp(l->cmd, "MLSD", 4) == 0 || strncmp(l->cmd, "list", 4) == 0 ||
	       strncmp(l->cmd, "nlst", 4) == 0 || strncmp(l->cmd, "mlsd", 4) == 0;
}

static void label_fields(struct wl_msg *m, const struct label *l)
{
	if (!l->method[0])
		return;
	wl_f_uint(m, "ftp-data.setup-frame", l->setup_frame);
	wl_f_cstr(m, "ftp-data.setup-method", l->method);
	if (l->cmd[0]) {
		wl_f_cstr(m, "ftp-data.command", l->cmd);
		wl_f_uint(m, "ftp-data.command-frame", l->cmd_frame);
	}
}

/* The first bytes as text when they are text ("" for binary data). */
static void preview(char *out, size_t cap, struct wl_cur c)
{
	size_t n = wl_left(&c) < PREVIEW ? wl_left(&c) : PREVIEW, o = 0, text = 0;
	const uint8_t *p = wl_bytes(&c, n);
	for (size_t i = 0; p && i < n && o + 3 < cap; i++) {
		int ch = p[i];
		int printable = ch >= 0x20 && ch < 0x7f;
		text += printable || ch == '\n' || ch == '\r' || ch == '\t';
		if (printable) {
			out[o++] = (char)ch;
		} else {
			out[o++] = '\\';
			out[o++] = ch == '\n' ? 'n' : ch == '\r' ? 'r' : ch == '\t' ? 't' : '?';
		}
	}
	out[o] = '\0';
	if (!n || text * 10 < n * 9)
		out[0] = '\0';
}

static void first_data(struct wl_ctx *ctx, enum wl_dir dir, const struct label *l, struct wl_cur c)
{
	struct wl_msg *m = wl_msg_new(ctx, "ftp-data", "data", dir);
	label_fields(m, l);
	const char *what = l->cmd[0] ? l->cmd : "an unknown command";
	/* EPASV is tshark's name for the method (ftp-data.setup-method); the command is EPSV */
	const char *how = strcmp(l->method, "EPASV") == 0 ? "EPSV" : l->method;
	char text[PREVIEW * 2 + 1];
	preview(text, sizeof text, c);
	if (l->method[0] && text[0] && !is_listing(l)) {
		wl_msg_text(m, "data for %s: \"%s\"", what, text);
		wl_note(m, WL_INFO, "FTP data connection for %s, set up by %s in frame %llu: the file "
			"travels as it is, readable by anyone on the path", what, how, l->setup_frame);
	} else if (l->method[0]) {
		wl_msg_text(m, "data for %s", what);
		wl_note(m, WL_INFO, "FTP data connection for %s, set up by %s in frame %llu", what,
			how, l->setup_frame);
	} else {
		wl_msg_text(m, "FTP data");
		wl_note(m, WL_INFO, "FTP data connection (decoded as ftp-data by rule)");
	}
	if (strcmp(l->method, "PORT") == 0 || strcmp(l->method, "EPRT") == 0)
		wl_note(m, WL_INFO, "active mode: the FTP server opened this connection, so the TCP "
			"client on this flow is the FTP server");
	wl_msg_emit(ctx, m);
}

static void listing_line(struct fdata *s, struct wl_ctx *ctx, enum wl_dir dir, int noeol)
{
	if (s->len && s->line[s->len - 1] == '\r')
		s->len--;
	s->lines++;
	struct wl_msg *m = wl_msg_new(ctx, "ftp-data", "line", dir);
	if (s->lines > LINES_SHOWN)
		wl_msg_minor(m);
	wl_msg_text(m, "%.*s", (int)s->len, (const char *)s->line);
	wl_f_str(m, "wl.ftp-data.line", s->line, s->len);
	if (s->lines == 1)
		wl_note(m, WL_INFO, "listing text, one line per entry");
	if (s->lines == LINES_SHOWN + 1)
		wl_note(m, WL_INFO, "further lines of the listing are shown with -v");
	if (s->total > LINE_CAP)
		wl_note(m, WL_WARN, "line of %llu bytes cut to %u", (unsigned long long)s->total, LINE_CAP);
	if (noeol)
		wl_note(m, WL_INFO, "last line without CRLF");
	wl_msg_emit(ctx, m);
	s->len = 0;
	s->total = 0;
}

static void listing_bytes(struct fdata *s, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	while (wl_left(&c)) {
		long nl = wl_find(&c, '\n');
		size_t n = nl < 0 ? wl_left(&c) : (size_t)nl;
		size_t keep = n < LINE_CAP - s->len ? n : LINE_CAP - s->len;
		wl_copy(&c, s->line + s->len, keep);
		wl_skip(&c, n - keep);
		s->len += keep;
		s->total += n;
		if (nl < 0)
			break;
		wl_skip(&c, 1);
		listing_line(s, ctx, dir, 0);
	}
}

/* Every frame of data gets the ftp-data.* fields, as tshark gives them (in
 * the default view too, or those frames disagree with it): on a message of
 * its own when the frame has no other, shown so that the transfer's progress
 * is (a listing's lines show it instead). */
static void frame_fields(struct fdata *s, struct wl_ctx *ctx, enum wl_dir dir,
			 const struct label *l, size_t n)
{
	uint64_t fr = wl_frame(ctx);
	if (s->label_frame == fr || !l->method[0])
		return;
	s->label_frame = fr;
	struct wl_msg *m = wl_msg_new(ctx, "ftp-data", "segment", dir);
	if (is_listing(l))
		wl_msg_minor(m);
	label_fields(m, l);
	wl_msg_text(m, "%zu more bytes of %s, %llu so far", n, l->cmd[0] ? l->cmd : "data",
		    (unsigned long long)(s->bytes[dir] + n));
	wl_msg_emit(ctx, m);
}

static size_t data_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct fdata *s = st;
	size_t n = wl_left(&c);
	struct label l;
	parse_label(wl_flow_label(ctx), &l);
	if (!s->started) {
		s->started = 1;
		s->label_frame = wl_frame(ctx);
		first_data(ctx, dir, &l, c);
	}
	frame_fields(s, ctx, dir, &l, n);
	const uint8_t *p = wl_bytes(&c, n);
	if (p && s->md[dir] && !s->gaps[dir])
		EVP_DigestUpdate(s->md[dir], p, n);
	s->bytes[dir] += n;
	if (is_listing(&l))
		listing_bytes(s, ctx, dir, wl_cur_make(p, n));
	return n;
}

static void data_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct fdata *s = st;
	s->gaps[dir] += len;
	s->len = 0;
	s->total = 0;
}

static void summary(struct fdata *s, struct wl_ctx *ctx, enum wl_dir dir, const struct label *l)
{
	/* at the end of the connection, a frame without data: no ftp-data.* */
	struct wl_msg *m = wl_msg_new(ctx, "ftp-data", "complete", dir);
	const char *what = l->cmd[0] ? l->cmd : "data";
	wl_f_uint(m, "wl.ftp-data.bytes", s->bytes[dir]);
	if (is_listing(l))
		wl_f_uint(m, "wl.ftp-data.lines", s->lines);
	char hex[2 * EVP_MAX_MD_SIZE + 1] = "";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	if (!s->gaps[dir] && s->md[dir] && EVP_DigestFinal_ex(s->md[dir], md, &mdlen) == 1) {
		static const char digits[] = "0123456789abcdef";  /* not a snprintf a byte */
		for (unsigned i = 0; i < mdlen; i++) {
			hex[2 * i] = digits[md[i] >> 4];
			hex[2 * i + 1] = digits[md[i] & 15];
		}
		hex[2 * mdlen] = '\0';
		wl_f_cstr(m, "wl.ftp-data.sha256", hex);
	}
	/* the count first: a long file name is what the ladder may cut */
	if (hex[0])
		wl_msg_text(m, "%llu bytes, SHA-256 %.12s... (%s)", (unsigned long long)s->bytes[dir], hex, what);
	else
		wl_msg_text(m, "%llu bytes (%s)", (unsigned long long)s->bytes[dir], what);
	wl_note(m, WL_INFO, "end of the data: in stream mode the closing connection marks the end of the file");
	if (s->gaps[dir])
		wl_note(m, WL_WARN, "%llu bytes are missing from the capture: no hash",
			(unsigned long long)s->gaps[dir]);
	if (l->size >= 0 && (uint64_t)l->size != s->bytes[dir] + s->gaps[dir])
		wl_note(m, WL_WARN, "the server announced %lld bytes, the capture holds %llu: the transfer "
			"is incomplete or the capture ended first", l->size,
			(unsigned long long)(s->bytes[dir] + s->gaps[dir]));
	else if (l->size >= 0)
		wl_note(m, WL_INFO, "as many bytes as the server announced");
	wl_flow_fact(ctx, "transfer", "%s: %llu bytes%s%s", what, (unsigned long long)s->bytes[dir],
		     hex[0] ? ", sha256 " : "", hex);
	wl_msg_emit(ctx, m);
}

static void *data_open(struct wl_ctx *ctx)
{
	struct fdata *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	for (int i = 0; i < 2; i++) {
		s->md[i] = EVP_MD_CTX_new();
		if (s->md[i] && EVP_DigestInit_ex(s->md[i], EVP_sha256(), NULL) != 1) {
			EVP_MD_CTX_free(s->md[i]);
			s->md[i] = NULL;
		}
	}
	return s;
}

static void data_close(void *st, struct wl_ctx *ctx)
{
	struct fdata *s = st;
	if (!s)
		return;
	struct label l;
	parse_label(wl_flow_label(ctx), &l);
	if (s->total && is_listing(&l))
		listing_line(s, ctx, s->bytes[WL_S2C] >= s->bytes[WL_C2S] ? WL_S2C : WL_C2S, 1);
	int any = 0;
	for (int dir = 0; dir < 2; dir++) {
		if (s->bytes[dir] || s->gaps[dir]) {
			summary(s, ctx, (enum wl_dir)dir, &l);
			any = 1;
		}
	}
	if (!any) {
		struct wl_msg *m = wl_msg_new(ctx, "ftp-data", "complete", WL_S2C);
		wl_msg_text(m, "%s: no data", l.cmd[0] ? l.cmd : "data connection");
		wl_f_uint(m, "wl.ftp-data.bytes", 0);
		wl_note(m, WL_INFO, "the data connection closed without data (an empty file or listing)");
		wl_msg_emit(ctx, m);
	}
	for (int i = 0; i < 2; i++)
		EVP_MD_CTX_free(s->md[i]);
	free(s);
}

static const struct wl_field_info data_fields[] = {
	{ "ftp-data.setup-frame", WL_FT_UINT, "frame of the PASV/EPSV reply or PORT/EPRT command (on every data frame)" },
	{ "ftp-data.setup-method", WL_FT_STR, "PASV, EPASV, PORT or EPRT" },
	{ "ftp-data.command", WL_FT_STR, "the transfer command that uses the connection" },
	{ "ftp-data.command-frame", WL_FT_UINT, "frame of that command" },
	{ "wl.ftp-data.line", WL_FT_STR, "one line of a listing" },
	{ "wl.ftp-data.lines", WL_FT_UINT, "lines in the listing" },
	{ "wl.ftp-data.bytes", WL_FT_UINT, "bytes carried in this direction" },
	{ "wl.ftp-data.sha256", WL_FT_STR, "SHA-256 of those bytes (absent when some were not captured)" },
	{ NULL, 0, NULL }
};

const struct wl_dissector wl_dissector_ftp_data = {
	.name = "ftp-data",
	.desc = "FTP data connection, found through the control connection (RFC 959)",
	.open = data_open,
	.stream = data_stream,
	.gap = data_gap,
	.close = data_close,
	.fields = data_fields,
};
