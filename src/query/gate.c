/* gate.c - the frame gate: a sink between the engine and the renderers that
 * groups a frame's messages, evaluates the display filter once per frame and
 * forwards the frame or drops it before anything is formatted (the frame's
 * fields are read by frame.c).
 *
 * A frame's messages are copied as they come (the engine reuses its message)
 * into one arena of records, with the flow summaries that come between them,
 * so that a passing frame is replayed to the renderer in the engine's order.
 * The frame ends with the engine's frame callback. Messages the engine sends
 * after it (a flow closing at the end of the capture, or evicted after the
 * frame) form a "late" group of their own, evaluated by themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "qpriv.h"

#define MAX_CONSUMERS 16

enum { REC_MSG = 1, REC_FLOW = 2 };

struct item {
	uint8_t kind;
	size_t off;              /* its record in the arena */
};

struct wl_gate {
	const struct wl_qreg *reg;
	struct wl_dfilter *df;
	struct wl_sink out;
	int has_out;
	struct wl_qconsumer cons[MAX_CONSUMERS];
	unsigned ncons;
	int flow_consumers;      /* some consumer takes flow summaries */

	/* the group being collected; after its frame callback a frame's records
	 * stay (held) until the next frame starts, so that messages the engine
	 * sends late for it are judged with it */
	int open, late;
	int held, held_pass;
	unsigned late_from;      /* the open late group's first item */
	uint64_t frame;          /* its frame number */
	uint64_t last_frame;     /* the frame of the last callback */
	struct wl_frame_info last_fi;
	uint8_t *arena;
	size_t used, cap;
	int oom;                 /* a record did not fit in memory: the group is dropped */
	struct item *items;
	unsigned nitems, items_cap;
	struct wl_qmsg *msgs;
	unsigned msgs_cap;
	int *ids;                /* the frame's field ids, message after message */
	size_t ids_cap;
	/* the frame's fields by id (wl_qframe.by_id): head and stamp per
	 * registry id, the rest per field of the frame (ids_cap of them) */
	int32_t *head, *next;
	uint32_t *stamp, *at_msg, *at_field;
	struct wl_qindex index;

	/* replay */
	struct wl_msg *scratch;
	struct wl_fact *facts;
	unsigned facts_cap;

	/* flows that had a frame shown: their summaries are shown too */
	uint8_t *shown;
	size_t shown_cap;

	int64_t prev_ns, prev_shown_ns;
	int have_prev;
	uint64_t frames, passed;
	struct name_slot cache[NAME_CACHE];
};

static const size_t msg_head = offsetof(struct wl_msg, fields);

/* ---- records ---- */

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void *arena_take(struct wl_gate *g, size_t n, size_t *off)
{
	n = align8(n);
	if (n > g->cap - g->used) {
		size_t cap = g->cap ? g->cap : (1u << 16);
		while (cap - g->used < n)
			cap *= 2;
		uint8_t *a = realloc(g->arena, cap);
		if (!a) {
			g->oom = 1;
			return NULL;
		}
		g->arena = a;
		g->cap = cap;
	}
	*off = g->used;
	g->used += n;
	return g->arena + *off;
}

static int add_item(struct wl_gate *g, uint8_t kind, size_t off)
{
	if (g->nitems == g->items_cap) {
		unsigned cap = g->items_cap ? g->items_cap * 2 : 16;
		struct item *ni = realloc(g->items, cap * sizeof *ni);
		if (!ni) {
			g->oom = 1;
			return -1;
		}
		g->items = ni;
		g->items_cap = cap;
	}
	g->items[g->nitems++] = (struct item){ kind, off };
	return 0;
}

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* A message record: the header as the engine made it, then its fields,
 * notes and used pool, then the endpoint strings (their flow may be freed
 * before the group is replayed). src and dst are mostly client and server:
 * those are kept once (same_as). */
struct msg_rec {
	uint32_t nfields, nnotes, pool_used;
	uint32_t str_len[4];     /* with the NUL; 0: NULL or same_as */
	int8_t same_as[4];       /* the earlier string it is, or -1 */
};

static void keep_msg(struct wl_gate *g, const struct wl_msg *m)
{
	const char *strs[4] = { m->client, m->server, m->src, m->dst };
	size_t nf = m->nfields * sizeof m->fields[0], nn = m->nnotes * sizeof m->notes[0];
	size_t ns = 0;
	uint32_t len[4];
	int8_t same[4];
	for (int i = 0; i < 4; i++) {
		same[i] = -1;
		for (int j = 0; j < i && strs[i]; j++)
			if (strs[j] == strs[i] && same[j] < 0)
				same[i] = (int8_t)j;
		len[i] = same[i] < 0 ? (uint32_t)str_size(strs[i]) : 0;
		ns += len[i];
	}
	size_t off;
	uint8_t *d = arena_take(g, align8(sizeof(struct msg_rec)) + align8(msg_head) + align8(nf) + align8(nn) +
				       align8(m->pool_used) + ns, &off);
	if (!d)
		return;
	struct msg_rec *r = (struct msg_rec *)d;
	r->nfields = m->nfields;
	r->nnotes = m->nnotes;
	r->pool_used = m->pool_used;
	d += align8(sizeof *r);
	memcpy(d, m, msg_head);
	d += align8(msg_head);
	memcpy(d, m->fields, nf);
	d += align8(nf);
	memcpy(d, m->notes, nn);
	d += align8(nn);
	memcpy(d, m->pool, m->pool_used);
	d += align8(m->pool_used);
	for (int i = 0; i < 4; i++) {
		r->str_len[i] = len[i];
		r->same_as[i] = same[i];
		memcpy(d, strs[i] ? strs[i] : "", len[i]);
		d += len[i];
	}
	add_item(g, REC_MSG, off);
}

/* The parts of a message record. */
struct msg_view {
	const struct msg_rec *r;
	const struct wl_msg *head;   /* only the members before fields[] are there */
	const struct wl_field *fields;
	const struct wl_note_rec *notes;
	const char *pool;
	const char *str[4];
};

static void view_msg(const struct wl_gate *g, size_t off, struct msg_view *v)
{
	const uint8_t *d = g->arena + off;
	v->r = (const struct msg_rec *)d;
	d += align8(sizeof *v->r);
	v->head = (const struct wl_msg *)d;
	d += align8(msg_head);
	v->fields = (const struct wl_field *)d;
	d += align8(v->r->nfields * sizeof(struct wl_field));
	v->notes = (const struct wl_note_rec *)d;
	d += align8(v->r->nnotes * sizeof(struct wl_note_rec));
	v->pool = (const char *)d;
	d += align8(v->r->pool_used);
	for (int i = 0; i < 4; i++) {
		v->str[i] = v->r->same_as[i] >= 0 ? v->str[v->r->same_as[i]] : v->r->str_len[i] ? (const char *)d : NULL;
		d += v->r->str_len[i];
	}
}

/* A flow summary record: the struct, then its strings and facts. */
static void keep_flow(struct wl_gate *g, const struct wl_flow_summary *s)
{
	const char *strs[4] = { s->client, s->server, s->proto, s->end };
	size_t n = sizeof *s + 4 * sizeof(uint32_t);
	for (int i = 0; i < 4; i++)
		n += str_size(strs[i]);
	for (unsigned i = 0; i < s->nfacts; i++)
		n += 2 * sizeof(uint32_t) + str_size(s->facts[i].key) + str_size(s->facts[i].val);
	size_t off;
	uint8_t *d = arena_take(g, n, &off);
	if (!d)
		return;
	memcpy(d, s, sizeof *s);
	d += sizeof *s;
	for (int i = 0; i < 4; i++) {
		uint32_t len = (uint32_t)str_size(strs[i]);
		memcpy(d, &len, sizeof len);
		d += sizeof len;
		if (len)
			memcpy(d, strs[i], len);
		d += len;
	}
	for (unsigned i = 0; i < s->nfacts; i++) {
		const char *kv[2] = { s->facts[i].key, s->facts[i].val };
		for (int j = 0; j < 2; j++) {
			uint32_t len = (uint32_t)str_size(kv[j]);
			memcpy(d, &len, sizeof len);
			d += sizeof len;
			if (len)
				memcpy(d, kv[j], len);
			d += len;
		}
	}
	add_item(g, REC_FLOW, off);
}

static const uint8_t *get_str(const uint8_t *d, const char **s)
{
	uint32_t len;
	memcpy(&len, d, sizeof len);
	d += sizeof len;
	*s = len ? (const char *)d : NULL;
	return d + len;
}

/* The summary back from its record (facts into g->facts). */
static int view_flow(struct wl_gate *g, size_t off, struct wl_flow_summary *s)
{
	const uint8_t *d = g->arena + off;
	memcpy(s, d, sizeof *s);
	d += sizeof *s;
	d = get_str(d, &s->client);
	d = get_str(d, &s->server);
	d = get_str(d, &s->proto);
	d = get_str(d, &s->end);
	if (s->nfacts > g->facts_cap) {
		struct wl_fact *nf = realloc(g->facts, s->nfacts * sizeof *nf);
		if (!nf)
			s->nfacts = g->facts_cap;
		else {
			g->facts = nf;
			g->facts_cap = s->nfacts;
		}
	}
	for (unsigned i = 0; i < s->nfacts; i++) {
		const char *k, *v;
		d = get_str(d, &k);
		d = get_str(d, &v);
		g->facts[i] = (struct wl_fact){ (char *)k, (char *)v };
	}
	s->facts = g->facts;
	return 0;
}

/* ---- flows shown ---- */

static void mark_shown(struct wl_gate *g, uint32_t id)
{
	size_t byte = id / 8;
	if (byte >= g->shown_cap) {
		size_t cap = g->shown_cap ? g->shown_cap : 1024;
		while (cap <= byte)
			cap *= 2;
		uint8_t *n = realloc(g->shown, cap);
		if (!n)
			return;
		memset(n + g->shown_cap, 0, cap - g->shown_cap);
		g->shown = n;
		g->shown_cap = cap;
	}
	g->shown[byte] |= (uint8_t)(1u << (id % 8));
}

static int was_shown(const struct wl_gate *g, uint32_t id)
{
	size_t byte = id / 8;
	return byte < g->shown_cap && (g->shown[byte] >> (id % 8) & 1);
}

/* ---- the group ---- */

/* Room for n fields in the per-field arrays (ids and the index's), or -1. */
static int ids_room(struct wl_gate *g, size_t n)
{
	if (n <= g->ids_cap)
		return 0;
	size_t cap = g->ids_cap ? g->ids_cap : 256;
	while (cap < n)
		cap *= 2;
	int *ni = realloc(g->ids, cap * sizeof *ni);
	if (ni)
		g->ids = ni;
	int32_t *nn = ni ? realloc(g->next, cap * sizeof *nn) : NULL;
	if (nn)
		g->next = nn;
	uint32_t *nm = nn ? realloc(g->at_msg, cap * sizeof *nm) : NULL;
	if (nm)
		g->at_msg = nm;
	uint32_t *nf = nm ? realloc(g->at_field, cap * sizeof *nf) : NULL;
	if (!nf)
		return -1;   /* the arrays that grew are kept, ids_cap stays what all have */
	g->at_field = nf;
	g->ids_cap = cap;
	return 0;
}

/* Chains each id's occurrences, last to first, so that a column or the
 * filter visits only its own fields, in the frame's order. */
static void index_frame(struct wl_gate *g, struct wl_qframe *f)
{
	unsigned nreg = g->reg->n;
	if (!g->head && (!(g->head = malloc(nreg * sizeof *g->head)) ||
			 !(g->stamp = calloc(nreg, sizeof *g->stamp)))) {
		free(g->head);
		g->head = NULL;
		return;
	}
	if (++g->index.cur == 0) {   /* the stamps wrapped: none is current */
		memset(g->stamp, 0, nreg * sizeof *g->stamp);
		g->index.cur = 1;
	}
	uint32_t cur = g->index.cur;
	size_t k = 0;
	for (unsigned i = 0; i < f->nmsgs; i++)
		k += f->msgs[i].nfields;
	for (unsigned i = f->nmsgs; i-- > 0;) {
		const struct wl_qmsg *q = &f->msgs[i];
		for (unsigned j = q->nfields; j-- > 0;) {
			k--;
			int id = q->ids[j];
			g->at_msg[k] = i;
			g->at_field[k] = j;
			if (id < 0 || (unsigned)id >= nreg)
				continue;
			g->next[k] = g->stamp[id] == cur ? g->head[id] : -1;
			g->head[id] = (int32_t)k;
			g->stamp[id] = cur;
		}
	}
	g->index.head = g->head;
	g->index.stamp = g->stamp;
	g->index.next = g->next;
	g->index.msg = g->at_msg;
	g->index.field = g->at_field;
	f->by_id = &g->index;
}

/* The registry ids of the frame's fields, found once per frame: the filter
 * and each -e column then compare ids instead of looking names up, through
 * the index. Without memory for them each message's ids stay NULL (its names
 * are looked up) and the frame has no index (its fields are scanned). */
static void frame_ids(struct wl_gate *g, struct wl_qframe *f)
{
	size_t n = 0;
	for (unsigned i = 0; i < f->nmsgs; i++)
		n += g->msgs[i].nfields;
	if (n == 0 || n > INT32_MAX)
		return;   /* nothing to find (and g->ids may be NULL) */
	if (ids_room(g, n) < 0)
		return;
	int *ids = g->ids;
	for (unsigned i = 0; i < f->nmsgs; i++) {
		struct wl_qmsg *q = &g->msgs[i];
		for (unsigned j = 0; j < q->nfields; j++)
			ids[j] = wl__field_id(f, q->fields[j].name);
		q->ids = ids;
		ids += q->nfields;
	}
	index_frame(g, f);
}

static int build_msgs(struct wl_gate *g, struct wl_qframe *f)
{
	unsigned n = 0;
	for (unsigned i = 0; i < g->nitems; i++)
		n += g->items[i].kind == REC_MSG;
	if (n > g->msgs_cap) {
		struct wl_qmsg *nm = realloc(g->msgs, n * sizeof *nm);
		if (!nm)
			return -1;
		g->msgs = nm;
		g->msgs_cap = n;
	}
	unsigned k = 0;
	for (unsigned i = 0; i < g->nitems; i++) {
		if (g->items[i].kind != REC_MSG)
			continue;
		struct msg_view v;
		view_msg(g, g->items[i].off, &v);
		struct wl_qmsg *q = &g->msgs[k++];
		q->ids = NULL;
		q->proto = v.head->proto;
		q->type = v.head->type;
		q->client = v.str[0];
		q->server = v.str[1];
		q->src = v.str[2];
		q->dst = v.str[3];
		q->flow_id = v.head->flow_id;
		q->dir = v.head->dir;
		q->minor = v.head->minor;
		q->nfields = v.r->nfields;
		q->nnotes = v.r->nnotes;
		q->fields = v.fields;
		q->notes = v.notes;
		q->pool = v.pool;
		q->text_off = v.head->text_off;
		q->text_len = v.head->text_len;
		q->rec = g->items[i].off;
	}
	f->msgs = g->msgs;
	f->nmsgs = k;
	frame_ids(g, f);
	return 0;
}

/* The engine's message back from its record, for the renderer. */
static void replay_msg(struct wl_gate *g, size_t off)
{
	if (!g->scratch && !(g->scratch = malloc(sizeof *g->scratch)))
		return;
	struct msg_view v;
	view_msg(g, off, &v);
	struct wl_msg *m = g->scratch;
	memcpy(m, v.head, msg_head);
	m->nfields = v.r->nfields;
	m->nnotes = v.r->nnotes;
	memcpy(m->fields, v.fields, v.r->nfields * sizeof m->fields[0]);
	memcpy(m->notes, v.notes, v.r->nnotes * sizeof m->notes[0]);
	m->pool_used = v.r->pool_used;
	memcpy(m->pool, v.pool, v.r->pool_used);
	m->client = v.str[0];
	m->server = v.str[1];
	m->src = v.str[2];
	m->dst = v.str[3];
	g->out.msg(g->out.arg, m);
}

/* Items [from, to): messages to out when with_msgs, summaries to every
 * consumer and to out when their flow had a frame shown. */
static void forward(struct wl_gate *g, unsigned from, unsigned to, unsigned msgs_from, int with_msgs)
{
	for (unsigned i = from < msgs_from ? from : msgs_from; i < to; i++) {
		const struct item *it = &g->items[i];
		if (it->kind == REC_MSG) {
			if (with_msgs && i >= msgs_from && g->has_out && g->out.msg)
				replay_msg(g, it->off);
			continue;
		}
		if (i < from)
			continue;
		struct wl_flow_summary s;
		view_flow(g, it->off, &s);
		for (unsigned c = 0; c < g->ncons; c++)
			if (g->cons[c].flow)
				g->cons[c].flow(g->cons[c].arg, &s);
		if (g->has_out && g->out.flow && (!g->df || was_shown(g, s.flow_id)))
			g->out.flow(g->out.arg, &s);
	}
}

static void frame_view(struct wl_gate *g, struct wl_qframe *f, const struct wl_frame_info *fi, int late)
{
	memset(f, 0, sizeof *f);
	f->reg = g->reg;
	f->cache = g->cache;
	f->late = late;
	if (fi) {
		f->fi = *fi;
	} else {   /* after the callback: the frame's bytes are gone */
		f->fi = g->last_fi;
		f->fi.data = NULL;
		f->fi.caplen = 0;
		f->fi.payload_len = 0;
	}
	f->prev_ns = g->have_prev ? g->prev_ns : f->fi.ts_ns;
	f->prev_shown_ns = g->prev_shown_ns;
}

static void passed(struct wl_gate *g, const struct wl_qframe *f)
{
	g->passed++;
	g->prev_shown_ns = f->fi.ts_ns;
	for (unsigned i = 0; i < f->nmsgs; i++)
		if (f->msgs[i].flow_id)
			mark_shown(g, f->msgs[i].flow_id);
}

static void reset(struct wl_gate *g)
{
	g->used = 0;
	g->nitems = 0;
	g->oom = 0;
	g->held = 0;
}

/* The engine's frame callback came: the frame is judged and forwarded. */
static void close_frame(struct wl_gate *g, const struct wl_frame_info *fi)
{
	struct wl_qframe f;
	frame_view(g, &f, fi, 0);
	int pass = 0;
	if (!g->oom && build_msgs(g, &f) == 0) {
		g->frames++;
		pass = !g->df || wl_dfilter_match(g->df, &f);
		for (unsigned c = 0; c < g->ncons; c++)
			if (g->cons[c].every_frame || pass)
				g->cons[c].frame(g->cons[c].arg, &f);
		if (pass)
			passed(g, &f);
		forward(g, 0, g->nitems, 0, pass);
	}
	g->prev_ns = fi->ts_ns;
	g->have_prev = 1;
	g->open = 0;
	g->held = !g->oom;
	g->held_pass = pass;
}

/* Messages and summaries sent after their frame's callback: the statistics
 * see them on their own; for the filter they belong to the frame they name
 * (the held one), which is shown now if they make it match. */
static void close_late(struct wl_gate *g)
{
	unsigned from = g->late_from;
	struct wl_qframe f;
	frame_view(g, &f, NULL, 1);
	if (g->oom || build_msgs(g, &f) < 0) {
		reset(g);
		g->open = g->late = 0;
		return;
	}
	unsigned base = 0;   /* messages of the held part */
	for (unsigned i = 0; i < from; i++)
		base += g->items[i].kind == REC_MSG;
	struct wl_qframe part = f;
	part.msgs = f.msgs + base;
	part.nmsgs = f.nmsgs - base;
	part.by_id = NULL;   /* the index is the whole group's */
	for (unsigned c = 0; c < g->ncons; c++)
		if (g->cons[c].every_frame)
			g->cons[c].frame(g->cons[c].arg, &part);
	int pass = !g->df || wl_dfilter_match(g->df, g->held ? &f : &part);
	if (pass && g->held && !g->held_pass) {
		/* the frame matches only now: all of it is shown */
		f.late = 0;
		for (unsigned c = 0; c < g->ncons; c++)
			if (!g->cons[c].every_frame)
				g->cons[c].frame(g->cons[c].arg, &f);
		passed(g, &f);
		g->held_pass = 1;
		forward(g, from, g->nitems, 0, 1);
	} else {
		if (pass)
			for (unsigned i = 0; i < part.nmsgs; i++)
				if (part.msgs[i].flow_id)
					mark_shown(g, part.msgs[i].flow_id);
		forward(g, from, g->nitems, from, pass);
	}
	if (!g->held)
		reset(g);
	g->open = g->late = 0;
}

static void open_group(struct wl_gate *g, uint64_t frame)
{
	g->open = 1;
	g->frame = frame;
	/* a message for a frame whose callback came already */
	g->late = g->last_frame && frame <= g->last_frame;
	if (!g->late || !g->held || frame != g->last_frame)
		reset(g);
	g->late_from = g->nitems;
}

/* Summaries that came outside a frame's messages wait for the next frame
 * (they are between the two in the engine's order); a late message does
 * not wait for them. */
static void flush_pending(struct wl_gate *g)
{
	forward(g, 0, g->nitems, g->nitems, 0);
	reset(g);
	g->open = 0;
}

static void on_msg(void *arg, const struct wl_msg *m)
{
	struct wl_gate *g = arg;
	if (g->open && !g->late && g->frame == 0) {   /* summaries only, so far */
		if (g->last_frame && m->frame <= g->last_frame)
			flush_pending(g);
		else
			g->frame = m->frame;
	}
	if (g->open && g->late && m->frame != g->frame)
		close_late(g);
	else if (g->open && m->frame != g->frame) {   /* no frame callback came (an engine without one) */
		struct wl_frame_info fi = { .frame = g->frame, .tcp_stream = -1, .udp_stream = -1 };
		g->last_frame = g->frame;
		g->last_fi = fi;
		close_frame(g, &fi);
	}
	if (!g->open)
		open_group(g, m->frame);
	keep_msg(g, m);
}

/* Whether a summary can be of use: a flow no frame of which was shown, and
 * none of whose messages wait in the group, is never shown (its last message
 * came before its summary); unless a consumer takes every summary. */
static int summary_wanted(const struct wl_gate *g, uint32_t id)
{
	if (!g->df || was_shown(g, id) || g->flow_consumers)
		return 1;
	for (unsigned i = 0; g->open && i < g->nitems; i++) {
		if (g->items[i].kind != REC_MSG)
			continue;
		struct msg_view v;
		view_msg(g, g->items[i].off, &v);
		if (v.head->flow_id == id)
			return 1;
	}
	return 0;
}

static void on_flow(void *arg, const struct wl_flow_summary *s)
{
	struct wl_gate *g = arg;
	if (!summary_wanted(g, s->flow_id))
		return;   /* an undissected flow's end, say: nobody sees it */
	if (!g->open) {   /* before the next frame's messages */
		reset(g);
		g->open = 1;
		g->late = 0;
		g->frame = 0;
	}
	keep_flow(g, s);
	if (g->late)
		close_late(g);
}

void wl_gate_frame(void *arg, const struct wl_frame_info *fi)
{
	struct wl_gate *g = arg;
	if (g->open && g->late)
		close_late(g);
	if (!g->open) {   /* a frame without messages */
		reset(g);
		g->open = 1;
	}
	g->last_frame = fi->frame;
	g->last_fi = *fi;
	close_frame(g, fi);
}

/* ---- life ---- */

struct wl_gate *wl_gate_new(const struct wl_qreg *reg, struct wl_dfilter *filter,
			    const struct wl_sink *out)
{
	struct wl_gate *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->reg = reg;
	g->df = filter;
	if (out) {
		g->out = *out;
		g->has_out = 1;
	}
	g->prev_shown_ns = -1;
	return g;
}

int wl_gate_add(struct wl_gate *g, const struct wl_qconsumer *c)
{
	if (g->ncons == MAX_CONSUMERS)
		return -1;
	g->cons[g->ncons++] = *c;
	g->flow_consumers |= c->flow != NULL;
	return 0;
}

struct wl_sink wl_gate_sink(struct wl_gate *g)
{
	return (struct wl_sink){ .msg = on_msg, .flow = on_flow, .arg = g };
}

void wl_gate_drain(struct wl_gate *g)
{
	if (g->open && g->late)
		close_late(g);
	else if (g->open && g->frame == 0)
		flush_pending(g);
	else if (g->open)   /* messages without a frame callback (a test's engine) */
		close_frame(g, &g->last_fi);
}

void wl_gate_finish(struct wl_gate *g)
{
	wl_gate_drain(g);
	for (unsigned c = 0; c < g->ncons; c++)
		if (g->cons[c].finish)
			g->cons[c].finish(g->cons[c].arg);
}

const char *wl_gate_warning(const struct wl_gate *g)
{
	for (unsigned c = 0; c < g->ncons; c++) {
		const char *w = g->cons[c].warning ? g->cons[c].warning(g->cons[c].arg) : NULL;
		if (w)
			return w;
	}
	return NULL;
}

void wl_gate_counts(const struct wl_gate *g, uint64_t *frames, uint64_t *passed)
{
	*frames = g->frames;
	*passed = g->passed;
}

void wl_gate_free(struct wl_gate *g)
{
	if (!g)
		return;
	for (unsigned c = 0; c < g->ncons; c++)
		if (g->cons[c].free)
			g->cons[c].free(g->cons[c].arg);
	free(g->arena);
	free(g->items);
	free(g->msgs);
	free(g->ids);
	free(g->next);
	free(g->at_msg);
	free(g->at_field);
	free(g->head);
	free(g->stamp);
	free(g->scratch);
	free(g->facts);
	free(g->shown);
	free(g);
}
