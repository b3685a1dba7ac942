/* msg.c - a message's life: opened for the current frame (with the frame's
 * and, under -v, the link header's fields on its first message), handed to
 * the sink when complete; one reusable buffer per engine. What goes into it
 * is field.c's. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void wl__msg_init(struct wl_ctx *ctx)
{
	strcpy(ctx->mask, "********");
}

static void msg_reset(struct wl_ctx *ctx, struct wl_msg *m)
{
	m->frame = ctx->frame;
	m->ts_ns = ctx->ts_ns;
	m->rel_ns = ctx->ts_ns - ctx->first_ns;
	m->nfields = m->nnotes = 0;
	m->pool_used = 0;
	m->text_off = m->text_len = 0;
	m->minor = 0;
	m->unordered = 0;
	m->overflow = 0;
	m->secrets_only = ctx->opts.no_fields != 0;
	m->want = ctx->want;
	m->some_fields = m->secrets_only || m->want;
	m->unseen = ctx->opts.headers_only || ctx->opts.no_texts;
	m->unseen_notes = m->unseen_warnings = m->unseen_errors = 0;
	m->has_bytes = 0;
	m->spans = NULL;
	m->frame_lo = NULL;
}


/* opts.frame_bytes: the frame's bytes first in the pool (at most 64 KiB),
 * and the span table the field adders fill. */
#define WL_FRAME_BYTES_MAX 65535u
static void frame_bytes(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (!ctx->frame_data || !ctx->spans)
		return;
	uint32_t n = ctx->caplen < WL_FRAME_BYTES_MAX ? ctx->caplen : WL_FRAME_BYTES_MAX;
	char *dst = wl__pool_take(m, n, &m->bytes_off);
	if (!dst)
		return;
	memcpy(dst, ctx->frame_data, n);
	m->bytes_len = n;
	m->bytes_link = (uint16_t)ctx->frame_link;
	m->has_bytes = 1;
	m->frame_lo = ctx->frame_data;
	m->spans = ctx->spans;
}

/* Wireshark's encapsulation (WTAP_ENCAP_*) of a link type wirelab reads. */
static int wtap_encap(int linktype)
{
	switch (linktype) {
	case WL_LINK_NULL: return 15;
	case WL_LINK_ETHERNET: return 1;
	case WL_LINK_RAW: return 7;
	case WL_LINK_IEEE802_11: return 20;
	case WL_LINK_LOOP: return 174;
	case WL_LINK_SLL: return 25;
	case WL_LINK_RADIOTAP: return 23;
	case WL_LINK_IPV4: return 129;
	case WL_LINK_IPV6: return 130;
	case WL_LINK_SLL2: return 210;
	default: return 0;  /* WTAP_ENCAP_UNKNOWN */
	}
}

/* tshark's frame.* of every frame (-v), those that do not depend on the
 * capture file's format. What the file says of the frame goes on its first
 * message only (as tshark has them in the frame tree, not in every layer). */
static void frame_common(struct wl_ctx *ctx, struct wl_msg *m)
{
	ctx->frame_pending = 0;
	wl_f_time(m, "frame.time", ctx->ts_ns);
	wl_f_double(m, "frame.offset_shift", 0);
	wl_f_double(m, "frame.time_delta", (double)(ctx->ts_ns - ctx->prev_ns) / 1e9);
	wl_f_double(m, "frame.time_delta_displayed", (double)(ctx->ts_ns - ctx->prev_ns) / 1e9);
	wl_f_double(m, "frame.time_relative", (double)(ctx->ts_ns - ctx->first_ns) / 1e9);
	wl_f_uint(m, "frame.number", ctx->frame);
	wl_f_uint(m, "frame.len", ctx->wirelen);
	wl_f_uint(m, "frame.cap_len", ctx->caplen);
	wl_f_bool(m, "frame.marked", 0);
	wl_f_bool(m, "frame.ignored", 0);
	/* seconds and nanoseconds apart: the ns count as a double would lose
	 * the last digits before the division */
	wl_f_double(m, "frame.time_epoch", (double)(ctx->ts_ns / 1000000000) +
		    (double)(ctx->ts_ns % 1000000000) / 1e9);
	wl_f_int(m, "frame.encap_type", wtap_encap(ctx->frame_link));
}

/* The pcapng EPB's epb_flags, split as tshark splits them: bits 0-1 the
 * direction, 2-4 the reception type, 5-8 the FCS length, 9-15 reserved, 24-31
 * the link-layer errors (16-23, also errors, have no field of their own). */
static void packet_flags(struct wl_msg *m, uint32_t v)
{
	static const char *const errors[8] = {
		"frame.packet_flags_crc_error", "frame.packet_flags_packet_too_error",
		"frame.packet_flags_packet_too_short_error",
		"frame.packet_flags_wrong_inter_frame_gap_error",
		"frame.packet_flags_unaligned_frame_error",
		"frame.packet_flags_start_frame_delimiter_error",
		"frame.packet_flags_preamble_error", "frame.packet_flags_symbol_error",
	};
	wl_f_hex(m, "frame.packet_flags", v);
	wl_f_hex(m, "frame.packet_flags_direction", v & 0x3);
	wl_f_uint(m, "frame.packet_flags_reception_type", (v >> 2) & 0x7);
	wl_f_uint(m, "frame.packet_flags_fcs_length", (v >> 5) & 0xf);
	wl_f_uint(m, "frame.packet_flags_reserved", (v >> 9) & 0x7f);
	for (unsigned i = 0; i < 8; i++)
		wl_f_bool(m, errors[i], (v >> (24 + i)) & 1);
}

/* What a pcapng file says of the frame beyond its interface id, with -v. */
static void pcapng_fields(struct wl_msg *m, const struct wl_frame *f)
{
	const struct wl_frame_comment *name = f->if_name.text ? &f->if_name : &f->if_descr;
	wl_f_uint(m, "frame.section_number", f->section);
	if (name->text)
		wl_f_str(m, "frame.interface_name", name->text, name->len);
	else
		wl_f_cstr(m, "frame.interface_name", "unknown");
	if (f->if_descr.text)
		wl_f_str(m, "frame.interface_description", f->if_descr.text, f->if_descr.len);
	if (f->has_flags)
		packet_flags(m, f->flags);
}

static void frame_fields(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (ctx->frame_pending)  /* set with -v only */
		frame_common(ctx, m);
	const struct wl_frame *f = ctx->frame_meta;
	if (f) {
		ctx->frame_meta = NULL;
		int verbose = f->section && ctx->opts.verbose;
		if (f->show_interface || verbose)
			wl_f_uint(m, "frame.interface_id", f->interface_id);
		if (verbose)
			pcapng_fields(m, f);
		for (unsigned i = 0; i < f->ncomments; i++)
			wl_f_str(m, "frame.comment", f->comments[i].text, f->comments[i].len);
	}
	if (ctx->link.pending)  /* set with -v only */
		wl__link_fields(ctx, m);
}

struct wl_msg *wl_msg_new(struct wl_ctx *ctx, const char *proto, const char *type,
			  enum wl_dir dir)
{
	struct wl_msg *m = ctx->msg;
	struct wl_flow *f = ctx->flow;

	wl__msg_flush(ctx);
	msg_reset(ctx, m);
	m->proto = proto;
	m->type = type;
	m->dir = (uint8_t)dir;
	if (f) {
		m->flow_id = f->id;
		m->client = f->ep[WL_C2S];
		m->server = f->ep[WL_S2C];
		m->src = f->ep[dir];
		m->dst = f->ep[!dir];
	} else {
		m->flow_id = 0;
		wl__pkt_eps(ctx);
		m->client = m->src = ctx->pkt_src;
		m->server = m->dst = ctx->pkt_dst;
	}
	ctx->msg_open = 1;
	ctx->msgs_made++;
	ctx->msg_carry_note = ctx->carry_note;
	if (ctx->spans)
		frame_bytes(ctx, m);
	frame_fields(ctx, m);
	return m;
}

struct wl_msg *wl__msg_pkt(struct wl_ctx *ctx, const char *proto, const char *type)
{
	struct wl_flow *f = ctx->flow;
	ctx->flow = NULL;
	struct wl_msg *m = wl_msg_new(ctx, proto, type, WL_C2S);
	ctx->flow = f;
	return m;
}

void wl_msg_emit(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (!ctx->msg_open || m != ctx->msg)
		return;
	ctx->msg_open = 0;
	if (ctx->msg_carry_note) {  /* made by a carried protocol (carried.c) */
		wl_note(m, WL_INFO, "%s", ctx->msg_carry_note);
		ctx->msg_carry_note = NULL;
	}
	if (ctx->full_note) {  /* said once; the closing line counts the rest */
		wl_note(m, WL_WARN, "flow table full (%u flows, --max-flows): the oldest flow was closed to "
			"make room, and each new flow from here on closes the oldest", ctx->lim.max_flows);
		ctx->full_note = 0;
	}
	if (m->spans) {
		/* the span table travels in the pool, as the rest of the message does */
		uint32_t off = 0;
		char *dst = wl__pool_take(m, (size_t)m->nfields * sizeof m->spans[0], &off);
		m->spans_off = off;
		if (dst)
			memcpy(dst, m->spans, (size_t)m->nfields * sizeof m->spans[0]);
		else
			m->has_bytes = 0;
		m->spans = NULL;
	}
	if (ctx->flow && m->flow_id == ctx->flow->id) {
		ctx->flow->warnings += m->unseen_warnings;
		ctx->flow->errors += m->unseen_errors;
		for (unsigned i = 0; i < m->nnotes; i++) {
			if (m->notes[i].level == WL_WARN)
				ctx->flow->warnings++;
			else if (m->notes[i].level == WL_ERROR)
				ctx->flow->errors++;
		}
	}
	if (ctx->sink.msg)
		ctx->sink.msg(ctx->sink.arg, m);
}

void wl__msg_flush(struct wl_ctx *ctx)
{
	if (ctx->msg_open)
		wl_msg_emit(ctx, ctx->msg);
}

const char *wl_tok(const struct wl_tok *t, uint32_t v, const char *dflt)
{
	for (; t && t->s; t++)
		if (t->v == v)
			return t->s;
	return dflt;
}

const struct wl_opts *wl_opts(const struct wl_ctx *ctx) { return &ctx->opts; }

const char *wl_secret(const struct wl_ctx *ctx, const char *s)
{
	return ctx->opts.redact ? ctx->mask : s;
}

uint64_t wl_frame(const struct wl_ctx *ctx) { return ctx->frame; }
int64_t wl_time_ns(const struct wl_ctx *ctx) { return ctx->ts_ns; }

void wl_flow_fact(struct wl_ctx *ctx, const char *key, const char *fmt, ...)
{
	struct wl_flow *f = ctx->flow;
	if (!f || f->nfacts >= 32)
		return;
	char val[512];
	va_list ap;
	va_start(ap, fmt);
	wl_vsnprintf(val, sizeof val, fmt, ap);
	va_end(ap);
	/* a later fact with the same key replaces the earlier one */
	for (unsigned i = 0; i < f->nfacts; i++) {
		if (strcmp(f->facts[i].key, key) == 0) {
			char *v = strdup(val);
			if (v) {
				free(f->facts[i].val);
				f->facts[i].val = v;
			}
			return;
		}
	}
	struct wl_fact *nf = realloc(f->facts, (f->nfacts + 1) * sizeof *nf);
	if (!nf)
		return;
	f->facts = nf;
	nf[f->nfacts].key = strdup(key);
	nf[f->nfacts].val = strdup(val);
	if (nf[f->nfacts].key && nf[f->nfacts].val)
		f->nfacts++;
	else {
		free(nf[f->nfacts].key);
		free(nf[f->nfacts].val);
	}
}
