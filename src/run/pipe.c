/* pipe.c - the engine's sink on a thread of its own (see pipe.h).
 *
 * The engine's thread appends records to the block it fills; a full block
 * goes to the render thread, which replays its records into the inner sink.
 * A record is a copy of what the sink may look at: a message's header,
 * fields, notes and used pool, and the endpoint strings (they belong to a
 * flow that may be gone by the time the record is rendered). Field names,
 * proto and type are string constants and travel as pointers.
 *
 *   block: [kind u8][message or summary] [kind u8][...] ...
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"

#define NBLOCKS 4
#define BLOCK_BYTES (1u << 20)  /* > the largest message: 2048 fields and a 512 KiB pool */

enum { REC_MSG = 1, REC_FLOW = 2 };

struct block {
	uint8_t *buf;
	size_t len, cap;
};

struct wl_pipe {
	struct wl_sink inner;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t filled_cv, free_cv;
	struct block blocks[NBLOCKS];
	unsigned w, r;          /* block being filled; next block to render */
	unsigned filled;        /* blocks handed over, not yet rendered */
	int done;
	int started;
	/* render thread's side */
	struct wl_msg *msg;
	struct wl_fact *facts;
	unsigned facts_cap;
};

/* ---- the engine's side: records into the current block ---- */

static size_t str_size(const char *s)
{
	return s ? strlen(s) + 2 : 1;
}

static uint8_t *put(uint8_t *d, const void *p, size_t n)
{
	memcpy(d, p, n);
	return d + n;
}

/* A string: a presence byte, then its bytes and NUL. */
static uint8_t *put_str(uint8_t *d, const char *s)
{
	*d++ = s != NULL;
	return s ? put(d, s, strlen(s) + 1) : d;
}

/* The same, its length known (str_size's, 2 more than strlen). */
static uint8_t *put_str_sized(uint8_t *d, const char *s, size_t size)
{
	*d++ = s != NULL;
	return s ? put(d, s, size - 1) : d;
}

/* A message's src and dst are its client and server, in one order or the
 * other (a flow's endpoints, or a packet's own): a byte says which, so the
 * two strings travel once. EPS_OWN: src and dst follow as strings. */
enum { EPS_OWN, EPS_C2S, EPS_S2C };

static int eps_order(const struct wl_msg *m)
{
	if (m->src == m->client && m->dst == m->server)
		return EPS_C2S;
	if (m->src == m->server && m->dst == m->client)
		return EPS_S2C;
	return EPS_OWN;
}

static void hand_over(struct wl_pipe *p)
{
	pthread_mutex_lock(&p->mu);
	p->filled++;
	pthread_cond_signal(&p->filled_cv);
	while (p->filled == NBLOCKS)
		pthread_cond_wait(&p->free_cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	p->w = (p->w + 1) % NBLOCKS;
	p->blocks[p->w].len = 0;
}

/* Room for n more bytes in the current block, handing it over when full; a
 * record larger than an empty block grows it. NULL when out of memory. */
static uint8_t *reserve(struct wl_pipe *p, size_t n)
{
	struct block *b = &p->blocks[p->w];
	if (n > b->cap - b->len && b->len) {
		hand_over(p);
		b = &p->blocks[p->w];
	}
	if (n > b->cap - b->len) {
		uint8_t *nb = realloc(b->buf, n);
		if (!nb)
			return NULL;
		b->buf = nb;
		b->cap = n;
	}
	uint8_t *d = b->buf + b->len;
	b->len += n;
	return d;
}

static const size_t msg_head = offsetof(struct wl_msg, fields);

static void pipe_msg(void *arg, const struct wl_msg *m)
{
	struct wl_pipe *p = arg;
	if (p->done) {           /* after wl_pipe_finish: the thread is gone */
		if (p->inner.msg)
			p->inner.msg(p->inner.arg, m);
		return;
	}
	size_t nf = m->nfields * sizeof m->fields[0], nn = m->nnotes * sizeof m->notes[0];
	size_t nc = str_size(m->client), ns = str_size(m->server);
	int eps = eps_order(m);
	size_t n = 1 + msg_head + nc + ns + 1 + nf + nn + sizeof m->pool_used + m->pool_used;
	if (eps == EPS_OWN)
		n += str_size(m->src) + str_size(m->dst);
	uint8_t *d = reserve(p, n);
	if (!d)
		return;
	*d++ = REC_MSG;
	d = put(d, m, msg_head);
	d = put_str_sized(d, m->client, nc);
	d = put_str_sized(d, m->server, ns);
	*d++ = (uint8_t)eps;
	if (eps == EPS_OWN) {
		d = put_str(d, m->src);
		d = put_str(d, m->dst);
	}
	d = put(d, m->fields, nf);
	d = put(d, m->notes, nn);
	d = put(d, &m->pool_used, sizeof m->pool_used);
	put(d, m->pool, m->pool_used);
}

static void pipe_flow(void *arg, const struct wl_flow_summary *s)
{
	struct wl_pipe *p = arg;
	if (p->done) {
		if (p->inner.flow)
			p->inner.flow(p->inner.arg, s);
		return;
	}
	size_t n = 1 + sizeof *s + str_size(s->client) + str_size(s->server) + str_size(s->proto) +
		   str_size(s->end);
	for (unsigned i = 0; i < s->nfacts; i++)
		n += str_size(s->facts[i].key) + str_size(s->facts[i].val);
	uint8_t *d = reserve(p, n);
	if (!d)
		return;
	*d++ = REC_FLOW;
	d = put(d, s, sizeof *s);
	d = put_str(d, s->client);
	d = put_str(d, s->server);
	d = put_str(d, s->proto);
	d = put_str(d, s->end);
	for (unsigned i = 0; i < s->nfacts; i++) {
		d = put_str(d, s->facts[i].key);
		d = put_str(d, s->facts[i].val);
	}
}

/* ---- the render thread's side: records back into the inner sink ---- */

static const uint8_t *get_str(const uint8_t *d, const char **s)
{
	if (!*d++) {
		*s = NULL;
		return d;
	}
	*s = (const char *)d;
	return d + strlen(*s) + 1;
}

static const uint8_t *replay_msg(struct wl_pipe *p, const uint8_t *d)
{
	struct wl_msg *m = p->msg;
	memcpy(m, d, msg_head);
	d += msg_head;
	d = get_str(d, &m->client);
	d = get_str(d, &m->server);
	int eps = *d++;
	if (eps == EPS_OWN) {
		d = get_str(d, &m->src);
		d = get_str(d, &m->dst);
	} else {
		m->src = eps == EPS_C2S ? m->client : m->server;
		m->dst = eps == EPS_C2S ? m->server : m->client;
	}
	memcpy(m->fields, d, m->nfields * sizeof m->fields[0]);
	d += m->nfields * sizeof m->fields[0];
	memcpy(m->notes, d, m->nnotes * sizeof m->notes[0]);
	d += m->nnotes * sizeof m->notes[0];
	memcpy(&m->pool_used, d, sizeof m->pool_used);
	d += sizeof m->pool_used;
	memcpy(m->pool, d, m->pool_used);
	if (p->inner.msg)
		p->inner.msg(p->inner.arg, m);
	return d + m->pool_used;
}

static const uint8_t *replay_flow(struct wl_pipe *p, const uint8_t *d)
{
	struct wl_flow_summary s;
	memcpy(&s, d, sizeof s);
	d += sizeof s;
	d = get_str(d, &s.client);
	d = get_str(d, &s.server);
	d = get_str(d, &s.proto);
	d = get_str(d, &s.end);
	if (s.nfacts > p->facts_cap) {
		struct wl_fact *nf = realloc(p->facts, s.nfacts * sizeof *nf);
		if (nf) {
			p->facts = nf;
			p->facts_cap = s.nfacts;
		}
	}
	unsigned kept = 0;
	for (unsigned i = 0; i < s.nfacts; i++) {   /* every string is read, to reach the next record */
		const char *k, *v;
		d = get_str(d, &k);
		d = get_str(d, &v);
		if (i < p->facts_cap)
			p->facts[kept++] = (struct wl_fact){ (char *)k, (char *)v };
	}
	s.nfacts = kept;                             /* out of memory: the facts that fit */
	s.facts = p->facts;
	if (p->inner.flow)
		p->inner.flow(p->inner.arg, &s);
	return d;
}

static void replay_block(struct wl_pipe *p, const struct block *b)
{
	const uint8_t *d = b->buf, *end = b->buf + b->len;
	while (d < end) {
		uint8_t kind = *d++;
		d = kind == REC_MSG ? replay_msg(p, d) : replay_flow(p, d);
	}
}

static void *render_thread(void *arg)
{
	struct wl_pipe *p = arg;
	pthread_setname_np(pthread_self(), "wl-render");  /* as top -H and perf show it */
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->filled && !p->done)
			pthread_cond_wait(&p->filled_cv, &p->mu);
		if (!p->filled) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		pthread_mutex_unlock(&p->mu);
		replay_block(p, &p->blocks[p->r]);
		pthread_mutex_lock(&p->mu);
		p->r = (p->r + 1) % NBLOCKS;
		p->filled--;
		pthread_cond_signal(&p->free_cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* ---- life ---- */

struct wl_pipe *wl_pipe_new(struct wl_sink inner)
{
	struct wl_pipe *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->inner = inner;
	p->msg = malloc(sizeof *p->msg);
	int ok = p->msg != NULL;
	for (unsigned i = 0; i < NBLOCKS && ok; i++) {
		p->blocks[i].buf = malloc(BLOCK_BYTES);
		p->blocks[i].cap = BLOCK_BYTES;
		ok = p->blocks[i].buf != NULL;
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->filled_cv, NULL);
	pthread_cond_init(&p->free_cv, NULL);
	if (ok)
		p->started = pthread_create(&p->thread, NULL, render_thread, p) == 0;
	if (!p->started) {
		wl_pipe_free(p);
		return NULL;
	}
	return p;
}

struct wl_sink wl_pipe_sink(struct wl_pipe *p)
{
	return (struct wl_sink){ pipe_msg, pipe_flow, p };
}

void wl_pipe_finish(struct wl_pipe *p)
{
	if (!p || !p->started)
		return;
	pthread_mutex_lock(&p->mu);
	if (p->blocks[p->w].len) {
		p->filled++;   /* the last block, partly filled; nothing is written after it */
		p->w = (p->w + 1) % NBLOCKS;
	}
	p->done = 1;
	pthread_cond_signal(&p->filled_cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->thread, NULL);
	p->started = 0;
}

void wl_pipe_free(struct wl_pipe *p)
{
	if (!p)
		return;
	wl_pipe_finish(p);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->filled_cv);
	pthread_cond_destroy(&p->free_cv);
	for (unsigned i = 0; i < NBLOCKS; i++)
		free(p->blocks[i].buf);
	free(p->msg);
	free(p->facts);
	free(p);
}
