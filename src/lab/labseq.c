/* labseq.c - the message sequence of an exchange (see lab.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
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

static void add_entry(void *arg, const char *entry)
{
	wl_entry_set_add(arg, entry);
}

/* A new step at the end; 0, or -1 when out of memory (the message is left out). */
static int new_step(struct wl_lab_seq *s, const char *step)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **ns = realloc(s->steps, cap * sizeof *ns);
		if (ns)
			s->steps = ns;
		struct wl_entry_set *nf = ns ? realloc(s->fields, cap * sizeof *nf) : NULL;
		if (!nf)
			return -1;
		s->fields = nf;
		s->cap = cap;
	}
	s->steps[s->n] = strdup(step);
	if (!s->steps[s->n])
		return -1;
	memset(&s->fields[s->n], 0, sizeof s->fields[s->n]);
	s->n++;
	return 0;
}

static void seq_msg(void *arg, const struct wl_msg *m)
{
	struct wl_lab_seq *s = arg;
	if (transport(m->proto))
		return;
	char step[96];
	snprintf(step, sizeof step, "%s %s %s", m->dir ? "<-" : "->", m->proto, m->type);
	/* The same message both ways in a row is one undirected step when the
	 * dissector says their order is a race (the two SSH KEXINITs, ciphertext);
	 * a request and its answer keep their order. A folded step's fields are
	 * those of all its messages. */
	int same = s->n && strcmp(s->steps[s->n - 1], step) == 0;
	if (!same && m->unordered && s->n && strcmp(s->steps[s->n - 1] + 3, step + 3) == 0) {
		memcpy(s->steps[s->n - 1], "<>", 2);
		same = 1;
	}
	if (!same && new_step(s, step) < 0)
		return;
	wl_stable_entries(m, add_entry, &s->fields[s->n - 1]);
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
	/* X.ntpassword decrypts SMB3 the same way (its first line is the password) */
	char ntpath[4096 + 16], ntpass[256] = "";
	snprintf(ntpath, sizeof ntpath, "%.*s.ntpassword", (int)base, pcap);
	FILE *ntf = fopen(ntpath, "r");
	if (ntf) {
		if (fgets(ntpass, sizeof ntpass, ntf)) {
			ntpass[strcspn(ntpass, "\r\n")] = '\0';
			v.dissect.nt_password = ntpass;
		}
		fclose(ntf);
	}
	/* and X.snmp_users, SNMPv3 */
	char users[4096 + 16];
	snprintf(users, sizeof users, "%.*s.snmp_users", (int)base, pcap);
	if (access(users, R_OK) == 0)
		v.dissect.snmp_users_file = users;
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

static int step_equal(const struct wl_lab_seq *e, const struct wl_lab_seq *g, size_t i)
{
	char why[8];
	return strcmp(e->steps[i], g->steps[i]) == 0 &&
	       !wl_entry_set_diff(&e->fields[i], &g->fields[i], why, sizeof why);
}

long wl_lab_seq_diff(const struct wl_lab_seq *e, const struct wl_lab_seq *g)
{
	size_t i = 0;
	while (i < e->n && i < g->n && step_equal(e, g, i))
		i++;
	return i == e->n && i == g->n ? -1 : (long)i;
}

const char *wl_lab_seq_step(const struct wl_lab_seq *s, long i)
{
	return i >= 0 && (size_t)i < s->n ? s->steps[i] : "(end)";
}

const char *wl_lab_seq_field_diff(const struct wl_lab_seq *e, const struct wl_lab_seq *g, long i,
				  char *buf, size_t n)
{
	if (i < 0 || (size_t)i >= e->n || (size_t)i >= g->n || strcmp(e->steps[i], g->steps[i]) != 0)
		return NULL;
	return wl_entry_set_diff(&e->fields[i], &g->fields[i], buf, n) ? buf : NULL;
}

void wl_lab_seq_free(struct wl_lab_seq *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->steps[i]);
		wl_entry_set_free(&s->fields[i]);
	}
	free(s->steps);
	free(s->fields);
	memset(s, 0, sizeof *s);
}
