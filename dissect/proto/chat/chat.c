/* chat.c - the lab's NUL-framed text protocol (echo and chat servers).
 *
 * Specification: the seeds' socket chapters. A message is UTF-8 text ended by
 * one NUL byte; there is no length field, so the receiver reads until it sees
 * the NUL, however TCP cut the bytes into segments:
 *
 *   +-----------------------------+----+-----------------+----+
 *   | UTF-8 text (no NUL)         | 00 | next message    | 00 | ...
 *   +-----------------------------+----+-----------------+----+
 *
 * Each message is one wirelab message attributed to the frame whose segment
 * completed it, with notes when it was split across segments or shared one
 * segment with others. Over-long messages (no NUL within 64 KiB) and invalid
 * UTF-8 are notes; the stream then resynchronises on the next NUL.
 */
#include <stdlib.h>
#include <string.h>

#include "wl.h"

#define CHAT_MAX 65536

struct chat_dir {
	unsigned segs;       /* segments holding the pending (incomplete) message */
	size_t pending;      /* its bytes seen so far */
	int skipping;        /* over-long message: drop bytes up to the next NUL */
	uint64_t msgs;
};

struct chat {
	struct chat_dir d[2];
};

static const uint16_t chat_ports[] = { 4040, 4041, 4042, 4043, 4044, 4045, 4046, 4047, 0 };

static const struct wl_field_info chat_fields[] = {
	{ "wl.chat.message", WL_FT_STR, "the message text (without its NUL)", },
	{ "wl.chat.length", WL_FT_UINT, "bytes of the message", },
	{ "wl.chat.segments", WL_FT_UINT, "TCP segments the message came in", },
	{ NULL, 0, NULL },
};

/* 1 if the bytes of t are valid UTF-8 without control characters other than tab. */
static int utf8_text(struct wl_cur t)
{
	while (wl_left(&t)) {
		uint8_t c = wl_u8(&t);
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			     (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || len - 1 > wl_left(&t) || (c < 0x20 && c != '\t') || c == 0x7f ||
		    (len == 2 && c < 0xc2))
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((wl_u8(&t) & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static enum wl_probe chat_probe(struct wl_cur c, enum wl_dir dir)
{
	(void)dir;
	long nul = wl_find(&c, 0);
	size_t n = nul >= 0 ? (size_t)nul : wl_left(&c);
	if (!wl_ok(&c) || !utf8_text(wl_sub(&c, n)))
		return WL_PROBE_NO;
	if (nul > 0)
		return WL_PROBE_YES;
	return n < 16 && nul < 0 ? WL_PROBE_NEED_MORE : WL_PROBE_NO;
}

static void *chat_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct chat));
}

static void chat_close(void *st, struct wl_ctx *ctx)
{
	(void)ctx;
	free(st);
}

static void emit(struct wl_ctx *ctx, struct chat_dir *d, enum wl_dir dir, struct wl_cur msg,
		 unsigned segs, unsigned in_segment)
{
	struct wl_msg *m = wl_msg_new(ctx, "chat", "message", dir);
	int text = utf8_text(msg);
	size_t n = wl_left(&msg);
	const uint8_t *p = wl_bytes(&msg, n);
	wl_f_str(m, "wl.chat.message", p, n);
	wl_f_uint(m, "wl.chat.length", n);
	wl_f_uint(m, "wl.chat.segments", segs);
	wl_msg_text(m, "\"%.*s\"", (int)(n > 200 ? 200 : n), (const char *)p);
	if (d->msgs++ == 0)
		wl_note(m, WL_INFO, "message ends at its NUL byte: the receiver reads until it sees one");
	/* inside TLS each stream call is one record, not one segment */
	const char *unit = wl_carrier(ctx) ? "TLS record" : "TCP segment";
	if (segs > 1)
		wl_note(m, WL_INFO, "message split across %u %ss, reassembled", segs, unit);
	if (in_segment > 1)
		wl_note(m, WL_INFO, "%u messages arrived in one %s", in_segment, unit);
	if (!text)
		wl_note(m, WL_WARN, "not valid UTF-8 text");
	wl_msg_emit(ctx, m);
}

static size_t chat_stream(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct chat_dir *d = &((struct chat *)st)->d[dir];
	size_t total = wl_left(&c), used = 0;
	/* bytes beyond what was pending came in this segment */
	int fresh = total > d->pending;
	unsigned segs = d->segs + (fresh ? 1 : 0);
	/* how many messages complete in this call (for the "N in one segment" note) */
	unsigned complete = 0;
	for (struct wl_cur k = c; wl_find(&k, 0) >= 0; complete++)
		wl_skip(&k, (size_t)wl_find(&k, 0) + 1);

	for (;;) {
		long nul = wl_find(&c, 0);
		if (nul < 0)
			break;
		struct wl_cur msg = wl_sub(&c, (size_t)nul);
		wl_skip(&c, 1);
		used += (size_t)nul + 1;
		if (d->skipping) {
			d->skipping = 0;
		} else {
			emit(ctx, d, dir, msg, segs ? segs : 1, complete);
		}
		segs = 1;  /* later messages of this call lie in this segment */
		d->pending = 0;
	}
	size_t rest = wl_left(&c);
	if (rest > CHAT_MAX || (d->skipping && rest)) {
		if (!d->skipping) {
			struct wl_msg *m = wl_msg_new(ctx, "chat", "overlong", dir);
			wl_msg_text(m, "%zu bytes without a NUL", rest);
			wl_note(m, WL_WARN, "message longer than %d bytes: dropped up to the next NUL",
				CHAT_MAX);
			wl_msg_emit(ctx, m);
		}
		d->skipping = 1;
		d->segs = 0;
		d->pending = 0;
		return total;
	}
	d->segs = rest ? (used ? 1 : segs) : 0;
	d->pending = rest;
	return used;
}

static void chat_gap(void *st, struct wl_ctx *ctx, enum wl_dir dir, uint64_t len)
{
	struct chat_dir *d = &((struct chat *)st)->d[dir];
	(void)ctx;
	(void)len;
	/* the pending message is lost; the next NUL ends whatever follows the gap */
	d->skipping = 1;
	d->segs = 0;
	d->pending = 0;
}

const struct wl_dissector wl_dissector_chat = {
	.name = "chat",
	.desc = "NUL-framed UTF-8 messages of the lab's echo and chat servers",
	.tcp_ports = chat_ports,
	.probe = chat_probe,
	.open = chat_open,
	.stream = chat_stream,
	.gap = chat_gap,
	.close = chat_close,
	.fields = chat_fields,
};
