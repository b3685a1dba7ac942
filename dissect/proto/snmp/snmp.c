/* snmp.c - SNMP v1, v2c and v3: community or USM header, the PDU, every
 * variable binding with its OID, MIB name and value.
 *
 * Specs: RFC 1157 (v1), RFC 3416 (PDUs), RFC 3417 (BER on UDP), RFC 1901
 * (v2c), RFC 3412 (v3 message), RFC 3414 (USM), RFC 3411 (engine IDs),
 * RFC 2578 (SMI types); MIB names from the modules in dissect/mibs/ through
 * net-snmp's MIB parser (never /etc/snmp or /var/lib/snmp).
 *
 *   v1/v2c Message ::= SEQUENCE {          v3 SNMPv3Message ::= SEQUENCE {
 *     version   INTEGER (0 v1, 1 v2c),       msgVersion INTEGER (3),
 *     community OCTET STRING,                msgGlobalData SEQUENCE { msgID,
 *     data      PDU }                          msgMaxSize, msgFlags, msgSecurityModel },
 *                                            msgSecurityParameters OCTET STRING
 *   PDU ::= [n] IMPLICIT SEQUENCE {            (USM: engineID, boots, time, user,
 *     request-id    INTEGER,                    auth params, priv params),
 *     error-status  INTEGER,                 msgData CHOICE { ScopedPDU SEQUENCE {
 *     error-index   INTEGER,                   contextEngineID, contextName, PDU },
 *     variable-bindings SEQUENCE OF            encryptedPDU OCTET STRING } }
 *       SEQUENCE { name OID, value } }
 *
 *   [0] get  [1] get-next  [2] response  [3] set  [4] v1 trap  [5] getBulk
 *   [6] inform  [7] v2 trap  [8] report
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "ber.h"
#include "wl.h"

#ifndef WL_MIB_DIR
#define WL_MIB_DIR "dissect/proto/snmp/mibs"
#endif
#define VB_NOTES 24

static const uint16_t snmp_udp_ports[] = { 161, 162, 1161, 0 };

static const struct wl_tok pdu_names[] = {
	{ 0, "get-request" }, { 1, "get-next-request" }, { 2, "get-response" },
	{ 3, "set-request" }, { 4, "trap" }, { 5, "getBulkRequest" },
	{ 6, "informRequest" }, { 7, "snmpV2-trap" }, { 8, "report" }, { 0, NULL }
};

static const struct wl_tok pdu_teach[] = {
	{ 0, "SNMP get: the manager asks the agent for the values of these OIDs" },
	{ 1, "SNMP get-next: the manager asks for the next OID after each one (a walk step)" },
	{ 2, "SNMP response: the agent answers with the values" },
	{ 3, "SNMP set: the manager writes these values" },
	{ 4, "SNMPv1 trap: the agent reports an event unasked" },
	{ 5, "SNMP getBulk: several get-next steps in one request (v2c/v3)" },
	{ 6, "SNMP inform: a notification the receiver must acknowledge" },
	{ 7, "SNMPv2 trap: the agent reports an event unasked" },
	{ 8, "SNMP report: the engine reports a problem or its engine ID (v3 discovery)" },
	{ 0, NULL }
};

static const struct wl_tok error_names[] = {
	{ 0, "noError" }, { 1, "tooBig" }, { 2, "noSuchName" }, { 3, "badValue" },
	{ 4, "readOnly" }, { 5, "genErr" }, { 6, "noAccess" }, { 7, "wrongType" },
	{ 8, "wrongLength" }, { 9, "wrongEncoding" }, { 10, "wrongValue" },
	{ 11, "noCreation" }, { 12, "inconsistentValue" }, { 13, "resourceUnavailable" },
	{ 14, "commitFailed" }, { 15, "undoFailed" }, { 16, "authorizationError" },
	{ 17, "notWritable" }, { 18, "inconsistentName" }, { 0, NULL }
};

static const struct wl_tok trap_names[] = {
	{ 0, "coldStart" }, { 1, "warmStart" }, { 2, "linkDown" }, { 3, "linkUp" },
	{ 4, "authenticationFailure" }, { 5, "egpNeighborLoss" }, { 6, "enterpriseSpecific" },
	{ 0, NULL }
};

static const struct wl_tok version_names[] = {
	{ 0, "v1" }, { 1, "v2c" }, { 2, "v2u" }, { 3, "v3" }, { 0, NULL }
};

static const struct wl_tok secmodel_names[] = {
	{ 0, "any" }, { 1, "SNMPv1" }, { 2, "SNMPv2c" }, { 3, "USM" }, { 4, "TSM" }, { 0, NULL }
};

static const struct wl_tok engine_formats[] = {
	{ 1, "IPv4" }, { 2, "IPv6" }, { 3, "MAC" }, { 4, "text" }, { 5, "octets" }, { 0, NULL }
};

/* ---- OID names: net-snmp's MIB parser over dissect/mibs, or a small table ---- */

static const char *const mib_modules[] = {
	"SNMPv2-MIB", "IF-MIB", "SNMP-USER-BASED-SM-MIB", "SNMP-MPD-MIB",
};

struct mib_lib {
	pthread_once_t once;
	struct tree *head;   /* NULL: net-snmp could not load the modules */
};

static struct mib_lib mib_lib = { PTHREAD_ONCE_INIT, NULL };

static void mib_load(void)
{
	const char *dir = getenv("WIRELAB_MIBDIRS");
	char probe[1024];
	if (!dir || !*dir)
		dir = WL_MIB_DIR;
	snprintf(probe, sizeof probe, "%s/SNMPv2-MIB.txt", dir);
	if (access(probe, R_OK) != 0)
		return;  /* the built-in table answers */
	/* Only our directory, no configuration files, nothing persistent. */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, dir);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIB_WARNINGS, 0);
	netsnmp_init_mib_internals();
	if (add_mibdir(dir) <= 0)
		return;
	struct tree *t = NULL;
	for (size_t i = 0; i < sizeof mib_modules / sizeof mib_modules[0]; i++) {
		struct tree *r = read_module(mib_modules[i]);
		if (r)
			t = r;
	}
	mib_lib.head = t;
}

static const struct {
	const char *prefix, *name;   /* numeric prefix, MODULE::label */
} mib_builtin[] = {
	{ "1.3.6.1.2.1.1.1", "SNMPv2-MIB::sysDescr" }, { "1.3.6.1.2.1.1.2", "SNMPv2-MIB::sysObjectID" },
	{ "1.3.6.1.2.1.1.3", "SNMPv2-MIB::sysUpTime" }, { "1.3.6.1.2.1.1.4", "SNMPv2-MIB::sysContact" },
	{ "1.3.6.1.2.1.1.5", "SNMPv2-MIB::sysName" }, { "1.3.6.1.2.1.1.6", "SNMPv2-MIB::sysLocation" },
	{ "1.3.6.1.2.1.1.7", "SNMPv2-MIB::sysServices" }, { "1.3.6.1.2.1.1.8", "SNMPv2-MIB::sysORLastChange" },
	{ "1.3.6.1.2.1.1.9.1.2", "SNMPv2-MIB::sysORID" }, { "1.3.6.1.2.1.1.9.1.3", "SNMPv2-MIB::sysORDescr" },
	{ "1.3.6.1.2.1.1.9.1.4", "SNMPv2-MIB::sysORUpTime" }, { "1.3.6.1.2.1.1", "SNMPv2-MIB::system" },
	{ "1.3.6.1.6.3.15.1.1.4", "SNMP-USER-BASED-SM-MIB::usmStatsUnknownEngineIDs" },
	{ "1.3.6.1.6.3.15.1.1.3", "SNMP-USER-BASED-SM-MIB::usmStatsUnknownUserNames" },
	{ "1.3.6.1.6.3.15.1.1.2", "SNMP-USER-BASED-SM-MIB::usmStatsNotInTimeWindows" },
	{ "1.3.6.1.6.3.15.1.1.5", "SNMP-USER-BASED-SM-MIB::usmStatsWrongDigests" },
	{ "1.3.6.1.6.3.1.1.4.1", "SNMPv2-MIB::snmpTrapOID" },
	{ "1.3.6.1.2.1.1", "SNMPv2-MIB::system" }, { "1.3.6.1.4.1", "SNMPv2-SMI::enterprises" },
	{ "1.3.6.1.2.1", "SNMPv2-SMI::mib-2" },
};

static int builtin_name(const char *dotted, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof mib_builtin / sizeof mib_builtin[0]; i++) {
		size_t k = strlen(mib_builtin[i].prefix);
		if (!strncmp(dotted, mib_builtin[i].prefix, k) && (dotted[k] == '.' || !dotted[k])) {
			snprintf(out, n, "%s%s", mib_builtin[i].name, dotted + k);
			return 1;
		}
	}
	return 0;
}

/* MODULE::label.index for the arcs; 0 when no module knows them. */
static int oid_name(const uint64_t *arcs, int n, const char *dotted, char *out, size_t outn)
{
	pthread_once(&mib_lib.once, mib_load);
	if (!mib_lib.head || n <= 0)
		return builtin_name(dotted, out, outn);
	oid o[WL_BER_OID_ARCS];
	for (int i = 0; i < n; i++)
		o[i] = (oid)arcs[i];
	struct tree *t = get_tree(o, (size_t)n, mib_lib.head);
	if (!t || !t->label)
		return 0;
	int depth = 0;
	for (struct tree *u = t; u; u = u->parent)
		depth++;
	if (depth < 4 || depth > n)
		return 0;  /* only iso.org.dod: no name worth showing */
	char mod[256];
	size_t o2 = (size_t)snprintf(out, outn, "%s::%s", module_name(t->modid, mod), t->label);
	for (int i = depth; i < n && o2 < outn; i++)
		o2 += (size_t)snprintf(out + o2, outn - o2, ".%llu", (unsigned long long)arcs[i]);
	return 1;
}

/* ---- one message ---- */

struct sp {
	struct wl_ctx *ctx;
	struct wl_msg *m;
	int err;
	int version;
	unsigned vb_notes;
	char text[400];
};

static void sp_chk(struct sp *p, const struct wl_cur *c)
{
	if (c->err && !p->err)
		p->err = c->err;
}

static void text_add(struct sp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_add(struct sp *p, const char *fmt, ...)
{
	size_t o = strlen(p->text);
	va_list ap;
	va_start(ap, fmt);
	if (o < sizeof p->text)
		wl_vsnprintf(p->text + o, sizeof p->text - o, fmt, ap);
	va_end(ap);
}

static int64_t take_int(struct sp *p, struct wl_cur *c)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	int64_t x = wl_ber_int(&v, &ovf);
	sp_chk(p, c);
	sp_chk(p, &v);
	return x;
}

struct bstr {
	const uint8_t *p;
	size_t n;
};

static struct bstr all_of(struct wl_cur *v)
{
	struct bstr s = { NULL, wl_left(v) };
	s.p = wl_bytes(v, s.n);
	if (!s.p)
		s.n = 0;
	return s;
}

static struct bstr take_octets(struct sp *p, struct wl_cur *c)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_OCTETS);
	sp_chk(p, c);
	return all_of(&v);
}

static int is_text(struct bstr s)
{
	struct wl_cur c = wl_cur_make(s.p, s.n);
	for (size_t i = 0; i < s.n; i++) {
		uint8_t b = wl_u8(&c);
		if ((b < 0x20 && b != '\n' && b != '\r' && b != '\t') || b == 0x7f)
			return 0;
		if (b == 0 && i + 1 != s.n)
			return 0;
	}
	return 1;
}

/* net-snmp's way: STRING: "text" when printable, else Hex-STRING: 00 11 ... */
static void octets_text(char *out, size_t n, struct bstr s)
{
	size_t o = 0;
	struct wl_cur c = wl_cur_make(s.p, s.n);
	if (is_text(s)) {
		o = (size_t)snprintf(out, n, "STRING: \"");
		for (size_t i = 0; i < s.n && o + 6 < n; i++) {
			uint8_t b = wl_u8(&c);
			out[o++] = (char)(b < 0x20 ? ' ' : b);
		}
		snprintf(out + o, n - o, "\"");
		return;
	}
	o = (size_t)snprintf(out, n, "Hex-STRING:");
	for (size_t i = 0; i < s.n && o + 8 < n; i++)
		o += (size_t)snprintf(out + o, n - o, " %02X", wl_u8(&c));
}

static void ticks_text(char *out, size_t n, uint64_t t)
{
	uint64_t cs = t % 100, s = t / 100;
	uint64_t d = s / 86400, h = s / 3600 % 24, mi = s / 60 % 60, se = s % 60;
	if (d)
		snprintf(out, n, "Timeticks: (%llu) %llu day%s, %llu:%02llu:%02llu.%02llu",
			 (unsigned long long)t, (unsigned long long)d, d == 1 ? "" : "s",
			 (unsigned long long)h, (unsigned long long)mi, (unsigned long long)se,
			 (unsigned long long)cs);
	else
		snprintf(out, n, "Timeticks: (%llu) %llu:%02llu:%02llu.%02llu", (unsigned long long)t,
			 (unsigned long long)h, (unsigned long long)mi, (unsigned long long)se,
			 (unsigned long long)cs);
}

/* An OID value: snmp.name or snmp.value.oid, with its MIB name into name. */
static int oid_field(struct sp *p, struct wl_cur v, const char *field, char *name, size_t n)
{
	uint64_t arcs[WL_BER_OID_ARCS];
	char dotted[WL_BER_OID_TEXT];
	int k = wl_ber_oid_arcs(&v, arcs, WL_BER_OID_ARCS);
	if (k < 0) {
		p->err = WL_EINVAL;
		snprintf(name, n, "(invalid OID)");
		return 0;
	}
	wl_ber_arcs_text(arcs, k, dotted, sizeof dotted);
	wl_f_cstr(p->m, field, dotted);
	if (!oid_name(arcs, k, dotted, name, n))
		snprintf(name, n, "%s", dotted);
	return 1;
}

/* One value of a varbind: its field and its text as snmpget prints it. */
static void vb_value(struct sp *p, struct wl_cur *c, char *out, size_t n)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	sp_chk(p, c);
	if (p->err) {
		snprintf(out, n, "(cut short)");
		return;
	}
	int ovf = 0;
	if (h.cls == WL_BER_UNIV && h.tag == WL_BER_INTEGER) {
		int64_t x = wl_ber_int(&v, &ovf);
		wl_f_int(p->m, "snmp.value.int", x);
		snprintf(out, n, "INTEGER: %lld", (long long)x);
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_OCTETS) {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.octets", s.p, s.n);
		octets_text(out, n, s);
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_NULL) {
		wl_f_bool(p->m, "snmp.value.null", 1);
		snprintf(out, n, "NULL");
	} else if (h.cls == WL_BER_UNIV && h.tag == WL_BER_OID) {
		char nm[WL_BER_OID_TEXT];
		oid_field(p, v, "snmp.value.oid", nm, sizeof nm);
		if (snprintf(out, n, "OID: %s", nm) >= (int)n)
			out[n - 1] = '\0';  /* cut: the field holds the whole OID */
	} else if (h.cls == WL_BER_APP && h.tag == 0 && wl_left(&v) == 4) {
		uint8_t a[4];
		wl_copy(&v, a, 4);
		wl_f_ipv4(p->m, "snmp.value.ipv4", a);
		snprintf(out, n, "IpAddress: %u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (h.cls == WL_BER_APP && (h.tag == 1 || h.tag == 2 || h.tag == 3 || h.tag == 6 || h.tag == 7)) {
		static const char *const fname[] = { NULL, "snmp.value.counter", "snmp.value.g32",
			"snmp.value.timeticks", NULL, NULL, "snmp.value.counter", "snmp.value.u32" };
		static const char *const tname[] = { NULL, "Counter32", "Gauge32", "Timeticks",
			NULL, NULL, "Counter64", "Gauge32" };
		uint64_t x = wl_ber_uint(&v, &ovf);
		if (h.tag == 2 || h.tag == 7)
			wl_f_int(p->m, fname[h.tag], (int64_t)x);
		else
			wl_f_uint(p->m, fname[h.tag], x);
		if (h.tag == 3)
			ticks_text(out, n, x);
		else
			snprintf(out, n, "%s: %llu", tname[h.tag], (unsigned long long)x);
	} else if (h.cls == WL_BER_APP && h.tag == 4) {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.opaque", s.p, s.n);
		snprintf(out, n, "OPAQUE: %zu bytes", s.n);
	} else if (h.cls == WL_BER_CTX && h.tag <= 2) {
		static const char *const ex[] = { "snmp.noSuchObject", "snmp.noSuchInstance",
						  "snmp.endOfMibView" };
		static const char *const ext[] = {
			"No Such Object available on this agent at this OID",
			"No Such Instance currently exists at this OID",
			"No more variables left in this MIB View (It is past the end of the MIB tree)" };
		wl_f_bool(p->m, ex[h.tag], 1);
		snprintf(out, n, "%s", ext[h.tag]);
	} else {
		struct bstr s = all_of(&v);
		wl_f_bytes(p->m, "snmp.value.unk", s.p, s.n);
		char tb[40];
		snprintf(out, n, "%s (%zu bytes)", wl_ber_tag_name(&h, tb, sizeof tb), s.n);
	}
	sp_chk(p, &v);
	if (ovf)
		wl_note(p->m, WL_WARN, "value does not fit 64 bits");
}

static void varbinds(struct sp *p, struct wl_cur *c, int first_in_text)
{
	struct wl_cur l = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	unsigned n = 0;
	while (wl_left(&l) && !p->err) {
		struct wl_cur vb = wl_ber_take(&l, WL_BER_UNIV, WL_BER_SEQUENCE);
		sp_chk(p, &l);
		struct wl_cur o = wl_ber_take(&vb, WL_BER_UNIV, WL_BER_OID);
		sp_chk(p, &vb);
		if (p->err)
			break;
		char name[WL_BER_OID_TEXT], val[600];
		oid_field(p, o, "snmp.name", name, sizeof name);
		wl_f_cstr(p->m, "wl.snmp.name_text", name);
		vb_value(p, &vb, val, sizeof val);
		int request_null = !strcmp(val, "NULL") && p->m && (first_in_text & 2);
		if (n == 0 && (first_in_text & 1))
			text_add(p, request_null ? " %s" : " %s = %s", name, val);
		if (p->vb_notes < VB_NOTES) {
			if (request_null)
				wl_note(p->m, WL_INFO, "%s", name);
			else
				wl_note(p->m, WL_INFO, "%s = %s", name, val);
			p->vb_notes++;
		}
		n++;
	}
	sp_chk(p, &l);
	if (n > 1)
		text_add(p, " (+%u more)", n - 1);
	if (n == 0)
		text_add(p, " (no variables)");
}

static void pdu(struct sp *p, struct wl_cur *c)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	sp_chk(p, c);
	if (p->err)
		return;
	if (h.cls != WL_BER_CTX || h.tag > 8) {
		p->err = WL_EINVAL;
		return;
	}
	wl_f_uint(p->m, "snmp.data", h.tag);
	const char *name = wl_tok(pdu_names, h.tag, "?");
	text_add(p, "%s", name);
	if (h.tag == 4) {  /* SNMPv1 Trap-PDU */
		char ent[WL_BER_OID_TEXT];
		struct wl_cur e = wl_ber_take(&v, WL_BER_UNIV, WL_BER_OID);
		sp_chk(p, &v);
		if (!p->err)
			oid_field(p, e, "snmp.enterprise", ent, sizeof ent);
		struct wl_cur a = wl_ber_take(&v, WL_BER_APP, 0);
		sp_chk(p, &v);
		if (wl_left(&a) == 4) {
			uint8_t ip[4];
			wl_copy(&a, ip, 4);
			wl_f_ipv4(p->m, "snmp.agent_addr", ip);
		}
		int64_t gen = take_int(p, &v), spec = take_int(p, &v);
		struct wl_cur ts = wl_ber_take(&v, WL_BER_APP, 3);
		int ovf;
		uint64_t t = wl_ber_uint(&ts, &ovf);
		sp_chk(p, &v);
		if (p->err)
			return;
		wl_f_int(p->m, "snmp.generic_trap", gen);
		wl_f_int(p->m, "snmp.specific_trap", spec);
		wl_f_uint(p->m, "snmp.time_stamp", t);
		text_add(p, " %s", wl_tok(trap_names, (uint32_t)gen, "?"));
		wl_note(p->m, WL_INFO, "enterprise %s, generic trap %s, specific %lld", ent,
			wl_tok(trap_names, (uint32_t)gen, "?"), (long long)spec);
		varbinds(p, &v, 0);
		return;
	}
	int64_t id = take_int(p, &v), es = take_int(p, &v), ei = take_int(p, &v);
	if (p->err)
		return;
	wl_f_int(p->m, "snmp.request_id", id);
	if (h.tag == 5) {
		wl_f_uint(p->m, "snmp.non_repeaters", (uint64_t)es);
		wl_f_uint(p->m, "snmp.max_repetitions", (uint64_t)ei);
		text_add(p, " non-repeaters=%lld max-repetitions=%lld", (long long)es, (long long)ei);
	} else {
		wl_f_int(p->m, "snmp.error_status", es);
		wl_f_int(p->m, "snmp.error_index", ei);
		if (es) {
			text_add(p, " %s", wl_tok(error_names, (uint32_t)es, "?"));
			wl_note(p->m, WL_WARN, "error: %s (%lld) at variable %lld",
				wl_tok(error_names, (uint32_t)es, "?"), (long long)es, (long long)ei);
		}
	}
	int is_request = h.tag == 0 || h.tag == 1 || h.tag == 5;
	varbinds(p, &v, 1 | (is_request ? 2 : 0));
}

static void engine_id(struct sp *p, struct bstr e)
{
	wl_f_bytes(p->m, "snmp.msgAuthoritativeEngineID", e.p, e.n);
	if (e.n < 5)
		return;
	struct wl_cur c = wl_cur_make(e.p, e.n);
	uint32_t ent = wl_be32(&c);
	int conform = ent >> 31;
	wl_f_bool(p->m, "snmp.engineid.conform", conform);
	wl_f_uint(p->m, "snmp.engineid.enterprise", ent & 0x7fffffffu);
	if (!conform)
		return;
	uint8_t fmt = wl_u8(&c);
	struct bstr rest = all_of(&c);
	wl_f_uint(p->m, "snmp.engineid.format", fmt);
	if (fmt == 1 && rest.n == 4)
		wl_f_ipv4(p->m, "snmp.engineid.ipv4", rest.p);
	else if (fmt == 2 && rest.n == 16)
		wl_f_ipv6(p->m, "snmp.engineid.ipv6", rest.p);
	else if (fmt == 4)
		wl_f_str(p->m, "snmp.engineid.text", rest.p, rest.n);
	else
		wl_f_bytes(p->m, "snmp.engineid.data", rest.p, rest.n);
	if (fmt == 4 && is_text(rest)) {
		char t[64];
		snprintf(t, sizeof t, "%.*s", (int)(rest.n < 40 ? rest.n : 40), (const char *)rest.p);
		wl_note(p->m, WL_INFO, "engine ID: enterprise %u, text \"%s\"", ent & 0x7fffffffu, t);
	} else {
		wl_note(p->m, WL_INFO, "engine ID: enterprise %u, format %s", ent & 0x7fffffffu,
			wl_tok(engine_formats, fmt, "enterprise-specific"));
	}
}

/* UsmSecurityParameters inside msgSecurityParameters; each field is shown
 * as far as the bytes go, even when a length lies. */
struct snmp_state {
	uint8_t warned;           /* the community warning is given once per flow */
	int keys;                 /* --snmp-user: 0 not parsed, 1 ready, -1 unusable */
	char user[64];
	uint8_t ku_priv[20];      /* privacy password to key, not yet localized */
};

struct usm_params {
	struct bstr eid, name, priv;
	int64_t boots, time;
};

static void usm(struct sp *p, struct bstr sec, char *user, size_t un, struct usm_params *up)
{
	struct wl_cur o = wl_cur_make(sec.p, sec.n);
	struct wl_cur u = wl_ber_take(&o, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, &o);
	user[0] = '\0';
	struct bstr eid = take_octets(p, &u);
	if (u.err)
		return;
	engine_id(p, eid);
	int64_t boots = take_int(p, &u);
	if (!u.err)
		wl_f_uint(p->m, "snmp.msgAuthoritativeEngineBoots", (uint64_t)boots);
	int64_t time = take_int(p, &u);
	if (!u.err)
		wl_f_uint(p->m, "snmp.msgAuthoritativeEngineTime", (uint64_t)time);
	struct bstr name = take_octets(p, &u);
	if (u.err)
		return;
	if (name.n)
		wl_f_str(p->m, "snmp.msgUserName", name.p, name.n);
	snprintf(user, un, "%.*s", (int)(name.n < 64 ? name.n : 64), (const char *)name.p);
	for (char *q = user; *q; q++)
		if ((unsigned char)*q < 0x20)
			*q = '.';
	struct bstr auth = take_octets(p, &u);
	if (!u.err)
		wl_f_bytes(p->m, "snmp.msgAuthenticationParameters", auth.p, auth.n);
	struct bstr priv = take_octets(p, &u);
	if (!u.err)
		wl_f_bytes(p->m, "snmp.msgPrivacyParameters", priv.p, priv.n);
	up->eid = eid;
	up->name = name;
	up->priv = priv;
	up->boots = boots;
	up->time = time;
	if (!eid.n)
		wl_note(p->m, WL_INFO, "engine discovery: empty engine ID, the agent will report its own");
	wl_note(p->m, WL_INFO, "USM: user \"%s\", engine boots %lld, time %lld s, %s", user,
		(long long)boots, (long long)time,
		auth.n ? (priv.n ? "authenticated and encrypted" : "authenticated") : "no authentication");
}

/* ScopedPDU ::= SEQUENCE { contextEngineID, contextName, data PDU } */
static void scoped_pdu(struct sp *p, struct wl_cur *c)
{
	struct wl_cur s = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	struct bstr ceid = take_octets(p, &s);
	struct bstr cname = take_octets(p, &s);
	if (p->err)
		return;
	wl_f_bytes(p->m, "snmp.contextEngineID", ceid.p, ceid.n);
	if (cname.n)
		wl_f_str(p->m, "snmp.contextName", cname.p, cname.n);
	pdu(p, &s);
	sp_chk(p, &s);
}

/* RFC 3414 A.2.2: the password stretched to 1 MiB and hashed (SHA-1). */
static int pw_to_key(const char *pw, uint8_t out[20])
{
	size_t pl = strlen(pw), pos = 0;
	uint8_t buf[64];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (!c || !pl || !EVP_DigestInit_ex(c, EVP_sha1(), NULL)) {
		EVP_MD_CTX_free(c);
		return -1;
	}
	for (size_t done = 0; done < 1048576; done += 64) {
		for (size_t i = 0; i < 64; i++)
			buf[i] = (uint8_t)pw[pos++ % pl];
		EVP_DigestUpdate(c, buf, 64);
	}
	int ok = EVP_DigestFinal_ex(c, out, &n) && n == 20;
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

/* The key localized to one engine: SHA-1(Ku engineID Ku). */
static int localize(const uint8_t ku[20], struct bstr eid, uint8_t out[20])
{
	uint8_t buf[20 + 64 + 20];
	unsigned int n = 0;
	if (eid.n > 64)
		return -1;
	memcpy(buf, ku, 20);
	memcpy(buf + 20, eid.p, eid.n);
	memcpy(buf + 20 + eid.n, ku, 20);
	return EVP_Digest(buf, 40 + eid.n, out, &n, EVP_sha1(), NULL) && n == 20 ? 0 : -1;
}

/* --snmp-user USER:AUTHPASS:PRIVPASS, SHA-1 authentication and AES-128
 * privacy (RFC 3826): the privacy key, once per flow. */
static int priv_key(struct snmp_state *st, const char *opt, struct bstr user, uint8_t ku[20])
{
	if (!st->keys) {
		const char *a = strchr(opt, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		st->keys = -1;
		if (!b || (size_t)(a - opt) >= sizeof st->user)
			return -1;
		snprintf(st->user, sizeof st->user, "%.*s", (int)(a - opt), opt);
		if (pw_to_key(b + 1, st->ku_priv) < 0)
			return -1;
		st->keys = 1;
	}
	if (st->keys < 0 || user.n != strlen(st->user) || memcmp(user.p, st->user, user.n))
		return -1;
	memcpy(ku, st->ku_priv, 20);
	return 0;
}

/* AES-128-CFB with IV = engine boots, engine time, salt (RFC 3826 3.1.2.1). */
static void decrypt_pdu(struct sp *p, struct snmp_state *st, const struct usm_params *up, struct bstr enc)
{
	const char *opt = wl_opts(p->ctx)->snmp_user;
	uint8_t ku[20], kul[20], iv[16];
	if (!opt || !*opt)
		return;
	if (priv_key(st, opt, up->name, ku) < 0 || up->priv.n != 8 || localize(ku, up->eid, kul) < 0) {
		wl_note(p->m, WL_INFO, "not decrypted: --snmp-user names another user or the parameters do not fit AES");
		return;
	}
	uint32_t boots = (uint32_t)up->boots, time = (uint32_t)up->time;
	for (int i = 0; i < 4; i++) {
		iv[i] = (uint8_t)(boots >> (24 - 8 * i));
		iv[4 + i] = (uint8_t)(time >> (24 - 8 * i));
	}
	memcpy(iv + 8, up->priv.p, 8);
	uint8_t *plain = malloc(enc.n + 16);
	EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
	int n1 = 0, n2 = 0;
	int ok = plain && cx && EVP_DecryptInit_ex(cx, EVP_aes_128_cfb128(), NULL, kul, iv) &&
		 EVP_DecryptUpdate(cx, plain, &n1, enc.p, (int)enc.n) &&
		 EVP_DecryptFinal_ex(cx, plain + n1, &n2);
	EVP_CIPHER_CTX_free(cx);
	if (ok) {
		struct wl_cur c = wl_cur_make(plain, (size_t)(n1 + n2));
		if (wl_ber_next_is(&c, WL_BER_UNIV, WL_BER_SEQUENCE)) {
			wl_f_bytes(p->m, "snmp.decrypted_pdu", plain, (size_t)(n1 + n2));
			wl_note(p->m, WL_INFO, "decrypted with the --snmp-user keys (AES-128-CFB, key localized to the engine ID)");
			text_add(p, " decrypted: ");
			scoped_pdu(p, &c);
		} else {
			wl_note(p->m, WL_WARN, "decryption gave no ScopedPDU: wrong privacy password?");
		}
	}
	free(plain);
}

static void v3(struct sp *p, struct snmp_state *st, struct wl_cur *c)
{
	struct wl_cur g = wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
	sp_chk(p, c);
	int64_t id = take_int(p, &g), max = take_int(p, &g);
	struct bstr flags = take_octets(p, &g);
	int64_t model = take_int(p, &g);
	struct bstr sec = take_octets(p, c);
	if (p->err)
		return;
	wl_f_uint(p->m, "snmp.msgID", (uint64_t)id);
	wl_f_uint(p->m, "snmp.msgMaxSize", (uint64_t)max);
	wl_f_bytes(p->m, "snmp.msgFlags", flags.p, flags.n);
	struct wl_cur fc = wl_cur_make(flags.p, flags.n);
	uint8_t fl = wl_u8(&fc);  /* 0 when there is no byte */
	wl_f_bool(p->m, "snmp.v3.flags.report", fl & 4);
	wl_f_bool(p->m, "snmp.v3.flags.crypt", fl & 2);
	wl_f_bool(p->m, "snmp.v3.flags.auth", fl & 1);
	wl_f_uint(p->m, "snmp.msgSecurityModel", (uint64_t)model);
	char user[80] = "";
	struct usm_params up = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 }, 0, 0 };
	if (model == 3)
		usm(p, sec, user, sizeof user, &up);
	else
		wl_f_bytes(p->m, "snmp.msgSecurityParameters", sec.p, sec.n);
	if (p->err)
		return;
	const char *lvl = (fl & 3) == 3 ? "authPriv" : (fl & 1) ? "authNoPriv" : "noAuthNoPriv";
	wl_note(p->m, WL_INFO, "SNMPv3 msgID %lld, flags %s%s, security model %s", (long long)id, lvl,
		fl & 4 ? " reportable" : "", wl_tok(secmodel_names, (uint32_t)model, "?"));
	if (wl_ber_next_is(c, WL_BER_UNIV, WL_BER_OCTETS)) {
		struct bstr enc = take_octets(p, c);
		wl_f_bytes(p->m, "snmp.encryptedPDU", enc.p, enc.n);
		text_add(p, "encrypted scopedPDU (%zu bytes)%s%s%s", enc.n, user[0] ? " user \"" : "",
			 user, user[0] ? "\"" : "");
		wl_note(p->m, WL_INFO, "encrypted: the PDU (OIDs and values) is hidden; user, engine ID and flags stay visible");
		if (model == 3 && !p->err)
			decrypt_pdu(p, st, &up, enc);
		return;
	}
	scoped_pdu(p, c);
	if (user[0])
		text_add(p, " user \"%s\"", user);
	if (!(fl & 2) && (fl & 1 || user[0]))
		wl_note(p->m, WL_WARN, "no privacy: the PDU travels in clear text");
}

/* The message type (PDU name) before anything is emitted. */
static const char *peek_type(struct wl_cur msg, int64_t version)
{
	struct wl_ber h;
	if (version == 3) {
		wl_ber_tlv(&msg, &h);  /* msgGlobalData */
		wl_ber_tlv(&msg, &h);  /* msgSecurityParameters */
		if (wl_ber_next_is(&msg, WL_BER_UNIV, WL_BER_OCTETS))
			return "encryptedPDU";
		msg = wl_ber_take(&msg, WL_BER_UNIV, WL_BER_SEQUENCE);
	}
	wl_ber_tlv(&msg, &h);  /* community / contextEngineID */
	if (version == 3)
		wl_ber_tlv(&msg, &h);  /* contextName */
	if (wl_ber_peek(&msg, &h) == 1 && h.cls == WL_BER_CTX)
		return wl_tok(pdu_names, h.tag, "message");
	return "message";
}

static void snmpd_message(struct snmp_state *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	struct sp p = { .ctx = ctx };
	struct wl_cur msg = wl_ber_take(&c, WL_BER_UNIV, WL_BER_SEQUENCE);
	int cut = c.err == WL_ETRUNC;
	struct wl_cur ver = wl_ber_take(&msg, WL_BER_UNIV, WL_BER_INTEGER);
	int ovf;
	int64_t v = wl_ber_int(&ver, &ovf);
	sp_chk(&p, &c);
	sp_chk(&p, &msg);
	sp_chk(&p, &ver);
	if (p.err || v < 0 || v > 3) {
		p.m = wl_msg_new(ctx, "snmp", "message", dir);
		wl_msg_text(p.m, "SNMP message");
		wl_note(p.m, WL_ERROR, "malformed: not an SNMP message (SEQUENCE, version 0-3)");
		return;
	}
	p.version = (int)v;
	const char *type = peek_type(msg, v);
	p.m = wl_msg_new(ctx, "snmp", type, dir);
	if (!strcmp(type, "encryptedPDU")) {
		wl_note(p.m, WL_INFO, "SNMPv3 with privacy: the scoped PDU is encrypted");
	} else {
		uint32_t k;
		for (k = 0; pdu_names[k].s && strcmp(pdu_names[k].s, type); k++)
			;
		wl_note(p.m, WL_INFO, "%s", wl_tok(pdu_teach, pdu_names[k].s ? k : 99, "SNMP message"));
	}
	if (v == 3) {
		wl_f_int(p.m, "snmp.msgVersion", v);
		snprintf(p.text, sizeof p.text, "v3 ");
		v3(&p, st, &msg);
	} else {
		wl_f_int(p.m, "snmp.version", v);
		struct bstr com = take_octets(&p, &msg);
		if (!p.err && v < 2) {
			if (com.n)
				wl_f_secret(p.m, "snmp.community", com.p, com.n);
			char cs[72];
			snprintf(cs, sizeof cs, "%.*s", (int)(com.n < 64 ? com.n : 64), (const char *)com.p);
			for (char *q = cs; *q; q++)
				if ((unsigned char)*q < 0x20)
					*q = '.';
			snprintf(p.text, sizeof p.text, "%s \"%s\" ", wl_tok(version_names, (uint32_t)v, "?"),
				 wl_secret(ctx, cs));
			pdu(&p, &msg);
			if (!st->warned)
				wl_note(p.m, WL_WARN, "community string \"%s\" sent in clear text (SNMP%s)",
					wl_secret(ctx, cs), v ? "v2c" : "v1");
			st->warned = 1;
		} else if (!p.err) {
			wl_f_bytes(p.m, "snmp.parameters", com.p, com.n);
			snprintf(p.text, sizeof p.text, "v2u ");
			pdu(&p, &msg);
		}
	}
	wl_msg_text(p.m, "%s", p.text);
	if (p.err && cut)
		wl_note(p.m, WL_ERROR, "malformed: SNMP message cut short");
	else if (p.err)
		wl_note(p.m, WL_ERROR, "malformed: invalid SNMP element (a length past its container or a wrong tag)");
}

static enum wl_probe snmpd_probe(struct wl_cur c, enum wl_dir dir)
{
	struct wl_ber h;
	(void)dir;
	if (wl_ber_peek(&c, &h) != 1 || h.cls != WL_BER_UNIV || h.tag != WL_BER_SEQUENCE || !h.cons)
		return WL_PROBE_NO;
	wl_skip(&c, h.hdr);
	struct wl_cur v = wl_ber_take(&c, WL_BER_UNIV, WL_BER_INTEGER);
	if (wl_left(&v) != 1)
		return WL_PROBE_NO;
	uint8_t ver = wl_u8(&v);
	if (ver > 3)
		return WL_PROBE_NO;
	if (wl_ber_next_is(&c, WL_BER_UNIV, ver == 3 ? WL_BER_SEQUENCE : WL_BER_OCTETS))
		return WL_PROBE_YES;
	return WL_PROBE_NO;
}

static void *snmpd_open(struct wl_ctx *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(struct snmp_state));
}

static void snmpd_close(void *st, struct wl_ctx *ctx)
{
	(void)ctx;
	free(st);
}

static void snmpd_datagram(void *st, struct wl_ctx *ctx, enum wl_dir dir, struct wl_cur c)
{
	snmpd_message(st, ctx, dir, c);
}

static const struct wl_field_info snmp_fields[] = {
	{ "snmp.version", WL_FT_INT, "0 v1, 1 v2c, 2 v2u" },
	{ "snmp.community", WL_FT_STR, "community string (cleartext)" },
	{ "snmp.parameters", WL_FT_BYTES, "v2u parameters" },
	{ "snmp.data", WL_FT_UINT, "PDU type: the context tag number" },
	{ "snmp.request_id", WL_FT_INT, "request ID, echoed by the response" },
	{ "snmp.error_status", WL_FT_INT, "error status" },
	{ "snmp.error_index", WL_FT_INT, "error index (1-based varbind)" },
	{ "snmp.non_repeaters", WL_FT_UINT, "getBulk non-repeaters" },
	{ "snmp.max_repetitions", WL_FT_UINT, "getBulk max-repetitions" },
	{ "snmp.name", WL_FT_STR, "varbind OID" },
	{ "wl.snmp.name_text", WL_FT_STR, "varbind OID as a MIB name" },
	{ "snmp.value.int", WL_FT_INT, "INTEGER value" },
	{ "snmp.value.octets", WL_FT_BYTES, "OCTET STRING value" },
	{ "snmp.value.null", WL_FT_BOOL, "NULL value" },
	{ "snmp.value.oid", WL_FT_STR, "OBJECT IDENTIFIER value" },
	{ "snmp.value.ipv4", WL_FT_IPV4, "IpAddress value" },
	{ "snmp.value.counter", WL_FT_UINT, "Counter32/Counter64 value" },
	{ "snmp.value.g32", WL_FT_INT, "Gauge32 value" },
	{ "snmp.value.u32", WL_FT_INT, "Unsigned32 value" },
	{ "snmp.value.timeticks", WL_FT_UINT, "TimeTicks value (1/100 s)" },
	{ "snmp.value.opaque", WL_FT_BYTES, "Opaque value" },
	{ "snmp.value.unk", WL_FT_BYTES, "value of an unknown type" },
	{ "snmp.noSuchObject", WL_FT_BOOL, "exception noSuchObject" },
	{ "snmp.noSuchInstance", WL_FT_BOOL, "exception noSuchInstance" },
	{ "snmp.endOfMibView", WL_FT_BOOL, "exception endOfMibView" },
	{ "snmp.enterprise", WL_FT_STR, "v1 trap enterprise OID" },
	{ "snmp.agent_addr", WL_FT_IPV4, "v1 trap agent address" },
	{ "snmp.generic_trap", WL_FT_INT, "v1 generic trap" },
	{ "snmp.specific_trap", WL_FT_INT, "v1 specific trap" },
	{ "snmp.time_stamp", WL_FT_UINT, "v1 trap time stamp" },
	{ "snmp.msgVersion", WL_FT_INT, "3" },
	{ "snmp.msgID", WL_FT_UINT, "v3 message ID" },
	{ "snmp.msgMaxSize", WL_FT_UINT, "largest message the sender accepts" },
	{ "snmp.msgFlags", WL_FT_BYTES, "v3 flags: 1 auth, 2 priv, 4 reportable" },
	{ "snmp.v3.flags.auth", WL_FT_BOOL, "authenticated" },
	{ "snmp.v3.flags.crypt", WL_FT_BOOL, "encrypted" },
	{ "snmp.v3.flags.report", WL_FT_BOOL, "reportable" },
	{ "snmp.msgSecurityModel", WL_FT_UINT, "3 = USM" },
	{ "snmp.msgSecurityParameters", WL_FT_BYTES, "security parameters (not USM)" },
	{ "snmp.msgAuthoritativeEngineID", WL_FT_BYTES, "authoritative engine ID" },
	{ "snmp.engineid.conform", WL_FT_BOOL, "engine ID follows RFC 3411" },
	{ "snmp.engineid.enterprise", WL_FT_UINT, "engine ID enterprise number" },
	{ "snmp.engineid.format", WL_FT_UINT, "engine ID format (4 text)" },
	{ "snmp.engineid.text", WL_FT_STR, "engine ID text" },
	{ "snmp.engineid.ipv4", WL_FT_IPV4, "engine ID IPv4 address" },
	{ "snmp.engineid.ipv6", WL_FT_IPV6, "engine ID IPv6 address" },
	{ "snmp.engineid.data", WL_FT_BYTES, "engine ID data" },
	{ "snmp.msgAuthoritativeEngineBoots", WL_FT_UINT, "engine boots" },
	{ "snmp.msgAuthoritativeEngineTime", WL_FT_UINT, "engine time (s)" },
	{ "snmp.msgUserName", WL_FT_STR, "USM user name" },
	{ "snmp.msgAuthenticationParameters", WL_FT_BYTES, "HMAC (12 bytes for SHA-96)" },
	{ "snmp.msgPrivacyParameters", WL_FT_BYTES, "privacy salt" },
	{ "snmp.contextEngineID", WL_FT_BYTES, "context engine ID" },
	{ "snmp.contextName", WL_FT_STR, "context name" },
	{ "snmp.encryptedPDU", WL_FT_BYTES, "encrypted scoped PDU" },
	{ "snmp.decrypted_pdu", WL_FT_BYTES, "the scoped PDU decrypted with --snmp-user" },
	{ NULL, 0, NULL }
};

const struct wl_dissector wl_dissector_snmp = {
	.name = "snmp",
	.desc = "SNMP v1/v2c/v3 (RFC 3416, 3412, 3414) with MIB names",
	.udp_ports = snmp_udp_ports,
	.probe = snmpd_probe,
	.open = snmpd_open,
	.datagram = snmpd_datagram,
	.close = snmpd_close,
	.fields = snmp_fields,
};
