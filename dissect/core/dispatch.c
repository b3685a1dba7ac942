/* dispatch.c - which dissector a flow gets: decode-as rule, then
 * expectation, then port table, then probe on the first payload bytes; and
 * the expectations themselves (wl_expect). A dissector's state is made when it
 * takes the flow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"


const struct wl_dissector *wl_engine_dissector(const struct wl_ctx *ctx, const char *name)
{
	for (const struct wl_dissector *const *d = ctx->dissectors; *d; d++)
		if (strcmp((*d)->name, name) == 0)
			return *d;
	return NULL;
}

static int port_in(const uint16_t *ports, uint16_t p)
{
	for (; ports && *ports; ports++)
		if (*ports == p)
			return 1;
	return 0;
}

/* A decode-as rule of that layer; a tls.port rule (layer 2) also means TLS
 * on that TCP port, as in tshark. */
static const struct wl_dissector *by_port(const struct wl_ctx *ctx, int layer, uint16_t port)
{
	for (unsigned i = 0; i < ctx->nrules; i++) {
		if (ctx->rules[i].port != port)
			continue;
		if (ctx->rules[i].tcp == layer)
			return ctx->rules[i].d;
		if (layer == 1 && ctx->rules[i].tcp == 2)
			return wl_engine_dissector(ctx, "tls");
	}
	return NULL;
}

static const struct wl_dissector *by_table(const struct wl_ctx *ctx, int tcp, uint16_t port)
{
	for (const struct wl_dissector *const *d = ctx->dissectors; *d; d++)
		if (port_in(tcp ? (*d)->tcp_ports : (*d)->udp_ports, port))
			return *d;
	return NULL;
}

int wl__known_port(const struct wl_ctx *ctx, int tcp, uint16_t port)
{
	return by_port(ctx, tcp, port) || by_table(ctx, tcp, port);
}

static struct wl_expect_rec *expect_find(struct wl_ctx *ctx, int tcp, int af,
					 const uint8_t *addr, uint16_t port)
{
	size_t n = af == 4 ? 4 : 16;
	for (unsigned i = 0; i < WL_MAX_EXPECT; i++) {
		struct wl_expect_rec *x = &ctx->expect[i];
		if (x->used && x->tcp == tcp && x->af == af && x->port == port &&
		    memcmp(x->addr, addr, n) == 0)
			return x;
	}
	return NULL;
}

void wl_expect(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port, int tcp,
	       const char *proto, const char *label)
{
	const struct wl_dissector *d = wl_engine_dissector(ctx, proto);
	if (!d || (af != 4 && af != 6))
		return;
	struct wl_expect_rec *x = expect_find(ctx, tcp, af, addr, port);
	for (unsigned i = 0; !x && i < WL_MAX_EXPECT; i++)
		if (!ctx->expect[i].used)
			x = &ctx->expect[i];
	if (!x)
		x = &ctx->expect[ctx->frame % WL_MAX_EXPECT];  /* full: replace one */
	memset(x, 0, sizeof *x);
	x->used = 1;
	x->tcp = (uint8_t)tcp;
	x->af = (uint8_t)af;
	memcpy(x->addr, addr, af == 4 ? 4 : 16);
	x->port = port;
	x->d = d;
	if (label)
		snprintf(x->label, sizeof x->label, "%s", label);
}

void wl_expect_label(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port, int tcp,
		     const char *label)
{
	struct wl_expect_rec *x = expect_find(ctx, tcp, af, addr, port);
	if (x) {
		snprintf(x->label, sizeof x->label, "%s", label ? label : "");
		return;
	}
	size_t n = af == 4 ? 4 : 16;
	for (struct wl_flow *f = ctx->newest; f; f = f->older) {
		if (!f->label || f->closed || f->tcp != tcp || f->af != af)
			continue;
		for (int side = 1; side >= 0; side--) {
			if (f->port[side] != port || memcmp(f->addr[side], addr, n) != 0)
				continue;
			char *l = strdup(label ? label : "");
			if (l) {
				free(f->label);
				f->label = l;
			}
			return;
		}
	}
}

void wl_expect_premade(struct wl_ctx *ctx, int af, const uint8_t *addr, uint16_t port, int tcp,
		       const uint8_t *a_addr, uint16_t a_port, const uint8_t *b_addr)
{
	struct wl_expect_rec *x = expect_find(ctx, tcp, af, addr, port);
	if (!x)
		return;
	size_t n = af == 4 ? 4 : 16;
	x->premade_set = 1;
	memcpy(x->a_addr, a_addr, n);
	memcpy(x->b_addr, b_addr, n);
	x->a_port = a_port;
}

/* Whether the flow is in the conversation tshark made for x. */
static int in_premade(const struct wl_expect_rec *x, const struct wl_flow *f)
{
	if (!x->premade_set)
		return 1;
	size_t n = f->af == 4 ? 4 : 16;
	for (int side = 0; side < 2; side++)
		if (f->port[side] == x->a_port && memcmp(f->addr[side], x->a_addr, n) == 0 &&
		    memcmp(f->addr[!side], x->b_addr, n) == 0)
			return 1;
	return 0;
}

/* opts.only: a flow whose protocol no consumer can use is not dissected. */
static void flow_mute_unwanted(struct wl_ctx *ctx, struct wl_flow *f)
{
	const char *const *only = ctx->opts.only;
	if (!only)
		return;
	const char *name = f->d ? f->d->name : "data";
	for (; *only; only++)
		if (strcmp(*only, name) == 0)
			return;
	f->muted = 1;
	f->d = NULL;
}

/* An announced connection (FTP data after PASV) takes its dissector when it is created. */
int wl__expect_claim(struct wl_ctx *ctx, struct wl_flow *f)
{
	struct wl_expect_rec *x = expect_find(ctx, f->tcp, f->af, f->addr[1], f->port[1]);
	if (!x)
		x = expect_find(ctx, f->tcp, f->af, f->addr[0], f->port[0]);
	if (!x)
		return 0;
	f->d = x->d;
	f->label = x->label[0] ? strdup(x->label) : NULL;
	x->used = 0;
	f->dissector_tried = 1;
	flow_mute_unwanted(ctx, f);
	return in_premade(x, f);
}

/* The dissector's state, made when it takes the flow: at the first payload
 * (or gap) after a port match, an expectation or a probe's yes, so a flow
 * that carries nothing (a SYN flood on port 445) costs no SMB state. */
static void flow_open_dissector(struct wl_ctx *ctx, struct wl_flow *f)
{
	if (f->d && f->d->open && !f->dst) {
		f->dst = f->d->open(ctx);
		if (!f->dst)
			f->d = NULL;  /* out of memory: treat as unknown payload */
	}
}

const struct wl_dissector *wl__dissector_by_rule(const struct wl_ctx *ctx, int layer,
					       const uint16_t port[2])
{
	const struct wl_dissector *d = by_port(ctx, layer, port[WL_S2C]);
	return d ? d : by_port(ctx, layer, port[WL_C2S]);
}

const struct wl_dissector *wl__dissector_by_port(const struct wl_ctx *ctx, int layer,
					       const uint16_t port[2], const struct wl_dissector *not)
{
	const struct wl_dissector *d = NULL;
	for (int i = 0; i < 4 && !d; i++) {
		uint16_t p = port[i & 1 ? WL_C2S : WL_S2C];
		d = i < 2 ? by_port(ctx, layer, p) : by_table(ctx, layer, p);
		if (d == not)
			d = NULL;
	}
	return d;
}

const struct wl_dissector *wl__dissector_probe(const struct wl_ctx *ctx, int tcp, int dir,
					       struct wl_cur payload, const struct wl_dissector *not,
					       int *need_more)
{
	*need_more = 0;
	for (const struct wl_dissector *const *p = ctx->dissectors; *p; p++) {
		if (*p == not || !(*p)->probe || (tcp ? !(*p)->stream : !(*p)->datagram))
			continue;
		enum wl_probe r = (*p)->probe(payload, (enum wl_dir)dir);
		if (r == WL_PROBE_YES)
			return *p;
		if (r == WL_PROBE_NEED_MORE)
			*need_more = 1;
	}
	return NULL;
}

void wl__flow_pick_dissector(struct wl_ctx *ctx, struct wl_flow *f, int dir, struct wl_cur payload)
{
	if (f->dissector_tried) {
		flow_open_dissector(ctx, f);
		return;
	}
	const struct wl_dissector *d = wl__dissector_by_port(ctx, f->tcp, f->port, NULL);
	if (!d) {
		int need_more;
		d = wl__dissector_probe(ctx, f->tcp, dir, payload, NULL, &need_more);
		if (!d && need_more && f->tcp && wl_left(&payload) < WL_PROBE_MAX)
			return;  /* ask again with more bytes */
	}
	f->d = d;
	f->dissector_tried = 1;
	flow_mute_unwanted(ctx, f);
	flow_open_dissector(ctx, f);
	if (f == ctx->flow)   /* the frame callback names the protocol found now */
		ctx->fi.flow_proto = f->d ? f->d->name : NULL;
}

void wl__deliver_gap(struct wl_ctx *ctx, struct wl_flow *f, int dir, uint64_t n)
{
	f->gaps += n;
	if (f->dissector_tried)
		flow_open_dissector(ctx, f);
	if (f->d && f->dst && f->d->gap)
		f->d->gap(f->dst, ctx, (enum wl_dir)dir, n);
}
