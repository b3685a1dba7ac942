/* test_ldap.c - the LDAP dissector: binds, searches with filters rendered back
 * to RFC 4515 text, entries, results by name, StartTLS, several messages in
 * one segment and one message over many, and hostile input (truncation at
 * every offset, lying lengths, huge lengths, filters nested 10,000 deep). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ber_build.h"
#include "wirelab.h"
#include "wltest.h"

#define CPORT 40000
#define SPORT 3389

/* LDAPMessage { messageID, op } */
static void ldap_msg(struct bb *out, int64_t id, uint8_t optag, const struct bb *op)
{
	struct bb m = { .n = 0 };
	bb_int(&m, 0x02, id);
	bb_wrap(&m, optag, op);
	bb_wrap(out, 0x30, &m);
}

static void bind_simple(struct bb *out, int64_t id, const char *dn, const char *pw)
{
	struct bb op = { .n = 0 };
	bb_int(&op, 0x02, 3);
	bb_str(&op, 0x04, dn);
	bb_str(&op, 0x80, pw);
	ldap_msg(out, id, 0x60, &op);
}

static void result_op(struct bb *out, int64_t id, uint8_t optag, int rc, const char *msg)
{
	struct bb op = { .n = 0 };
	bb_int(&op, 0x0a, rc);
	bb_str(&op, 0x04, "");
	bb_str(&op, 0x04, msg);
	ldap_msg(out, id, optag, &op);
}

/* searchRequest with a prebuilt filter element and attribute list */
static void search(struct bb *out, int64_t id, const char *base, int scope, const struct bb *filter,
		   const char *const *attrs)
{
	struct bb op = { .n = 0 }, al = { .n = 0 };
	bb_str(&op, 0x04, base);
	bb_int(&op, 0x0a, scope);
	bb_int(&op, 0x0a, 0);
	bb_int(&op, 0x02, 0);
	bb_int(&op, 0x02, 0);
	bb_tlv(&op, 0x01, "\x00", 1);
	bb_raw(&op, filter->d, filter->n);
	for (; attrs && *attrs; attrs++)
		bb_str(&al, 0x04, *attrs);
	bb_wrap(&op, 0x30, &al);
	ldap_msg(out, id, 0x63, &op);
}

static void eq(struct bb *f, const char *a, const char *v)
{
	struct bb x = { .n = 0 };
	bb_str(&x, 0x04, a);
	bb_str(&x, 0x04, v);
	bb_wrap(f, 0xa3, &x);
}

static void entry(struct bb *out, int64_t id, const char *dn, const char *type, const char *v1, const char *v2)
{
	struct bb op = { .n = 0 }, attrs = { .n = 0 }, pa = { .n = 0 }, vals = { .n = 0 };
	bb_str(&op, 0x04, dn);
	bb_str(&pa, 0x04, type);
	bb_str(&vals, 0x04, v1);
	if (v2)
		bb_str(&vals, 0x04, v2);
	bb_wrap(&pa, 0x31, &vals);
	bb_wrap(&attrs, 0x30, &pa);
	bb_wrap(&op, 0x30, &attrs);
	ldap_msg(out, id, 0x64, &op);
}

static void run_tcp(struct wlt *t, int dir, const struct bb *b, size_t seg)
{
	wlt_init(t, NULL);
	wlt_tcp_open(t, CPORT, SPORT);
	if (seg)
		wlt_tcp_send_split(t, dir, b->d, b->n, seg);
	else
		wlt_tcp_send(t, dir, b->d, b->n);
	wlt_finish(t);
}

static void test_simple_bind(void **state)
{
	(void)state;
	struct bb b = { .n = 0 };
	bind_simple(&b, 1, "cn=admin,dc=localdomain,dc=loc", "labpass");
	struct wlt t;
	run_tcp(&t, WL_C2S, &b, 0);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "bindRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.messageID", 0), "1");
	assert_string_equal(wlt_field(m, "ldap.protocolOp", 0), "0");
	assert_string_equal(wlt_field(m, "ldap.version", 0), "3");
	assert_string_equal(wlt_field(m, "ldap.name", 0), "cn=admin,dc=localdomain,dc=loc");
	assert_string_equal(wlt_field(m, "ldap.authentication", 0), "0");
	assert_string_equal(wlt_field(m, "ldap.simple", 0), "labpass");
	assert_true(wlt_note(m, "password sent in clear text"));
	assert_non_null(strstr(m->text, "labpass"));
	wlt_free(&t);

	/* --redact masks the password in the field and on the ladder */
	struct wl_opts o = { .redact = 1 };
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send(&t, WL_C2S, b.d, b.n);
	wlt_finish(&t);
	m = wlt_find(&t, "ldap", "bindRequest", 0);
	assert_non_null(m);
	assert_null(strstr(m->text, "labpass"));
	assert_null(strstr(m->fields, "labpass"));
	wlt_free(&t);

	/* anonymous */
	b.n = 0;
	bind_simple(&b, 1, "", "");
	run_tcp(&t, WL_C2S, &b, 0);
	m = wlt_find(&t, "ldap", "bindRequest", 0);
	assert_non_null(m);
	assert_null(wlt_field(m, "ldap.name", 0));  /* empty: tshark prints nothing either */
	assert_non_null(strstr(m->text, "anonymous"));
	assert_false(wlt_note(m, "clear text"));
	wlt_free(&t);
}

static void test_sasl_bind_and_results(void **state)
{
	(void)state;
	struct bb op = { .n = 0 }, sasl = { .n = 0 }, b = { .n = 0 };
	bb_int(&op, 0x02, 3);
	bb_str(&op, 0x04, "");
	bb_str(&sasl, 0x04, "DIGEST-MD5");
	bb_wrap(&op, 0xa3, &sasl);
	ldap_msg(&b, 7, 0x60, &op);
	struct wlt t;
	run_tcp(&t, WL_C2S, &b, 0);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "bindRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.mechanism", 0), "DIGEST-MD5");
	assert_string_equal(wlt_field(m, "ldap.authentication", 0), "3");
	wlt_free(&t);

	b.n = 0;
	result_op(&b, 2, 0x61, 49, "");
	result_op(&b, 3, 0x65, 32, "no such base");
	result_op(&b, 4, 0x6f, 6, "");
	run_tcp(&t, WL_S2C, &b, 0);
	m = wlt_find(&t, "ldap", "bindResponse", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.resultCode", 0), "49");
	assert_non_null(strstr(m->text, "invalidCredentials"));
	assert_true(wlt_note(m, "invalidCredentials"));
	m = wlt_find(&t, "ldap", "searchResDone", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.resultCode", 0), "32");
	assert_string_equal(wlt_field(m, "ldap.errorMessage", 0), "no such base");
	assert_non_null(strstr(m->text, "noSuchObject"));
	m = wlt_find(&t, "ldap", "compareResponse", 0);
	assert_non_null(m);
	assert_non_null(strstr(m->text, "compareTrue"));
	wlt_free(&t);
}

static void test_search_and_filter(void **state)
{
	(void)state;
	struct bb f = { .n = 0 }, and = { .n = 0 }, b = { .n = 0 };
	eq(&and, "objectClass", "person");
	eq(&and, "uid", "fsarker");
	bb_wrap(&f, 0xa0, &and);
	const char *const attrs[] = { "sn", "cn", NULL };
	search(&b, 2, "ou=users,dc=localdomain,dc=loc", 2, &f, attrs);
	struct wlt t;
	run_tcp(&t, WL_C2S, &b, 0);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "searchRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.protocolOp", 0), "3");
	assert_string_equal(wlt_field(m, "ldap.baseObject", 0), "ou=users,dc=localdomain,dc=loc");
	assert_string_equal(wlt_field(m, "ldap.scope", 0), "2");
	assert_string_equal(wlt_field(m, "ldap.filter", 0), "0");
	assert_null(wlt_field(m, "ldap.filter", 1));  /* only the top CHOICE, as tshark */
	assert_string_equal(wlt_field(m, "wl.ldap.filter", 0), "(&(objectClass=person)(uid=fsarker))");
	assert_string_equal(wlt_field(m, "ldap.attributeDesc", 1), "uid");
	assert_string_equal(wlt_field(m, "ldap.assertionValue", 1), "fsarker");
	assert_string_equal(wlt_field(m, "ldap.AttributeDescription", 1), "cn");
	assert_string_equal(wlt_field(m, "ldap.sizeLimit", 0), "0");
	assert_string_equal(wlt_field(m, "ldap.typesOnly", 0), "0");
	assert_non_null(strstr(m->text, "wholeSubtree"));
	assert_non_null(strstr(m->text, "[sn,cn]"));
	wlt_free(&t);
}

static const char *filter_text(const struct bb *f)
{
	static char out[512];
	struct bb b = { .n = 0 };
	search(&b, 5, "dc=x", 0, f, NULL);
	struct wlt t;
	run_tcp(&t, WL_C2S, &b, 0);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "searchRequest", 0);
	const char *v = m ? wlt_field(m, "wl.ldap.filter", 0) : NULL;
	snprintf(out, sizeof out, "%s", v ? v : "(none)");
	if (m && wlt_note(m, "malformed"))
		snprintf(out, sizeof out, "malformed");
	wlt_free(&t);
	return out;
}

static void substr(struct bb *f, const char *attr, int ini, const char *const *parts)
{
	/* parts: initial (if ini), then any..., last one is final unless NULL-terminated early */
	struct bb x = { .n = 0 }, s = { .n = 0 };
	bb_str(&x, 0x04, attr);
	for (int i = 0; parts[i]; i++) {
		uint8_t tag = (uint8_t)(i == 0 && ini ? 0x80 : parts[i + 1] ? 0x81 : 0x82);
		bb_str(&s, tag, parts[i]);
	}
	bb_wrap(&x, 0x30, &s);
	bb_wrap(f, 0xa4, &x);
}

static void test_filters(void **state)
{
	(void)state;
	struct bb f = { .n = 0 };
	bb_str(&f, 0x87, "objectclass");
	assert_string_equal(filter_text(&f), "(objectclass=*)");

	f.n = 0;
	substr(&f, "cn", 0, (const char *const[]){ "fred", "x", NULL });  /* any, final */
	assert_string_equal(filter_text(&f), "(cn=*fred*x)");
	f.n = 0;
	{
		struct bb x = { .n = 0 }, s = { .n = 0 };
		bb_str(&x, 0x04, "cn");
		bb_str(&s, 0x81, "fred");
		bb_wrap(&x, 0x30, &s);
		bb_wrap(&f, 0xa4, &x);
	}
	assert_string_equal(filter_text(&f), "(cn=*fred*)");
	f.n = 0;
	{
		struct bb x = { .n = 0 }, s = { .n = 0 };
		bb_str(&x, 0x04, "cn");
		bb_str(&s, 0x80, "ab");
		bb_wrap(&x, 0x30, &s);
		bb_wrap(&f, 0xa4, &x);
	}
	assert_string_equal(filter_text(&f), "(cn=ab*)");
	f.n = 0;
	substr(&f, "cn", 1, (const char *const[]){ "a", "b", "c", NULL });
	assert_string_equal(filter_text(&f), "(cn=a*b*c)");

	/* escapes: * ( ) \ and NUL */
	f.n = 0;
	{
		struct bb x = { .n = 0 };
		bb_str(&x, 0x04, "cn");
		bb_tlv(&x, 0x04, "a*(b)\\\0", 7);
		bb_wrap(&f, 0xa3, &x);
	}
	/* the harness shows a backslash in a field escaped, as the JSON output does */
	assert_string_equal(filter_text(&f), "(cn=a\\\\2a\\\\28b\\\\29\\\\5c\\\\00)");

	/* or, not, >=, <=, ~= and UTF-8 kept as it is */
	f.n = 0;
	{
		struct bb or = { .n = 0 }, ge = { .n = 0 }, not = { .n = 0 }, le = { .n = 0 }, ap = { .n = 0 };
		bb_str(&ge, 0x04, "uidNumber");
		bb_str(&ge, 0x04, "1000");
		bb_wrap(&or, 0xa5, &ge);
		bb_str(&le, 0x04, "gidNumber");
		bb_str(&le, 0x04, "501");
		struct bb lew = { .n = 0 };
		bb_wrap(&lew, 0xa6, &le);
		bb_wrap(&not, 0xa2, &lew);
		bb_raw(&or, not.d, not.n);
		bb_str(&ap, 0x04, "sn");
		bb_str(&ap, 0x04, "S\xc3\xa4rker");
		bb_wrap(&or, 0xa8, &ap);
		bb_wrap(&f, 0xa1, &or);
	}
	assert_string_equal(filter_text(&f), "(|(uidNumber>=1000)(!(gidNumber<=501))(sn~=S\xc3\xa4rker))");

	/* extensible match */
	f.n = 0;
	{
		struct bb x = { .n = 0 };
		bb_str(&x, 0x81, "caseExactMatch");
		bb_str(&x, 0x82, "cn");
		bb_str(&x, 0x83, "Fred");
		bb_tlv(&x, 0x84, "\xff", 1);
		bb_wrap(&f, 0xa9, &x);
	}
	assert_string_equal(filter_text(&f), "(cn:dn:caseExactMatch:=Fred)");

	/* an unknown filter choice is malformed */
	f.n = 0;
	bb_str(&f, 0x8b, "x");
	assert_string_equal(filter_text(&f), "malformed");
}

/* (!(!(!...(objectClass=*)))) n deep, built inside out */
static void test_deep_filter(void **state)
{
	(void)state;
	size_t n = 10000, cap = n * 5 + 64, pos = cap;
	uint8_t *buf = malloc(cap);
	const uint8_t pres[] = { 0x87, 0x01, 'a' };
	pos -= sizeof pres;
	memcpy(buf + pos, pres, sizeof pres);
	for (size_t i = 0; i < n; i++) {
		size_t inner = cap - pos;
		uint8_t h[5] = { 0xa2 };
		size_t hn;
		if (inner < 0x80) {
			h[1] = (uint8_t)inner;
			hn = 2;
		} else if (inner < 0x10000) {
			h[1] = 0x82;
			h[2] = (uint8_t)(inner >> 8);
			h[3] = (uint8_t)inner;
			hn = 4;
		} else {
			h[1] = 0x83;
			h[2] = (uint8_t)(inner >> 16);
			h[3] = (uint8_t)(inner >> 8);
			h[4] = (uint8_t)inner;
			hn = 5;
		}
		pos -= hn;
		memcpy(buf + pos, h, hn);
	}
	struct bb *f = calloc(1, sizeof *f);
	/* bb holds 16 KiB: build the message by hand around the big filter */
	struct bb head = { .n = 0 };
	bb_str(&head, 0x04, "dc=x");
	bb_int(&head, 0x0a, 2);
	bb_int(&head, 0x0a, 0);
	bb_int(&head, 0x02, 0);
	bb_int(&head, 0x02, 0);
	bb_tlv(&head, 0x01, "\x00", 1);
	size_t flen = cap - pos, oplen = head.n + flen + 2;
	size_t total = 3 + 5 + oplen + 16;
	uint8_t *msg = malloc(total);
	size_t o = 0;
	size_t body = 3 + 5 + oplen;  /* messageID + op header + op */
	msg[o++] = 0x30;
	msg[o++] = 0x83;
	msg[o++] = (uint8_t)(body >> 16);
	msg[o++] = (uint8_t)(body >> 8);
	msg[o++] = (uint8_t)body;
	msg[o++] = 0x02; msg[o++] = 0x01; msg[o++] = 0x09;
	msg[o++] = 0x63;
	msg[o++] = 0x83;
	msg[o++] = (uint8_t)(oplen >> 16);
	msg[o++] = (uint8_t)(oplen >> 8);
	msg[o++] = (uint8_t)oplen;
	memcpy(msg + o, head.d, head.n);
	o += head.n;
	memcpy(msg + o, buf + pos, flen);
	o += flen;
	msg[o++] = 0x30;
	msg[o++] = 0x00;
	assert_int_equal(o, 5 + body);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send_split(&t, WL_C2S, msg, o, 1400);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "searchRequest", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "nested deeper"));
	wlt_free(&t);
	free(msg);
	free(f);
	free(buf);
}

static void test_entry_and_framing(void **state)
{
	(void)state;
	struct bb b = { .n = 0 };
	entry(&b, 2, "cn=Faruque Sarker,ou=users,dc=localdomain,dc=loc", "sn", "Sarker", NULL);
	entry(&b, 2, "cn=admin,ou=groups,dc=localdomain,dc=loc", "objectClass", "top", "posixGroup");
	result_op(&b, 2, 0x65, 0, "");
	/* all three in one segment, then the same split into 1-byte segments */
	for (size_t seg = 0; seg <= 1; seg++) {
		struct wlt t;
		run_tcp(&t, WL_S2C, &b, seg);
		assert_int_equal(wlt_count(&t, "ldap", "searchResEntry"), 2);
		const struct wlt_msg *m = wlt_find(&t, "ldap", "searchResEntry", 0);
		assert_string_equal(wlt_field(m, "ldap.objectName", 0), "cn=Faruque Sarker,ou=users,dc=localdomain,dc=loc");
		assert_string_equal(wlt_field(m, "ldap.type", 0), "sn");
		assert_string_equal(wlt_field(m, "ldap.AttributeValue", 0), "5361726b6572");
		assert_true(wlt_note(m, "sn: Sarker"));
		m = wlt_find(&t, "ldap", "searchResEntry", 1);
		assert_string_equal(wlt_field(m, "ldap.AttributeValue", 1), "706f73697847726f7570");
		m = wlt_find(&t, "ldap", "searchResDone", 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "2 entries returned"));
		if (seg)  /* attributed to the frame that completed it */
			assert_true(m->frame > wlt_find(&t, "ldap", "searchResEntry", 1)->frame);
		wlt_free(&t);
	}
}

static void test_starttls_and_others(void **state)
{
	(void)state;
	struct bb req = { .n = 0 }, op = { .n = 0 }, resp = { .n = 0 }, rop = { .n = 0 };
	bb_str(&op, 0x80, "1.3.6.1.4.1.1466.20037");
	ldap_msg(&req, 1, 0x77, &op);
	bb_int(&rop, 0x0a, 0);
	bb_str(&rop, 0x04, "");
	bb_str(&rop, 0x04, "");
	ldap_msg(&resp, 1, 0x78, &rop);
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send(&t, WL_C2S, req.d, req.n);
	wlt_tcp_send(&t, WL_S2C, resp.d, resp.n);
	wlt_tcp_send(&t, WL_C2S, "\x16\x03\x01\x00\x05hello", 10);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "extendedReq", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.requestName", 0), "1.3.6.1.4.1.1466.20037");
	assert_non_null(strstr(m->text, "StartTLS"));
	assert_non_null(wlt_find(&t, "ldap", "extendedResp", 0));
	assert_non_null(wlt_find(&t, "ldap", "tls", 0));
	assert_int_equal(wlt_count(&t, "ldap", "message"), 0);
	wlt_free(&t);

	/* unbind, abandon, delete, modify */
	struct bb b = { .n = 0 }, e = { .n = 0 }, mod = { .n = 0 }, ch = { .n = 0 }, one = { .n = 0 },
		  pa = { .n = 0 }, vals = { .n = 0 };
	ldap_msg(&b, 9, 0x42, &e);  /* unbind: [APPLICATION 2] NULL */
	bb_raw(&b, "\x30\x06\x02\x01\x0a\x50\x01\x05", 8);  /* abandon 5 */
	bb_raw(&b, "\x30\x09\x02\x01\x0b\x4a\x04\x63\x6e\x3d\x78", 11);  /* del cn=x */
	bb_str(&mod, 0x04, "uid=fsarker,ou=users,dc=localdomain,dc=loc");
	bb_int(&one, 0x0a, 2);
	bb_str(&pa, 0x04, "loginShell");
	bb_str(&vals, 0x04, "/bin/bash");
	bb_wrap(&pa, 0x31, &vals);
	bb_wrap(&one, 0x30, &pa);
	bb_wrap(&ch, 0x30, &one);
	bb_wrap(&mod, 0x30, &ch);
	ldap_msg(&b, 12, 0x66, &mod);
	run_tcp(&t, WL_C2S, &b, 0);
	assert_non_null(wlt_find(&t, "ldap", "unbindRequest", 0));
	m = wlt_find(&t, "ldap", "abandonRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.abandonRequest", 0), "5");
	m = wlt_find(&t, "ldap", "delRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.delRequest", 0), "cn=x");
	m = wlt_find(&t, "ldap", "modifyRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.operation", 0), "2");
	assert_string_equal(wlt_field(m, "ldap.type", 0), "loginShell");
	assert_int_equal(wlt_count(&t, "ldap", NULL), 4);
	wlt_free(&t);
}

/* A valid exchange cut at every byte: never a crash; a complete message
 * stays whole and a cut one is either held (TCP) or noted (UDP). */
/* Values as tshark 4.0 shows them. assertionValue: text when printable ASCII,
 * else 24 bytes of hex and ":…" (ldap_search_umlaut.pcap frame 4: "Üü" is
 * c3:9c:c3:bc), none for NtVer (ldap-udp_cldap.pcap frame 1). errorMessage up
 * to its NUL (ldap_invalid_credentials.pcap). pagedResultsControl as ldap.size
 * and ldap.cookie, no controlValue (issue-32.pcapng); an unknown control and a
 * paged control whose value is not a SearchControlValue (hostile) keep the
 * bytes. A CLDAP netlogon value is no ldap.AttributeValue (tshark: mscldap). */
static void eq_bytes(struct bb *f, const char *a, const void *v, size_t n)
{
	struct bb x = { .n = 0 };
	bb_str(&x, 0x04, a);
	bb_tlv(&x, 0x04, v, n);
	bb_wrap(f, 0xa3, &x);
}

static void control(struct bb *ctl, const char *oid, const void *v, size_t n)
{
	struct bb c = { .n = 0 };
	bb_str(&c, 0x04, oid);
	bb_tlv(&c, 0x04, v, n);
	bb_wrap(ctl, 0x30, &c);
}

static void test_values_as_tshark(void **state)
{
	(void)state;
	struct bb f = { .n = 0 }, and = { .n = 0 }, b = { .n = 0 };
	uint8_t long_bin[30];
	memset(long_bin, 0xc3, sizeof long_bin);
	eq_bytes(&and, "cn", "\xc3\x9c\xc3\xbc", 4);
	eq_bytes(&and, "sn", long_bin, sizeof long_bin);
	eq_bytes(&and, "NtVer", "\x16\x00\x00\x00", 4);
	eq(&and, "uid", "plain text~");
	bb_wrap(&f, 0xa0, &and);
	search(&b, 7, "dc=x", 2, &f, NULL);
	struct wlt t;
	run_tcp(&t, WL_C2S, &b, 0);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "searchRequest", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.assertionValue", 0), "c3:9c:c3:bc");
	assert_string_equal(wlt_field(m, "ldap.assertionValue", 1),
			    "c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:c3:\xe2\x80\xa6");
	assert_string_equal(wlt_field(m, "ldap.assertionValue", 2), "plain text~");
	assert_null(wlt_field(m, "ldap.assertionValue", 3));
	wlt_free(&t);

	/* a bind error with a NUL-ended message, and controls */
	struct bb op = { .n = 0 }, msg = { .n = 0 }, ctl = { .n = 0 }, pv = { .n = 0 }, ps = { .n = 0 };
	bb_int(&op, 0x0a, 49);
	bb_str(&op, 0x04, "");
	bb_tlv(&op, 0x04, "80090308: LdapErr\0", 18);
	bb_int(&ps, 0x02, 500);
	bb_tlv(&ps, 0x04, "", 0);
	bb_wrap(&pv, 0x30, &ps);
	control(&ctl, "1.2.840.113556.1.4.319", pv.d, pv.n);
	control(&ctl, "1.2.840.113556.1.4.801", "\x30\x03\x02\x01\x07", 5);
	control(&ctl, "1.2.840.113556.1.4.319", "\x04\x01x", 3);  /* not a SEQUENCE */
	bb_int(&msg, 0x02, 8);
	bb_wrap(&msg, 0x61, &op);
	bb_wrap(&msg, 0xa0, &ctl);
	b.n = 0;
	bb_wrap(&b, 0x30, &msg);
	run_tcp(&t, WL_S2C, &b, 0);
	m = wlt_find(&t, "ldap", "bindResponse", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.errorMessage", 0), "80090308: LdapErr");
	assert_string_equal(wlt_field(m, "ldap.size", 0), "500");
	assert_string_equal(wlt_field(m, "ldap.cookie", 0), "");
	assert_string_equal(wlt_field(m, "ldap.controlValue", 0), "3003020107");
	assert_string_equal(wlt_field(m, "ldap.controlValue", 1), "040178");
	assert_null(wlt_field(m, "ldap.size", 1));
	wlt_free(&t);

	/* CLDAP netlogon: no AttributeValue; another attribute keeps it */
	b.n = 0;
	entry(&b, 1, "", "netlogon", "\x17\x00\x00\x00", NULL);
	entry(&b, 2, "", "cn", "x", NULL);
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_S2C, CPORT, 389, b.d, b.n);
	wlt_finish(&t);
	m = wlt_find(&t, "ldap", "searchResEntry", 0);
	assert_non_null(m);
	assert_null(wlt_field(m, "ldap.AttributeValue", 0));
	m = wlt_find(&t, "ldap", "searchResEntry", 1);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ldap.AttributeValue", 0), "78");
	wlt_free(&t);
}

static void test_truncation_loops(void **state)
{
	(void)state;
	struct bb b = { .n = 0 };
	entry(&b, 2, "cn=Faruque Sarker,ou=users,dc=localdomain,dc=loc", "sn", "Sarker", "X");
	for (size_t cut = 0; cut < b.n; cut++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, CPORT, SPORT);
		wlt_tcp_send(&t, WL_S2C, b.d, cut);
		wlt_finish(&t);
		assert_int_equal(wlt_count(&t, "ldap", "searchResEntry"), 0);  /* incomplete: held */
		wlt_free(&t);
		wlt_init(&t, NULL);
		wlt_udp(&t, WL_S2C, CPORT, 389, b.d, cut);
		wlt_finish(&t);
		if (cut >= 2) {
			const struct wlt_msg *m = wlt_find(&t, "ldap", NULL, 0);
			if (m)
				assert_true(wlt_note(m, "malformed"));
		}
		wlt_free(&t);
	}
}

static void test_lying_lengths(void **state)
{
	(void)state;
	struct wlt t;
	/* an inner length past its container: the message is complete, the element lies */
	const uint8_t inner[] = { 0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03,
				  0x04, 0x40, 'a', 'b' };
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send(&t, WL_C2S, inner, sizeof inner);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "ldap", "bindRequest", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* huge outer length: refused, not waited for */
	const uint8_t huge[] = { 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01 };
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send(&t, WL_C2S, huge, sizeof huge);
	wlt_tcp_send(&t, WL_C2S, huge, sizeof huge);
	wlt_finish(&t);
	m = wlt_find(&t, "ldap", "message", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* zero-length message, zero-length op, indefinite length, a bad messageID */
	const uint8_t *cases[] = {
		(const uint8_t *)"\x30\x00",
		(const uint8_t *)"\x30\x05\x02\x01\x01\x60\x00",
		(const uint8_t *)"\x30\x80\x02\x01\x01\x42\x00\x00\x00",
		(const uint8_t *)"\x30\x05\x02\x00\x42\x00\x00",
		(const uint8_t *)"\x30\x03\x02\x01\x01",
	};
	const size_t lens[] = { 2, 7, 9, 7, 5 };
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, CPORT, SPORT);
		wlt_tcp_send(&t, WL_C2S, cases[i], lens[i]);
		wlt_finish(&t);
		m = wlt_find(&t, "ldap", NULL, 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
}

static void test_probe(void **state)
{
	(void)state;
	struct bb b = { .n = 0 };
	bind_simple(&b, 1, "cn=admin", "pw");
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, 32681);  /* no port rule: found by the probe */
	wlt_tcp_send(&t, WL_C2S, b.d, b.n);
	wlt_finish(&t);
	assert_non_null(wlt_find(&t, "ldap", "bindRequest", 0));
	wlt_free(&t);
}

/* The -v counts and request matching tshark 4.0 shows on pcaps/ldap-search.pcap
 * (its values, tshark -d tcp.port==3389,ldap -T fields): how many attributes a
 * search asks for, the frame a result answers and the time since it; named by
 * -e they come without -v. */
static void test_counts_and_matching_as_tshark(void **state)
{
	(void)state;
	static char out[4096];
	const char *a[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/ldap-search.pcap", "-Y",
			    "ldap.protocolOp == 3 || ldap.protocolOp == 5", "-T", "fields", "-e",
			    "frame.number", "-e", "ldap.attributes", "-e", "ldap.response_to", "-e",
			    "ldap.time", "-e", "ldap.filter" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, (int)(sizeof a / sizeof a[0]), a), 0);
	assert_string_equal(out, "8\t1\t\t\t3\n13\t\t8\t0.000433000\t\n15\t0\t\t\t7\n"
			    "28\t\t15\t0.001264000\t\n");
	/* each entry answers the search too: 9 frames point at frame 15 */
	const char *b[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/ldap-search.pcap", "-Y",
			    "ldap.response_to == 15", "-T", "fields", "-e", "ldap.vals" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, (int)(sizeof b / sizeof b[0]), b), 0);
	unsigned lines = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_bind),
		cmocka_unit_test(test_sasl_bind_and_results),
		cmocka_unit_test(test_search_and_filter),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_deep_filter),
		cmocka_unit_test(test_entry_and_framing),
		cmocka_unit_test(test_starttls_and_others),
		cmocka_unit_test(test_values_as_tshark),
		cmocka_unit_test(test_truncation_loops),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_counts_and_matching_as_tshark),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
