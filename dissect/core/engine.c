/* engine.c - the dissection engine's front: create, options, decode-as rules,
 * one frame in, finish. The layers live in link.c, ip.c, tcp.c, udp.c, flow.c,
 * stream.c and dispatch.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

struct wl_engine {
	struct wl_ctx ctx;  /* first: a wl_engine is a wl_ctx */
};

void wl_limits_default(struct wl_limits *l)
{
	/* 16384 flows with their dissectors' state stay near 64 MiB; the oldest
	 * flow makes room for a new one (its summary says "evicted") */
	l->max_flows = 16384;
	l->flow_buf_max = 4u << 20;
	l->total_buf_max = 32u << 20;
	l->idle_ns = 300LL * 1000000000LL;
	l->udp_idle_ns = 60LL * 1000000000LL;
}

static const struct wl_dissector *const no_dissectors[] = { NULL };

struct wl_engine *wl_engine_new(const struct wl_opts *opts, const struct wl_limits *lim,
				const struct wl_sink *sink)
{
	struct wl_engine *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	struct wl_ctx *ctx = &e->ctx;
	if (opts)
		ctx->opts = *opts;
	if (lim)
		ctx->lim = *lim;
	else
		wl_limits_default(&ctx->lim);
	if (sink)
		ctx->sink = *sink;
	ctx->msg = malloc(sizeof *ctx->msg);
	if (ctx->opts.want_field && !(ctx->want = wl__want_new(&ctx->opts)))
		ctx->opts.want_field = NULL;   /* out of memory: every field, as without */
	ctx->tcpan_off = ctx->opts.headers_only && !wl__tcpan_read(&ctx->opts);
	if (ctx->opts.frame_bytes && !(ctx->spans = calloc(WL_MSG_MAX_FIELDS, sizeof *ctx->spans)))
		ctx->opts.frame_bytes = 0;  /* out of memory: the page goes without bytes */
	ctx->hsize = 1;
	while (ctx->hsize < ctx->lim.max_flows * 2 && ctx->hsize < (1u << 24))
		ctx->hsize <<= 1;
	ctx->htab = calloc(ctx->hsize, sizeof *ctx->htab);
	if (!ctx->msg || !ctx->htab) {
		free(ctx->msg);
		free(ctx->htab);
		free(ctx->spans);
		free(ctx->want);
		free(e);
		return NULL;
	}
	ctx->dissectors = no_dissectors;
	ctx->msg->pool_used = 0;
	wl__msg_init(ctx);
	return e;
}

void wl_engine_set_dissectors(struct wl_engine *e, const struct wl_dissector *const *table)
{
	e->ctx.dissectors = e->ctx.opts.headers_only ? no_dissectors : table;
}

void wl_engine_on_flow_open(struct wl_engine *e, void (*fn)(void *arg, struct wl_ctx *ctx), void *arg)
{
	e->ctx.on_flow_open = fn;
	e->ctx.on_flow_open_arg = arg;
}

int wl_engine_decode_as(struct wl_engine *e, const struct wl_decode_as *rule)
{
	struct wl_ctx *ctx = &e->ctx;
	if (ctx->nrules >= WL_MAX_DECODE_AS)
		return -1;
	ctx->rules[ctx->nrules++] = *rule;
	return 0;
}

void wl_engine_on_frame(struct wl_engine *e, wl_frame_cb *cb, void *arg)
{
	e->ctx.frame_cb = cb;
	e->ctx.frame_arg = arg;
}

int wl_link_supported(int linktype)
{
	switch (linktype) {
	case WL_LINK_NULL: case WL_LINK_ETHERNET: case WL_LINK_RAW: case WL_LINK_IEEE802_11:
	case WL_LINK_LOOP: case WL_LINK_SLL: case WL_LINK_RADIOTAP: case WL_LINK_IPV4:
	case WL_LINK_IPV6: case WL_LINK_SLL2:
		return 1;
	default:
		return 0;
	}
}

void wl_engine_packet(struct wl_engine *e, int linktype, int64_t ts_ns,
		      const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct wl_frame f = { .linktype = linktype, .ts_ns = ts_ns, .data = data,
			      .caplen = caplen, .len = len };
	wl_engine_frame(e, &f);
}

void wl_engine_frame(struct wl_engine *e, const struct wl_frame *fr)
{
	struct wl_ctx *ctx = &e->ctx;
	int linktype = fr->linktype;
	int64_t ts_ns = fr->ts_ns;
	const uint8_t *data = fr->data;
	uint32_t caplen = fr->caplen, len = fr->len;
	ctx->frame_meta = fr->show_interface || fr->ncomments ||
			  (fr->section && ctx->opts.verbose) ? fr : NULL;
	ctx->frame++;
	ctx->prev_ns = ctx->have_first ? ctx->ts_ns : ts_ns;
	ctx->ts_ns = ts_ns;
	if (!ctx->have_first) {
		ctx->first_ns = ts_ns;
		ctx->have_first = 1;
	}
	ctx->frame_pending = ctx->opts.verbose != 0;
	ctx->caplen = caplen;
	ctx->wirelen = len;
	ctx->frame_data = data;
	ctx->frame_link = linktype;
	ctx->link.kind = WL_LK_NONE;
	ctx->link.pending = 0;
	ctx->link.l3_set = 0;
	ctx->nipl = 0;
	ctx->fi.tcp_stream = ctx->fi.udp_stream = -1;
	ctx->fi.payload_off = ctx->fi.payload_len = 0;
	ctx->fi.flow_proto = NULL;
	ctx->flow = NULL;
	ctx->ip_af = 0;
	ctx->pkt_src[0] = ctx->pkt_dst[0] = '\0';
	ctx->pkt_eps_ok = 1;
	ctx->stats.frames++;
	ctx->stats.bytes += len;

	wl__link(ctx, linktype, wl_cur_make(data, caplen));
	wl__msg_flush(ctx);
	ctx->flow = NULL;
	if (ctx->frame_cb) {
		struct wl_frame_info *fi = &ctx->fi;
		fi->frame = ctx->frame;
		fi->ts_ns = ts_ns;
		fi->rel_ns = ts_ns - ctx->first_ns;
		fi->caplen = caplen;
		fi->len = len;
		fi->linktype = linktype;
		fi->data = data;
		ctx->frame_cb(ctx->frame_arg, fi);
	}
	ctx->frame_meta = NULL;
	ctx->frame_data = NULL;  /* messages made at a flow's close carry no bytes */
	if ((ctx->frame & 1023) == 0)
		wl__flow_evict_idle(ctx);
}

void wl_engine_finish(struct wl_engine *e)
{
	struct wl_ctx *ctx = &e->ctx;
	/* oldest first, so summaries come in the order the flows opened */
	while (ctx->oldest) {
		struct wl_flow *f = ctx->oldest;
		wl__flow_close(ctx, f, f->end ? f->end : "open at end of capture");
	}
	wl__frag_free(ctx);
}

void *wl_engine_shared(struct wl_ctx *ctx, const struct wl_dissector *d,
		       void *(*make)(void), void (*drop)(void *))
{
	struct wl_shared *free_slot = NULL;
	for (unsigned i = 0; i < WL_MAX_SHARED; i++) {
		struct wl_shared *s = &ctx->shared[i];
		if (s->d == d)
			return s->p;
		if (!s->d && !free_slot)
			free_slot = s;
	}
	if (!free_slot)
		return NULL;
	void *p = make();
	if (p)
		*free_slot = (struct wl_shared){ d, p, drop };
	return p;
}

static void shared_free(struct wl_ctx *ctx)
{
	for (unsigned i = 0; i < WL_MAX_SHARED; i++)
		if (ctx->shared[i].d)
			ctx->shared[i].drop(ctx->shared[i].p);
}

void wl_engine_free(struct wl_engine *e)
{
	if (!e)
		return;
	wl__flow_free_all(&e->ctx);
	wl__flow_ended_free(&e->ctx);
	wl__frag_free(&e->ctx);
	shared_free(&e->ctx);
	free(e->ctx.htab);
	free(e->ctx.msg);
	free(e->ctx.spans);
	free(e->ctx.want);
	free(e);
}

void wl_engine_stats(const struct wl_engine *e, struct wl_engine_stats *st)
{
	*st = e->ctx.stats;
}
