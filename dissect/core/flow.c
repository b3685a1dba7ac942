/* flow.c - the flow table (both directions of a 5-tuple), who is client and
 * who is server, idle eviction with a cap on flows, and a flow's end: its
 * dissector closed and its summary reported. Which dissector a flow gets is
 * dispatch.c's.
 *
 * A flow is one wirelab exchange; tshark's conversation outlives it: the last
 * ACK after both FINs, a late RST, a datagram after an idle gap belong to the
 * same tcp.stream/udp.stream, with the same relative sequence numbers. So an
 * ended flow leaves its conversation (struct wl_conv) in a small
 * direct-mapped table, and a new flow of the same 5-tuple continues it, unless
 * it opens with a SYN of another connection. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

/* Symmetric: both directions of one conversation hash alike. */
static uint64_t flow_hash(int tcp, int af, const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
	size_t n = af == 4 ? 4 : 16;
	uint64_t ha = (uint64_t)ap, hb = (uint64_t)bp;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t x, y;
		memcpy(&x, a + i, 4);
		memcpy(&y, b + i, 4);
		ha = mix(ha, x);
		hb = mix(hb, y);
	}
	uint64_t h = (ha ^ hb) + (ha + hb) * 31 + (uint64_t)tcp;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static void age_unlink(struct wl_ctx *ctx, struct wl_flow *f)
{
	if (f->older)
		f->older->newer = f->newer;
	else
		ctx->oldest = f->newer;
	if (f->newer)
		f->newer->older = f->older;
	else
		ctx->newest = f->older;
	f->older = f->newer = NULL;
}

static void age_push(struct wl_ctx *ctx, struct wl_flow *f)
{
	f->older = ctx->newest;
	f->newer = NULL;
	if (ctx->newest)
		ctx->newest->newer = f;
	else
		ctx->oldest = f;
	ctx->newest = f;
}

void wl__flow_touch(struct wl_ctx *ctx, struct wl_flow *f)
{
	/* the age list is ordered by creation; idle scan uses last_ns */
	(void)ctx;
	(void)f;
}

const char *wl_flow_label(const struct wl_ctx *ctx)
{
	return ctx->flow ? ctx->flow->label : NULL;
}

uint16_t wl_flow_port(const struct wl_ctx *ctx, enum wl_dir side)
{
	return ctx->flow ? ctx->flow->port[side] : 0;
}

int wl_flow_addr(const struct wl_ctx *ctx, enum wl_dir side, uint8_t out[16])
{
	if (!ctx->flow)
		return 0;
	memcpy(out, ctx->flow->addr[side], 16);
	return ctx->flow->af;
}

/* Ended conversations, by 5-tuple; direct-mapped, so a busy capture forgets
 * the oldest (a later packet then starts a new stream, nothing worse). */
#define ENDED_SLOTS 1024

struct wl_ended {
	uint64_t hash;
	uint8_t used, tcp, af;
	uint8_t addr[2][16];     /* [WL_C2S] client, [WL_S2C] server */
	uint16_t port[2];
	struct wl_conv conv;     /* with the segments not yet acknowledged: a late
				  * ACK still finds the one it acknowledges */
};

/* An ended conversation forgotten: its segment lists go. */
static void ended_drop(struct wl_ctx *ctx, struct wl_ended *e)
{
	if (e->used)
		wl__tcpan_free(ctx, &e->conv);
	e->used = 0;
}

static void ended_put(struct wl_ctx *ctx, struct wl_flow *f)
{
	if (!ctx->ended && !(ctx->ended = calloc(ENDED_SLOTS, sizeof *ctx->ended)))
		return;
	struct wl_ended *e = &ctx->ended[f->hash % ENDED_SLOTS];
	ended_drop(ctx, e);
	e->hash = f->hash;
	e->used = 1;
	e->tcp = f->tcp;
	e->af = f->af;
	memcpy(e->addr, f->addr, sizeof e->addr);
	memcpy(e->port, f->port, sizeof e->port);
	e->conv = f->conv;
	for (int d = 0; d < 2; d++) {
		/* the lists are the ended conversation's now */
		f->conv.an[d].ual = NULL;
		f->conv.an[d].nual = f->conv.an[d].ual_cap = 0;
	}
}

/* The ended conversation of this 5-tuple, and whether src:sport was its client. */
static struct wl_ended *ended_find(struct wl_ctx *ctx, uint64_t h, int tcp, int af, const uint8_t *src,
				   uint16_t sport, const uint8_t *dst, uint16_t dport, int *src_is_client)
{
	if (!ctx->ended)
		return NULL;
	struct wl_ended *e = &ctx->ended[h % ENDED_SLOTS];
	size_t n = af == 4 ? 4 : 16;
	if (!e->used || e->hash != h || e->tcp != tcp || e->af != af)
		return NULL;
	for (int side = 0; side < 2; side++) {
		if (e->port[side] == sport && e->port[!side] == dport && memcmp(e->addr[side], src, n) == 0 &&
		    memcmp(e->addr[!side], dst, n) == 0) {
			*src_is_client = side == WL_C2S;
			return e;
		}
	}
	return NULL;
}

void wl__flow_ended_free(struct wl_ctx *ctx)
{
	for (unsigned i = 0; ctx->ended && i < ENDED_SLOTS; i++)
		ended_drop(ctx, &ctx->ended[i]);
	free(ctx->ended);
	ctx->ended = NULL;
}

static void flow_free(struct wl_ctx *ctx, struct wl_flow *f)
{
	wl__tcpan_free(ctx, &f->conv);
	wl__half_free(ctx, &f->half[0]);
	wl__half_free(ctx, &f->half[1]);
	for (unsigned i = 0; i < f->nfacts; i++) {
		free(f->facts[i].key);
		free(f->facts[i].val);
	}
	free(f->facts);
	free(f->label);
	free(f);
}

static void hash_unlink(struct wl_ctx *ctx, struct wl_flow *f)
{
	struct wl_flow **pp = &ctx->htab[f->hash & (ctx->hsize - 1)];
	while (*pp && *pp != f)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = f->hnext;
}

void wl__flow_close(struct wl_ctx *ctx, struct wl_flow *f, const char *end)
{
	struct wl_flow *saved = ctx->flow;
	ctx->flow = f;
	if (f->tcp) {
		wl__stream_close_half(ctx, f, 0);
		wl__stream_close_half(ctx, f, 1);
	}
	if (f->d && f->d->close)
		f->d->close(f->dst, ctx);
	f->dst = NULL;
	wl__msg_flush(ctx);
	if (!f->end)
		f->end = end;
	if (ctx->sink.flow) {
		struct wl_flow_summary s = {
			.flow_id = f->id, .client = f->ep[0], .server = f->ep[1],
			.proto = f->d ? f->d->name : (f->tcp ? "tcp" : "udp"), .tcp = f->tcp,
			.first_frame = f->first_frame, .last_frame = f->last_frame,
			.first_ns = f->first_ns, .last_ns = f->last_ns,
			.pkts = { f->half[0].pkts, f->half[1].pkts },
			.bytes = { f->half[0].bytes, f->half[1].bytes },
			.warnings = f->warnings, .errors = f->errors, .gaps = f->gaps,
			.end = f->end, .nfacts = f->nfacts, .facts = f->facts,
		};
		ctx->sink.flow(ctx->sink.arg, &s);
	}
	ended_put(ctx, f);
	hash_unlink(ctx, f);
	age_unlink(ctx, f);
	ctx->nflows--;
	ctx->flow = saved == f ? NULL : saved;
	flow_free(ctx, f);
}

void wl__flow_evict_idle(struct wl_ctx *ctx)
{
	/* creation order approximates age well enough; scan a bounded number */
	struct wl_flow *f = ctx->oldest;
	for (int n = 0; f && n < 64; n++) {
		struct wl_flow *next = f->newer;
		int64_t idle = f->tcp ? ctx->lim.idle_ns : ctx->lim.udp_idle_ns;
		if (ctx->ts_ns - f->last_ns > idle && f != ctx->flow) {
			ctx->stats.flows_evicted++;
			wl__flow_close(ctx, f, f->closed ? NULL : "idle timeout");
		}
		f = next;
	}
}

void wl__flow_free_all(struct wl_ctx *ctx)
{
	while (ctx->oldest) {
		struct wl_flow *f = ctx->oldest;
		if (f->d && f->d->close && f->dst)
			f->d->close(f->dst, ctx);
		hash_unlink(ctx, f);
		age_unlink(ctx, f);
		ctx->nflows--;
		flow_free(ctx, f);
	}
	wl__msg_flush(ctx);
}

static int same(int af, const uint8_t *a, uint16_t ap, const uint8_t *b, uint16_t bp)
{
	return ap == bp && memcmp(a, b, af == 4 ? 4 : 16) == 0;
}

struct wl_flow *wl__flow_get(struct wl_ctx *ctx, int tcp, const uint8_t *src, uint16_t sport,
			     const uint8_t *dst, uint16_t dport, int *dir, int syn_only, uint32_t seq)
{
	int af = ctx->ip_af;
	uint64_t h = flow_hash(tcp, af, src, sport, dst, dport);
	struct wl_flow *f = ctx->htab[h & (ctx->hsize - 1)];
	for (; f; f = f->hnext) {
		if (f->hash != h || f->tcp != tcp || f->af != af)
			continue;
		if (same(af, f->addr[0], f->port[0], src, sport) &&
		    same(af, f->addr[1], f->port[1], dst, dport)) {
			*dir = WL_C2S;
			break;
		}
		if (same(af, f->addr[1], f->port[1], src, sport) &&
		    same(af, f->addr[0], f->port[0], dst, dport)) {
			*dir = WL_S2C;
			break;
		}
	}
	if (f) {
		f->last_frame = ctx->frame;
		f->last_ns = ctx->ts_ns;
		return f;
	}

	if (ctx->nflows >= ctx->lim.max_flows) {
		/* full: the oldest flow makes room */
		ctx->stats.flows_evicted++;
		if (ctx->stats.flows_full++ == 0)
			ctx->full_note = 1;
		wl__flow_close(ctx, ctx->oldest, "evicted: flow table full");
	}
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	/* A conversation that outlived its flow goes on (not for a SYN that
	 * starts another connection, which tshark calls a port reuse). */
	int src_is_client = 0, reused = 0;
	struct wl_ended *e = ended_find(ctx, h, tcp, af, src, sport, dst, dport, &src_is_client);
	if (e && tcp && syn_only == 1) {
		const struct wl_tcp_an *a = &e->conv.an[src_is_client ? WL_C2S : WL_S2C];
		if (!(a->known & WL_AN_BASE) || a->base_seq != seq) {
			ended_drop(ctx, e);
			e = NULL;
			reused = 1;
		}
	}
	/* Who is the client? The one of the conversation it continues; the
	 * sender of a bare SYN; the receiver of a SYN-ACK; else the side whose
	 * port no dissector knows, else the higher port. */
	int swap;
	if (e)
		swap = !src_is_client;
	else if (tcp && syn_only == 1)
		swap = 0;
	else if (tcp && syn_only == 2)
		swap = 1;
	else if (wl__known_port(ctx, tcp, dport) != wl__known_port(ctx, tcp, sport))
		swap = wl__known_port(ctx, tcp, sport);
	else
		swap = sport < dport;
	const uint8_t *ca = swap ? dst : src, *sa = swap ? src : dst;
	f->af = (uint8_t)af;
	f->tcp = (uint8_t)tcp;
	memcpy(f->addr[0], ca, af == 4 ? 4 : 16);
	memcpy(f->addr[1], sa, af == 4 ? 4 : 16);
	f->port[0] = swap ? dport : sport;
	f->port[1] = swap ? sport : dport;
	wl__ep_str(f->ep[0], WL_EP_STRLEN, af, f->addr[0], f->port[0]);
	wl__ep_str(f->ep[1], WL_EP_STRLEN, af, f->addr[1], f->port[1]);
	f->id = ++ctx->next_flow_id;
	f->hash = h;
	f->reused = (uint8_t)reused;
	if (e) {
		f->conv = e->conv;
		e->used = 0;
		for (int d = 0; d < 2; d++) {
			/* reassembly resumes where the conversation was */
			if (tcp && (f->conv.an[d].known & WL_AN_NEXTSEQ)) {
				f->half[d].next_seq = f->conv.an[d].nextseq;
				f->half[d].have_base = 1;
			}
		}
	} else {
		if (tcp)
			wl__tcpan_init(&f->conv);
		f->conv.stream = ctx->next_stream[tcp != 0]++;
	}
	f->first_frame = f->last_frame = ctx->frame;
	f->first_ns = f->last_ns = ctx->ts_ns;
	f->hnext = ctx->htab[h & (ctx->hsize - 1)];
	ctx->htab[h & (ctx->hsize - 1)] = f;
	age_push(ctx, f);
	ctx->nflows++;
	ctx->stats.flows++;
	*dir = swap ? WL_S2C : WL_C2S;
	if (ctx->on_flow_open) {
		struct wl_flow *save = ctx->flow;
		ctx->flow = f;
		ctx->on_flow_open(ctx->on_flow_open_arg, ctx);
		ctx->flow = save;
	}

	/* tshark's conversation is new unless it outlived a flow or its
	 * dissector made it for an expectation */
	if (!wl__expect_claim(ctx, f) && !e && tcp)
		f->conv.fresh = 1;
	return f;
}

/* For the frame callback: the flow's stream and where its payload is in the frame. */
void wl__frame_transport(struct wl_ctx *ctx, const struct wl_flow *f, const uint8_t *payload,
			 uint32_t n)
{
	ctx->fi.flow_proto = f->d ? f->d->name : NULL;
	if (f->tcp)
		ctx->fi.tcp_stream = f->conv.stream;
	else
		ctx->fi.udp_stream = f->conv.stream;
	/* a reassembled IP datagram's payload is not in the frame's bytes */
	uintptr_t p = (uintptr_t)payload, d = (uintptr_t)ctx->frame_data;
	if (n && p >= d && p - d <= ctx->caplen && n <= ctx->caplen - (p - d)) {
		ctx->fi.payload_off = (uint32_t)(p - d);
		ctx->fi.payload_len = n;
	}
}
