/* want.c - the fields a display filter and the -T fields columns read, for
 * an engine that need make no other (wl_opts.want_field): on a filter that
 * matches little, making, copying and looking up every field of every frame
 * is most of the work after the dissection itself (docs/benchmark.md). */
#include <stdlib.h>
#include <string.h>

#include "qpriv.h"

struct wl_qwant {
	const struct wl_qreg *reg;
	uint8_t *id;             /* per registry id: READ, SOME_READ */
	int all;                 /* it reads every field (frame.protocols) */
};

enum { READ = 1, SOME_READ = 2 };   /* the field or protocol; a protocol, some of its fields */

static void mark(struct wl_qwant *w, int id)
{
	if (id < 0 || (unsigned)id >= w->reg->n)
		return;
	w->id[id] |= READ;
	const struct wl_qfield *f = wl__qreg_get(w->reg, id);
	int proto = wl__qreg_proto_of(w->reg, f->name);
	if (proto >= 0 && f->kind != QK_VIRT)   /* tcp.stream is the frame's, no tcp field */
		w->id[proto] |= SOME_READ;
}

static void named(void *arg, int id)
{
	struct wl_qwant *w = arg;
	const struct wl_qfield *f = wl__qreg_get(w->reg, id);
	mark(w, id);
	if (f->kind == QK_ALIAS) {
		mark(w, f->alias[0]);
		mark(w, f->alias[1]);
	} else if (f->kind == QK_VIRT && f->virt == V_FRAME_PROTOCOLS) {
		w->all = 1;   /* the chain follows the fields' prefixes (spnego., ntlmssp.) */
	} else if (f->kind == QK_VIRT && f->virt == V_TCP_PAYLOAD) {
		/* a RST's bytes are no payload (qfmt.c) */
		mark(w, wl__qreg_find(w->reg, "tcp.flags.reset", strlen("tcp.flags.reset")));
	}
}

struct wl_qwant *wl_qwant_new(const struct wl_qreg *reg, const struct wl_dfilter *df,
			      const char *const *columns, unsigned ncolumns)
{
	struct wl_qwant *w = calloc(1, sizeof *w);
	if (!w || !(w->id = calloc(reg->n ? reg->n : 1, 1))) {
		free(w);
		return NULL;
	}
	w->reg = reg;
	if (df)
		wl_dfilter_fields(df, named, w);
	for (unsigned i = 0; i < ncolumns; i++) {
		int id = wl__qreg_find(reg, columns[i], strlen(columns[i]));
		if (id < 0)
			w->all = 1;   /* not a name the registry has: make everything */
		else
			named(w, id);
	}
	if (w->all) {
		wl_qwant_free(w);
		return NULL;
	}
	return w;
}

/* Whether a field under the prefix ("tcp.analysis.") is read. */
static int prefix_read(const struct wl_qwant *w, const char *prefix, size_t n)
{
	int proto = wl__qreg_proto_of(w->reg, prefix);
	if (proto >= 0 && (w->id[proto] & READ))
		return 1;   /* the protocol itself: all of its fields */
	for (unsigned id = 0; id < w->reg->n; id++)
		if ((w->id[id] & READ) && strncmp(wl__qreg_get(w->reg, id)->name, prefix, n) == 0)
			return 1;
	return 0;
}

int wl_qwant_field(void *want, const char *name)
{
	const struct wl_qwant *w = want;
	size_t n = strlen(name);
	if (n && name[n - 1] == '.')
		return prefix_read(w, name, n);
	int id = wl__qreg_find(w->reg, name, n);
	if (id >= 0 && wl__qreg_get(w->reg, id)->kind == QK_PROTO)
		return w->id[id] != 0;   /* a protocol: is any of its fields read? */
	if (id >= 0 && w->id[id])
		return 1;
	/* a protocol is in a frame when one of its fields is (frame.c) */
	int proto = wl__qreg_proto_of(w->reg, name);
	return proto >= 0 && (w->id[proto] & READ);
}

int wl_qwant_reads_messages(const struct wl_qwant *w)
{
	for (unsigned id = 0; id < w->reg->n; id++)
		if ((w->id[id] & READ) && wl__qreg_get(w->reg, id)->kind != QK_VIRT)
			return 1;
	return 0;   /* frame.number, tcp.stream ...: the frame's own facts */
}

void wl_qwant_free(struct wl_qwant *w)
{
	if (w)
		free(w->id);
	free(w);
}
