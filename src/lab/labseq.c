/* labseq.c - the message sequence of an exchange (see lab.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

static int transport(const char *proto)
{
	static const char *const skip[] = { "tcp", "udp", "ip", "ipv6", "icmp", "icmpv6", "eth",
					    "arp", "llc", "sll", "null", "frame", NULL };
	for (const char *const *s = skip; *s; s++)
		if (strcmp(proto, *s) == 0)
			return 1;
	return 0;
}

static void seq_msg(void *arg, const struct wl_msg *m)
{
	struct wl_lab_seq *s = arg;
	if (transport(m->proto))
		return;
	char step[96];
	snprintf(step, sizeof step, "%s %s %s", m->dir ? "<-" : "->", m->proto, m->type);
	if (s->n && strcmp(s->steps[s->n - 1], step) == 0)
		return;
	/* The same message both ways in a row is one undirected step when the
	 * dissector says their order is a race (the two SSH KEXINITs, ciphertext);
	 * a request and its answer keep their order. */
	if (m->unordered && s->n && strcmp(s->steps[s->n - 1] + 3, step + 3) == 0) {
		memcpy(s->steps[s->n - 1], "<>", 2);
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **ns = realloc(s->steps, cap * sizeof *ns);
		if (!ns)
			return;
		s->steps = ns;
		s->cap = cap;
	}
	s->steps[s->n] = strdup(step);
	if (s->steps[s->n])
		s->n++;
}

static void seq_flow(void *arg, const struct wl_flow_summary *f)
{
	(void)arg;
	(void)f;
}

struct wl_sink wl_lab_seq_sink(struct wl_lab_seq *s)
{
	struct wl_sink k = { seq_msg, seq_flow, s };
	return k;
}

int wl_lab_seq_from_file(struct wl_lab_seq *s, const char *pcap, char *err, size_t errlen)
{
	struct wl_view v;
	wl_view_init(&v);
	/* X.keylog beside X.pcap decrypts TLS, as in `wirelab check` */
	char keylog[4096];
	const char *dot = strrchr(pcap, '.');
	size_t base = dot && !strchr(dot, '/') ? (size_t)(dot - pcap) : strlen(pcap);
	snprintf(keylog, sizeof keylog, "%.*s.keylog", (int)base, pcap);
	if (access(keylog, R_OK) == 0)
		v.dissect.keylog = keylog;
	struct wl_sink k = wl_lab_seq_sink(s);
	v.tee = &k;
	v.render.format = WL_OUT_LADDER;
	FILE *null = fopen("/dev/null", "w");
	if (!null) {
		snprintf(err, errlen, "cannot open /dev/null");
		return -1;
	}
	struct wl_run_result res;
	int rc = wl_dissect_file(pcap, &v, null, &res, err, errlen);
	fclose(null);
	return rc;
}

long wl_lab_seq_diff(const struct wl_lab_seq *e, const struct wl_lab_seq *g)
{
	size_t i = 0;
	while (i < e->n && i < g->n && strcmp(e->steps[i], g->steps[i]) == 0)
		i++;
	return i == e->n && i == g->n ? -1 : (long)i;
}

const char *wl_lab_seq_step(const struct wl_lab_seq *s, long i)
{
	return i >= 0 && (size_t)i < s->n ? s->steps[i] : "(end)";
}

void wl_lab_seq_free(struct wl_lab_seq *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->steps[i]);
	free(s->steps);
	memset(s, 0, sizeof *s);
}
