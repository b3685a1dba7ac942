/* notes.c - `-z expert` and `-z credentials` in tshark 4.0's layouts, made
 * of wirelab's own findings: its notes by severity (errors: malformed
 * messages; warnings: the lessons and the problems; chats: the explanation
 * of each normal step), and every cleartext credential it saw.
 *
 * credentials lists what tshark lists (an FTP PASS, with the user of the
 * conversation's first USER, "Username in packet: N") and, in the same
 * columns, what tshark leaves out: an LDAP simple bind (the DN and its
 * password in clear), an SNMP community string (the password of v1/v2c,
 * once per conversation and community), an NTLMSSP authentication (the
 * account whose response can be cracked offline). Passwords themselves are
 * never printed here: the row says where they are.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* ---- expert ---- */

struct item {
	char *proto, *summary;
	const char *group;
	unsigned freq;
};

struct expert {
	FILE *out;
	struct wl_dfilter *df;
	int lowest;              /* 0 chat, 1 note, 2 warn, 3 error */
	struct item *it[4];
	unsigned n[4], cap[4];
};

enum { SEV_CHAT, SEV_NOTE, SEV_WARN, SEV_ERROR };

static int has_word(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

/* tshark's expert groups, guessed from the note (wirelab has none). */
static const char *group_of(const char *proto, int sev, const char *text)
{
	static const char *const security[] = { "clear", "password", "credential", "community", "secret",
						"certificate", NULL };
	static const char *const sequence[] = { "retransmission", "out-of-order", "missing", "window",
						"handshake", "teardown", "reset", "keep-alive", "overlaps", NULL };
	if (sev == SEV_ERROR)
		return "Malformed";
	if (has_word(text, security))
		return "Security";
	if (strcmp(proto, "tcp") == 0 || has_word(text, sequence))
		return "Sequence";
	return "Protocol";
}

static void expert_add(struct expert *x, int sev, const char *proto, const char *text, size_t n)
{
	char up[32];
	size_t k = 0;
	for (; proto[k] && k + 1 < sizeof up; k++)
		up[k] = (char)toupper((unsigned char)proto[k]);
	up[k] = '\0';
	for (unsigned i = 0; i < x->n[sev]; i++) {
		struct item *it = &x->it[sev][i];
		if (strcmp(it->proto, up) == 0 && strlen(it->summary) == n && memcmp(it->summary, text, n) == 0) {
			it->freq++;
			return;
		}
	}
	if (x->n[sev] == x->cap[sev]) {
		unsigned cap = x->cap[sev] ? x->cap[sev] * 2 : 32;
		struct item *ni = realloc(x->it[sev], cap * sizeof *ni);
		if (!ni)
			return;
		x->it[sev] = ni;
		x->cap[sev] = cap;
	}
	char *p = strdup(up), *s = strndup(text, n);
	if (!p || !s) {
		free(p);
		free(s);
		return;
	}
	x->it[sev][x->n[sev]++] = (struct item){ p, s, group_of(proto, sev, s), 1 };
}

static void expert_frame(void *arg, const struct wl_qframe *f)
{
	struct expert *x = arg;
	if (x->df && !wl_dfilter_match(x->df, f))
		return;
	static const int sev_of_level[] = { SEV_CHAT, SEV_WARN, SEV_ERROR };
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		for (unsigned j = 0; j < m->nnotes; j++) {
			int sev = sev_of_level[m->notes[j].level % 3];
			if (sev < x->lowest)
				continue;
			expert_add(x, sev, m->proto, m->pool + m->notes[j].off, m->notes[j].len);
		}
	}
}

static void expert_finish(void *arg)
{
	struct expert *x = arg;
	static const char *const label[] = { "Chats", "Notes", "Warns", "Errors" };
	for (int sev = SEV_ERROR; sev >= SEV_CHAT; sev--) {
		if (!x->n[sev])
			continue;
		unsigned total = 0;
		for (unsigned i = 0; i < x->n[sev]; i++)
			total += x->it[sev][i].freq;
		fprintf(x->out, "\n%s (%u)\n=============\n", label[sev], total);
		fprintf(x->out, "   Frequency      Group           Protocol  Summary\n");
		for (unsigned i = 0; i < x->n[sev]; i++) {
			const struct item *it = &x->it[sev][i];
			fprintf(x->out, "%12u %10s %18s  %s\n", it->freq, it->group, it->proto, it->summary);
		}
	}
	fflush(x->out);
}

static void expert_free(void *arg)
{
	struct expert *x = arg;
	for (int sev = 0; sev < 4; sev++) {
		for (unsigned i = 0; i < x->n[sev]; i++) {
			free(x->it[sev][i].proto);
			free(x->it[sev][i].summary);
		}
		free(x->it[sev]);
	}
	wl_dfilter_free(x->df);
	free(x);
}

int wl__expert_new(const struct wl_qreg *reg, const char *arg, FILE *out, struct wl_qconsumer *c,
		   char *err, size_t errlen)
{
	static const struct { const char *name; int sev; } levels[] = {
		{ "error", SEV_ERROR }, { "warn", SEV_WARN }, { "note", SEV_NOTE }, { "chat", SEV_CHAT },
		{ "comment", SEV_CHAT },
	};
	struct expert *x = calloc(1, sizeof *x);
	if (!x) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	x->out = out;
	const char *rest = arg + 6;
	if (*rest == ',') {
		rest++;
		for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
			size_t n = strlen(levels[i].name);
			if (strncasecmp(rest, levels[i].name, n) == 0 && (!rest[n] || rest[n] == ',')) {
				x->lowest = levels[i].sev;
				rest += n;
				if (*rest == ',')
					rest++;
				break;
			}
		}
		if (*rest) {
			char e[1024];
			x->df = wl_dfilter_compile(reg, rest, e, sizeof e);
			if (!x->df) {
				snprintf(err, errlen, "-z expert filter: %s", e);
				free(x);
				return -1;
			}
		}
	}
	*c = (struct wl_qconsumer){ .frame = expert_frame, .finish = expert_finish, .free = expert_free,
				    .arg = x, .every_frame = 1 };
	return 0;
}

/* ---- credentials ---- */

struct cred {
	uint64_t frame;
	char proto[16];
	char *user, *info;
	uint32_t flow;
	uint64_t count;          /* SNMP: packets with this community in the flow */
	char *secret_key;        /* SNMP: which community (never printed) */
};

struct ftp_user {
	uint32_t flow;
	uint64_t frame;
	char *user;
};

struct creds {
	const struct wl_qreg *reg;
	FILE *out;
	struct cred *c;
	unsigned n, cap;
	struct ftp_user *u;
	unsigned nu, ucap;
};

static struct cred *cred_add(struct creds *k, uint64_t frame, const char *proto, const char *user,
			     size_t ulen, uint32_t flow)
{
	if (k->n == k->cap) {
		unsigned cap = k->cap ? k->cap * 2 : 16;
		struct cred *nc = realloc(k->c, cap * sizeof *nc);
		if (!nc)
			return NULL;
		k->c = nc;
		k->cap = cap;
	}
	struct cred *c = &k->c[k->n];
	memset(c, 0, sizeof *c);
	c->frame = frame;
	snprintf(c->proto, sizeof c->proto, "%s", proto);
	c->user = strndup(user, ulen);
	c->flow = flow;
	if (!c->user)
		return NULL;
	k->n++;
	return c;
}

/* The value of name in message m (the first), or NULL. */
static const struct wl_field *msg_field(const struct wl_qmsg *m, const char *name)
{
	for (unsigned i = 0; i < m->nfields; i++)
		if (strcmp(m->fields[i].name, name) == 0)
			return &m->fields[i];
	return NULL;
}

static int field_is(const struct wl_qmsg *m, const struct wl_field *fd, const char *s)
{
	size_t n = strlen(s);
	return fd && fd->len == n && strncasecmp(m->pool + fd->v.off, s, n) == 0;
}

static void ftp(struct creds *k, const struct wl_qframe *f, const struct wl_qmsg *m)
{
	const struct wl_field *cmd = msg_field(m, "ftp.request.command");
	const struct wl_field *arg = msg_field(m, "ftp.request.arg");
	if (field_is(m, cmd, "USER") && arg && arg->len) {
		for (unsigned i = 0; i < k->nu; i++)
			if (k->u[i].flow == m->flow_id)
				return;   /* as tshark: the conversation's first USER */
		if (k->nu == k->ucap) {
			unsigned cap = k->ucap ? k->ucap * 2 : 16;
			struct ftp_user *nu = realloc(k->u, cap * sizeof *nu);
			if (!nu)
				return;
			k->u = nu;
			k->ucap = cap;
		}
		char *u = strndup(m->pool + arg->v.off, arg->len);
		if (u)
			k->u[k->nu++] = (struct ftp_user){ m->flow_id, f->fi.frame, u };
		return;
	}
	if (!field_is(m, cmd, "PASS"))
		return;
	for (unsigned i = 0; i < k->nu; i++) {
		if (k->u[i].flow != m->flow_id)
			continue;
		struct cred *c = cred_add(k, f->fi.frame, "FTP", k->u[i].user, strlen(k->u[i].user), m->flow_id);
		char info[64];
		snprintf(info, sizeof info, "Username in packet: %llu", (unsigned long long)k->u[i].frame);
		if (c)
			c->info = strdup(info);
		return;
	}
}

static void ldap(struct creds *k, const struct wl_qframe *f, const struct wl_qmsg *m)
{
	const struct wl_field *pw = msg_field(m, "ldap.simple");
	const struct wl_field *dn = msg_field(m, "ldap.name");
	if (!pw || !pw->len)
		return;   /* an anonymous bind */
	struct cred *c = cred_add(k, f->fi.frame, "LDAP", dn ? m->pool + dn->v.off : "", dn ? dn->len : 0,
				  m->flow_id);
	if (c)
		c->info = strdup("Simple bind: the password in clear");
}

static void snmp(struct creds *k, const struct wl_qframe *f, const struct wl_qmsg *m)
{
	const struct wl_field *com = msg_field(m, "snmp.community");
	if (!com)
		return;
	const char *s = m->pool + com->v.off;
	for (unsigned i = 0; i < k->n; i++) {
		struct cred *c = &k->c[i];
		if (c->flow == m->flow_id && c->secret_key && strlen(c->secret_key) == com->len &&
		    memcmp(c->secret_key, s, com->len) == 0) {
			c->count++;
			return;
		}
	}
	struct cred *c = cred_add(k, f->fi.frame, "SNMP", "n.a.", 4, m->flow_id);
	if (c) {
		c->secret_key = strndup(s, com->len);
		c->count = 1;
	}
}

static void ntlmssp(struct creds *k, const struct wl_qframe *f, const struct wl_qmsg *m)
{
	const struct wl_field *user = msg_field(m, "ntlmssp.auth.username");
	const struct wl_field *dom = msg_field(m, "ntlmssp.auth.domain");
	const struct wl_field *ver = msg_field(m, "wl.smb.ntlm_version");
	if (!user || !user->len)
		return;
	char name[512];
	snprintf(name, sizeof name, "%.*s%s%.*s", dom ? (int)dom->len : 0, dom ? m->pool + dom->v.off : "",
		 dom && dom->len ? "\\" : "", (int)user->len, m->pool + user->v.off);
	struct cred *c = cred_add(k, f->fi.frame, "NTLMSSP", name, strlen(name), m->flow_id);
	char info[96];
	snprintf(info, sizeof info, "%.*s response: crackable offline", ver ? (int)ver->len : 4,
		 ver ? m->pool + ver->v.off : "NTLM");
	if (c)
		c->info = strdup(info);
}

static void creds_frame(void *arg, const struct wl_qframe *f)
{
	struct creds *k = arg;
	for (unsigned i = 0; i < f->nmsgs; i++) {
		const struct wl_qmsg *m = &f->msgs[i];
		if (strcmp(m->proto, "ftp") == 0)
			ftp(k, f, m);
		else if (strcmp(m->proto, "ldap") == 0)
			ldap(k, f, m);
		else if (strcmp(m->proto, "snmp") == 0)
			snmp(k, f, m);
		else if (strcmp(m->proto, "smb") == 0 || strcmp(m->proto, "smb2") == 0)
			ntlmssp(k, f, m);
	}
}

static void creds_finish(void *arg)
{
	struct creds *k = arg;
	FILE *o = k->out;
	fprintf(o, "===================================================================\n");
	fprintf(o, "%-10s %-16s %-16s %-16s\n", "Packet", "Protocol", "Username", "Info");
	fprintf(o, "------     --------         --------         --------\n");
	for (unsigned i = 0; i < k->n; i++) {
		const struct cred *c = &k->c[i];
		char info[128];
		if (c->secret_key)
			snprintf(info, sizeof info, "Community string (the password) in clear, in %llu packet%s",
				 (unsigned long long)c->count, c->count == 1 ? "" : "s");
		else
			snprintf(info, sizeof info, "%s", c->info ? c->info : "");
		fprintf(o, "%-10llu %-16s %-16s %-16s\n", (unsigned long long)c->frame, c->proto, c->user, info);
	}
	fprintf(o, "===================================================================\n");
	fflush(o);
}

static void creds_free(void *arg)
{
	struct creds *k = arg;
	for (unsigned i = 0; i < k->n; i++) {
		free(k->c[i].user);
		free(k->c[i].info);
		free(k->c[i].secret_key);
	}
	for (unsigned i = 0; i < k->nu; i++)
		free(k->u[i].user);
	free(k->c);
	free(k->u);
	free(k);
}

int wl__creds_new(const struct wl_qreg *reg, FILE *out, struct wl_qconsumer *c, char *err, size_t errlen)
{
	struct creds *k = calloc(1, sizeof *k);
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	k->reg = reg;
	k->out = out;
	*c = (struct wl_qconsumer){ .frame = creds_frame, .finish = creds_finish, .free = creds_free,
				    .arg = k, .every_frame = 1 };
	return 0;
}
