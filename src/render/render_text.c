/* render_text.c - the annotated ladder: client on the left, server on the
 * right, one line per message with an arrow for its direction, the first note
 * beside it, further notes and (with -v) the fields under it.
 *
 *      #      time  127.0.0.1:50768                             127.0.0.1:21
 *      7    0.0121  USER anonymous ────────────────────────►  FTP: client names the account
 *      8    0.0123  ◄──────── 331 Please specify the password.
 *
 * Minor messages (a bare ACK, the TCP segment under an application message)
 * are shown only with -v. Deterministic: times are relative to the first
 * packet, and colour is used only when asked for.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hexdump.h"
#include "render_backend.h"
#include "timecol.h"

#define LADDER 54   /* display columns of the arrow area */
#define TEXT_MAX 50 /* display columns of message text on the line */

static const char *const note_mark[] = { "", "⚠ ", "✖ " };
static const char *const note_color[] = { "", "\033[33m", "\033[31m" };

/* Display columns of UTF-8 text (one per code point). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Bytes of s that fit in max columns, cut at a code point boundary. */
static size_t fit(const char *s, size_t n, size_t max, int *cut)
{
	size_t c = 0, i = 0;
	for (; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (c == max)
				break;
			c++;
		}
	}
	*cut = i < n;
	return i;
}

/* Runs of the two strings every line repeats, written from these in one copy
 * (one strlen and copy per character was a tenth of the text renderer). */
static const char spaces_run[] = "                                                                ";
static const char dashes_run[] = "────────────────────────────────────────────────────────────────";

static void repeat(struct wl_obuf *b, const char *s, size_t n)
{
	const char *run = s[0] == ' ' && !s[1] ? spaces_run : strcmp(s, "─") == 0 ? dashes_run : NULL;
	size_t len = run == spaces_run ? 1 : run ? sizeof "─" - 1 : 0, most = run ? (sizeof spaces_run - 1) : 0;
	if (!run) {
		for (size_t i = 0; i < n; i++)
			wl_ob_str(b, s);
		return;
	}
	while (n) {
		size_t k = n < most ? n : most;
		wl_ob_write(b, run, k * len);
		n -= k;
	}
}

/* Text without control characters (they would break the ladder). */
static void put_clean(struct wl_obuf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != 0x7f)
			j++;
		wl_ob_write(b, s + i, j - i);
		if (j < n) {
			wl_ob_putc(b, '.');
			j++;
		}
		i = j;
	}
}

static void header(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	if (r->o.color)
		wl_ob_str(b, "\033[1m");
	wl_ob_printf(b, "%7s %*s  %-*s%s", "#", (int)wl_timecol_width(r->o.time_fmt, r->o.verbose, r->o.time_hms),
		     "time", LADDER - 1, m->client, m->server);
	if (r->o.color)
		wl_ob_str(b, "\033[0m");
	wl_ob_putc(b, '\n');
	r->last_flow = m->flow_id;
	r->last_flow_valid = 1;
}

/* s right-aligned in width columns (s is ASCII). */
static void pad_left(struct wl_obuf *b, const char *s, size_t n, size_t width)
{
	for (; n < width; width--)
		wl_ob_putc(b, ' ');
	wl_ob_write(b, s, n);
}

/* "%7llu %9s  " with the time as seconds.4 digits, without printf (every
 * line); the other time formats (-t, -v) through timecol.c. */
static void frame_and_time(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	uint64_t frame = m->frame;
	int64_t ns = m->rel_ns;
	if (r->o.time_fmt != WL_T_DEFAULT || r->o.verbose) {
		char t[64];
		int64_t delta = r->o.time_fmt == WL_T_DELTA_SHOWN ? r->shown_delta : r->seen_delta;
		size_t n = wl_timecol_text(t, sizeof t, r->o.time_fmt, r->o.verbose, r->o.time_hms,
					   m->ts_ns, m->rel_ns, delta);
		char num[24];
		int k = snprintf(num, sizeof num, "%" PRIu64, frame);
		pad_left(b, num, (size_t)(k > 0 ? k : 0), 7);
		wl_ob_putc(b, ' ');
		pad_left(b, t, n, wl_timecol_width(r->o.time_fmt, r->o.verbose, r->o.time_hms));
		wl_ob_write(b, "  ", 2);
		return;
	}
	char t[32];
	size_t n = sizeof t;
	do {
		t[--n] = (char)('0' + frame % 10);
		frame /= 10;
	} while (frame);
	pad_left(b, t + n, sizeof t - n, 7);
	wl_ob_putc(b, ' ');
	int len = ns >= 0 ? 0 : snprintf(t, sizeof t, "%" PRId64 ".%04" PRId64, ns / 1000000000,
					 ns % 1000000000 / 100000);
	if (ns >= 0) {
		int64_t frac = ns % 1000000000 / 100000, sec = ns / 1000000000;
		n = sizeof t;
		for (int i = 0; i < 4; i++, frac /= 10)
			t[--n] = (char)('0' + frac % 10);
		t[--n] = '.';
		do {
			t[--n] = (char)('0' + sec % 10);
			sec /= 10;
		} while (sec);
		pad_left(b, t + n, sizeof t - n, 9);
	} else {
		pad_left(b, t, (size_t)(len > 0 ? len : 0), 9);
	}
	wl_ob_write(b, "  ", 2);
}

/* -x: the bytes of the frame whose lines were the last shown. */
static void text_settle(struct wl_renderer *r)
{
	if (!r->x_pending)
		return;
	r->x_pending = 0;
	wl_ob_hexdump(&r->ob, r->x_bytes, r->x_len);
}

static void hold_bytes(struct wl_renderer *r, const struct wl_msg *m)
{
	if (!m->has_bytes || (!r->x_bytes && !(r->x_bytes = malloc(UINT16_MAX))))
		return;
	uint32_t n = m->bytes_len < UINT16_MAX ? m->bytes_len : UINT16_MAX;
	memcpy(r->x_bytes, wl_msg_pool(m, m->bytes_off), n);
	r->x_len = n;
	r->x_pending = 1;
}

/* The frames -t d (the frame before) and -t dd (the frame last shown)
 * measure from; every message passes here, shown or not. */
static void track_frames(struct wl_renderer *r, const struct wl_msg *m, int shown)
{
	if (!r->seen_any || m->frame != r->seen_frame) {
		r->seen_delta = r->seen_any ? m->ts_ns - r->seen_ts : 0;
		r->seen_ts = m->ts_ns;
		r->seen_frame = m->frame;
		r->seen_any = 1;
	}
	if (shown && (!r->shown_any || m->frame != r->shown_frame)) {
		r->shown_delta = r->shown_any ? m->ts_ns - r->shown_ts : 0;
		r->shown_ts = m->ts_ns;
		r->shown_frame = m->frame;
		r->shown_any = 1;
		if (r->o.hexdump) {
			text_settle(r);
			hold_bytes(r, m);
		}
	}
}

/* The next piece of s that fits in max columns, broken at a space when one
 * lies in the piece's second half; *skip is the space's byte. */
static size_t piece(const char *s, size_t n, size_t max, size_t *skip)
{
	int cut;
	size_t nb = fit(s, n, max, &cut);
	*skip = 0;
	if (!cut)
		return nb;
	if (s[nb] == ' ') {
		*skip = 1;
		return nb;
	}
	for (size_t i = nb; i > 0; i--) {
		if (s[i - 1] != ' ')
			continue;
		if (columns(s, i - 1) >= max / 2) {
			*skip = 1;
			return i - 1;
		}
		break;
	}
	return nb;
}

/* Where a line's pieces come from: the message text, wrapped in the arrow
 * area (never cut: a secret or a chosen algorithm at its end must show), and
 * the notes, one after another, wrapped at the output width when there is
 * one (the terminal's, or --width). */
struct line_feed {
	const char *text;
	size_t tlen, toff;
	unsigned note;
	size_t noff;
};

static void arrow(struct wl_renderer *r, const struct wl_msg *m, const char *t, size_t n)
{
	struct wl_obuf *b = &r->ob;
	size_t dashes = LADDER - 2 - columns(t, n);
	if (m->dir == WL_C2S) {
		put_clean(b, t, n);
		wl_ob_putc(b, ' ');
		repeat(b, "─", dashes - 1);
		wl_ob_str(b, "►");
	} else {
		wl_ob_str(b, "◄");
		repeat(b, "─", dashes - 1);
		wl_ob_putc(b, ' ');
		put_clean(b, t, n);
	}
}

/* A continuation of the text under the first line's, on its side. */
static void text_more(struct wl_renderer *r, const struct wl_msg *m, const char *t, size_t n, int pad)
{
	struct wl_obuf *b = &r->ob;
	size_t cols = columns(t, n);
	if (m->dir == WL_S2C)
		repeat(b, " ", LADDER - cols);
	put_clean(b, t, n);
	if (pad && m->dir == WL_C2S)
		repeat(b, " ", LADDER - cols);
}

/* The next piece of the notes: a whole note, or with a width as much of it
 * as fits (its continuations indented by two). */
static void note_piece(struct wl_renderer *r, const struct wl_msg *m, struct line_feed *lf)
{
	struct wl_obuf *b = &r->ob;
	const char *s = wl_msg_pool(m, m->notes[lf->note].off) + lf->noff;
	size_t n = m->notes[lf->note].len - lf->noff, skip = 0, k = n;
	size_t col = 7 + 1 + wl_timecol_width(r->o.time_fmt, r->o.verbose, r->o.time_hms) + 2 + LADDER + 2;
	unsigned lvl = m->notes[lf->note].level % 3;
	if (r->o.width > col + 20)
		k = piece(s, n, r->o.width - col - 2, &skip);
	if (lf->noff)
		wl_ob_write(b, "  ", 2);
	if (r->o.color && lvl)
		wl_ob_str(b, note_color[lvl]);
	if (!lf->noff)
		wl_ob_str(b, note_mark[lvl]);
	put_clean(b, s, k);
	if (r->o.color && lvl)
		wl_ob_str(b, "\033[0m");
	lf->noff += k + skip;
	if (k + skip >= n) {
		lf->note++;
		lf->noff = 0;
	}
}

static void text_msg(struct wl_renderer *r, const struct wl_msg *m)
{
	struct wl_obuf *b = &r->ob;
	int shown = !m->minor || r->o.verbose >= 1;
	track_frames(r, m, shown);
	if (!shown)
		return;
	if (!r->last_flow_valid || r->last_flow != m->flow_id || m->flow_id == 0)
		header(r, m);

	struct line_feed lf = { m->text_len ? wl_msg_pool(m, m->text_off) : m->type,
				m->text_len ? m->text_len : strlen(m->type), 0, 0, 0 };
	unsigned nnotes = r->o.format == WL_OUT_LADDER ? 0 : m->nnotes;
	for (int first = 1; first || lf.toff < lf.tlen || lf.note < nnotes; first = 0) {
		size_t skip = 0, k = piece(lf.text + lf.toff, lf.tlen - lf.toff, TEXT_MAX, &skip);
		int note = lf.note < nnotes;
		if (first) {
			frame_and_time(r, m);
			arrow(r, m, lf.text, k);
		} else if (k || note) {
			repeat(b, " ", 7 + 1 + wl_timecol_width(r->o.time_fmt, r->o.verbose, r->o.time_hms) + 2);
			if (k)
				text_more(r, m, lf.text + lf.toff, k, note);
			else
				repeat(b, " ", LADDER);
		}
		lf.toff += k + skip;
		if (note) {
			wl_ob_write(b, "  ", 2);
			note_piece(r, m, &lf);
		}
		wl_ob_putc(b, '\n');
	}
	if (r->o.verbose < 1 || r->o.format == WL_OUT_LADDER)
		return;
	for (unsigned i = 0; i < m->nfields; i++) {
		repeat(b, " ", 19);
		wl_ob_str(b, m->fields[i].name);
		wl_ob_str(b, ": ");
		wl_ob_field_text(b, m, &m->fields[i], r->o.redact);
		wl_ob_putc(b, '\n');
	}
}

static void text_flow(struct wl_renderer *r, const struct wl_flow_summary *s)
{
	struct wl_obuf *b = &r->ob;
	text_settle(r);
	int64_t dur = s->last_ns - s->first_ns;
	wl_ob_printf(b, "  ── %s %s ⇄ %s: frames %" PRIu64 "–%" PRIu64 ", %" PRId64 ".%04" PRId64 " s",
		     s->proto, s->client, s->server, s->first_frame, s->last_frame,
		     dur / 1000000000, dur % 1000000000 / 100000);
	if (s->tcp)
		wl_ob_printf(b, ", %s", s->end ? s->end : "open");
	wl_ob_putc(b, '\n');
	wl_ob_printf(b, "     client → server: %" PRIu64 " packets, %" PRIu64 " bytes; "
		     "server → client: %" PRIu64 " packets, %" PRIu64 " bytes\n",
		     s->pkts[0], s->bytes[0], s->pkts[1], s->bytes[1]);
	if (s->warnings || s->errors || s->gaps)
		wl_ob_printf(b, "     %" PRIu64 " warnings, %" PRIu64 " malformed, %" PRIu64 " bytes missing\n",
			     s->warnings, s->errors, s->gaps);
	for (unsigned i = 0; i < s->nfacts; i++)
		wl_ob_printf(b, "     %s: %s\n", s->facts[i].key, s->facts[i].val);
	r->last_flow_valid = 0;
}

const struct wl_render_backend wl_render_text = { .msg = text_msg, .flow = text_flow, .settle = text_settle };
const struct wl_render_backend wl_render_ladder = { .msg = text_msg, .settle = text_settle };
