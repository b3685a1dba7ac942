/* test_tls.c - the TLS dissector from hand-built records: hellos and their
 * extensions, a TLS 1.2 flight with a real certificate, TLS 1.3 opaque
 * records, records and handshake messages split every way, every length field
 * lying, 64 KiB of extensions, truncation at every offset, and decryption with
 * a key log (TLS 1.3 AEAD and TLS 1.2 AES-GCM) including a record that fails
 * to authenticate.
 *
 * Note on fieldcheck: corpus/tls/hrr.pcap shows 22 "extra" values in frame 11.
 * That frame is an out-of-order segment that fills the hole before frame 9;
 * tshark 4.0 does not reassemble out of order by default
 * (tcp.reassemble_out_of_order is off), so it never decodes the ServerHello
 * that wirelab, reassembling, finds there. wirelab is right: with
 * `tshark -r hrr.pcap -o tcp.reassemble_out_of_order:TRUE` tshark 4.0 decodes
 * that ServerHello in frame 11 too (tls.handshake.type 2, key share group 23).
 * tests/tshark_fields.py counts the same frame as one extra for each of the
 * 22 tls.* names of that ServerHello and its records (tests/tshark_known/
 * tls.known, test_out_of_order_fill); nothing else of the
 * corpus and the lab captures differs (frame 6, the HelloRetryRequest, agrees
 * since its group is extensions_key_share_selected_group). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "tls_crypt.h"
#include "wirelab.h"
#include "wltest.h"

/* ---- a byte builder ---- */

struct b {
	uint8_t d[200000];
	size_t n;
};

static void p8(struct b *b, unsigned v) { b->d[b->n++] = (uint8_t)v; }
static void p16(struct b *b, unsigned v) { p8(b, v >> 8); p8(b, v); }
static void p24(struct b *b, unsigned v) { p8(b, v >> 16); p16(b, v & 0xffff); }
static void pn(struct b *b, const void *p, size_t n) { memcpy(b->d + b->n, p, n); b->n += n; }
static void pfill(struct b *b, uint8_t v, size_t n) { memset(b->d + b->n, v, n); b->n += n; }
static size_t open16(struct b *b) { b->n += 2; return b->n - 2; }
static void close16(struct b *b, size_t at)
{
	size_t l = b->n - at - 2;
	b->d[at] = (uint8_t)(l >> 8);
	b->d[at + 1] = (uint8_t)l;
}
static size_t open8(struct b *b) { b->n += 1; return b->n - 1; }
static void close8(struct b *b, size_t at) { b->d[at] = (uint8_t)(b->n - at - 1); }

/* Wraps body as a handshake message of type t. */
static void hs(struct b *out, uint8_t t, const struct b *body)
{
	p8(out, t);
	p24(out, (unsigned)body->n);
	pn(out, body->d, body->n);
}

/* Wraps payload as one record. */
static void rec(struct b *out, uint8_t type, unsigned ver, const uint8_t *p, size_t n)
{
	p8(out, type);
	p16(out, ver);
	p16(out, (unsigned)n);
	pn(out, p, n);
}

static void ext_sni(struct b *e, const char *name)
{
	p16(e, 0);
	size_t l = open16(e), ll = open16(e);
	p8(e, 0);
	p16(e, (unsigned)strlen(name));
	pn(e, name, strlen(name));
	close16(e, ll);
	close16(e, l);
}

/* A ClientHello body: TLS 1.3 and 1.2 offered, SNI, ALPN h2 + http/1.1,
 * GREASE, and the extensions in more (NULL: none) at the end. */
static void client_hello_body_more(struct b *h, const char *sni, int tls13, const struct b *more)
{
	p16(h, 0x0303);
	pfill(h, 0x11, 32);
	p8(h, 32);
	pfill(h, 0x22, 32);
	size_t cs = open16(h);
	p16(h, 0x0a0a);
	if (tls13) {
		p16(h, 0x1301);
		p16(h, 0x1302);
	}
	p16(h, 0xc02f);
	p16(h, 0x0035);
	p16(h, 0x00ff);
	close16(h, cs);
	p8(h, 1);
	p8(h, 0);
	size_t el = open16(h);
	if (sni)
		ext_sni(h, sni);
	p16(h, 10);   /* supported_groups */
	size_t l = open16(h), ll = open16(h);
	p16(h, 0x001d);
	p16(h, 0x0017);
	close16(h, ll);
	close16(h, l);
	p16(h, 13);   /* signature_algorithms */
	l = open16(h);
	ll = open16(h);
	p16(h, 0x0804);
	p16(h, 0x0403);
	close16(h, ll);
	close16(h, l);
	p16(h, 16);   /* ALPN */
	l = open16(h);
	ll = open16(h);
	p8(h, 2);
	pn(h, "h2", 2);
	p8(h, 8);
	pn(h, "http/1.1", 8);
	close16(h, ll);
	close16(h, l);
	p16(h, 23);   /* extended_master_secret */
	p16(h, 0);
	p16(h, 0xff01);
	p16(h, 1);
	p8(h, 0);
	if (tls13) {
		p16(h, 43);   /* supported_versions */
		l = open16(h);
		size_t l8 = open8(h);
		p16(h, 0x2a2a);
		p16(h, 0x0304);
		p16(h, 0x0303);
		close8(h, l8);
		close16(h, l);
		p16(h, 45);   /* psk_key_exchange_modes */
		p16(h, 2);
		p8(h, 1);
		p8(h, 1);
		p16(h, 51);   /* key_share */
		l = open16(h);
		ll = open16(h);
		p16(h, 0x001d);
		p16(h, 32);
		pfill(h, 0x33, 32);
		close16(h, ll);
		close16(h, l);
	}
	if (more)
		pn(h, more->d, more->n);
	close16(h, el);
}

static void client_hello_body(struct b *h, const char *sni, int tls13)
{
	client_hello_body_more(h, sni, tls13, NULL);
}

static void client_hello_record(struct b *out, const char *sni, int tls13)
{
	static struct b body, msg;
	body.n = msg.n = 0;
	client_hello_body(&body, sni, tls13);
	hs(&msg, 1, &body);
	rec(out, 22, 0x0301, msg.d, msg.n);
}

static void server_hello_body(struct b *h, unsigned suite, unsigned legacy, int tls13, const uint8_t *random)
{
	p16(h, legacy);
	if (random)
		pn(h, random, 32);
	else
		pfill(h, 0x44, 32);
	p8(h, 32);
	pfill(h, 0x22, 32);
	p16(h, suite);
	p8(h, 0);
	size_t el = open16(h);
	if (tls13) {
		p16(h, 43);
		p16(h, 2);
		p16(h, 0x0304);
		p16(h, 51);
		size_t l = open16(h);
		p16(h, 0x001d);
		p16(h, 32);
		pfill(h, 0x55, 32);
		close16(h, l);
	} else {
		p16(h, 0xff01);
		p16(h, 1);
		p8(h, 0);
	}
	close16(h, el);
}

static void server_hello_record(struct b *out, unsigned suite, unsigned legacy, int tls13, const uint8_t *random)
{
	static struct b body, msg;
	body.n = msg.n = 0;
	server_hello_body(&body, suite, legacy, tls13, random);
	hs(&msg, 2, &body);
	rec(out, 22, legacy, msg.d, msg.n);
}

static void open443(struct wlt *t) { wlt_tcp_open(t, 40000, 443); }

/* The client's bytes, then the server's, on a new connection to port 443,
 * and the end of the capture. */
static void hello_exchange(struct wlt *t, const struct wl_opts *o, const struct b *c, const struct b *s)
{
	wlt_init_opts(t, NULL, o);
	open443(t);
	wlt_tcp_send(t, WL_C2S, c->d, c->n);
	wlt_tcp_send(t, WL_S2C, s->d, s->n);
	wlt_finish(t);
}

static struct b *newb(void)
{
	struct b *b = calloc(1, sizeof *b);
	assert_non_null(b);
	return b;
}

/* ---- hellos ---- */

static void test_client_hello(void **state)
{
	(void)state;
	struct wlt t;
	struct b *r = newb();
	client_hello_record(r, "example.com", 1);
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r->d, r->n);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "22");
	assert_string_equal(wlt_field(m, "tls.record.version", 0), "0x301");
	assert_string_equal(wlt_field(m, "tls.handshake.type", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.version", 0), "0x303");
	assert_string_equal(wlt_field(m, "tls.handshake.ciphersuite", 0), "0xa0a");
	assert_string_equal(wlt_field(m, "tls.handshake.ciphersuite", 1), "0x1301");
	assert_string_equal(wlt_field(m, "tls.handshake.ciphersuite", 5), "0xff");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "example.com");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_alpn_str", 0), "h2");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_alpn_str", 1), "http/1.1");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions.supported_version", 0), "0x2a2a");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions.supported_version", 1), "0x304");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_group", 0), "29");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_supported_group", 0), "0x1d");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x804");
	assert_string_equal(wlt_field(m, "tls.extension.psk_ke_mode", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_reneg_info_len", 0), "0");
	/* the vectors' lengths, as tshark shows them */
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name_list_len", 0), "14");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name_type", 0), "0");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name_len", 0), "11");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_supported_groups_length", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_alpn_len", 0), "12");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_alpn_str_len", 1), "8");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions.supported_versions_len", 0), "6");
	assert_string_equal(wlt_field(m, "tls.extension.psk_ke_modes_length", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_client_length", 0), "36");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_key_exchange_length", 0), "32");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_key_exchange", 0),
			    "3333333333333333333333333333333333333333333333333333333333333333");
	assert_non_null(strstr(m->text, "example.com"));
	assert_non_null(strstr(m->text, "TLS 1.3"));
	assert_true(wlt_note(m, "SNI in the clear"));
	assert_true(wlt_note(m, "GREASE"));
	assert_false(wlt_note(m, "malformed"));
	assert_int_equal(wlt_count(&t, "tls", NULL), 1);
	wlt_free(&t);
	free(r);
}

static void test_tls13_flow(void **state)
{
	(void)state;
	struct wlt t;
	struct b *c = newb(), *s = newb();
	client_hello_record(c, "example.com", 1);
	server_hello_record(s, 0x1302, 0x0303, 1, NULL);
	uint8_t ccs = 1, opaque[300];
	memset(opaque, 0x99, sizeof opaque);
	rec(s, 20, 0x0303, &ccs, 1);
	rec(s, 23, 0x0303, opaque, sizeof opaque);
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	c->n = 0;
	rec(c, 20, 0x0303, &ccs, 1);
	rec(c, 23, 0x0303, opaque, 53);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "server_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.ciphersuite", 0), "0x1302");
	assert_string_equal(wlt_field(m, "wl.tls.version", 0), "TLS 1.3");
	assert_string_equal(wlt_field(m, "wl.tls.cipher", 0), "TLS_AES_256_GCM_SHA384");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions.supported_version", 0), "0x304");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_group", 0), "29");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_key_exchange_length", 0), "32");
	assert_true(wlt_note(m, "from here on the handshake is encrypted"));
	assert_true(wlt_note(m, "choice 2 of 5"));
	m = wlt_find(&t, "tls", "change_cipher_spec", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "dummy in TLS 1.3"));
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.record.opaque_type", 0), "23");
	assert_null(wlt_field(m, "tls.record.content_type", 0));
	assert_string_equal(wlt_field(m, "tls.record.length", 0), "300");
	assert_true(wlt_note(m, "rest of the server's handshake"));
	m = wlt_find(&t, "tls", "application_data", 1);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_C2S);
	assert_true(wlt_note(m, "client's Finished"));
	wlt_free(&t);
	free(c);
	free(s);
}

static void test_hello_retry_request(void **state)
{
	(void)state;
	static const uint8_t hrr[32] = {
		0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
		0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
	};
	struct wlt t;
	struct b *c = newb(), *s = newb(), *body = newb(), *msg = newb();
	client_hello_record(c, NULL, 1);
	p16(body, 0x0303);
	pn(body, hrr, 32);
	p8(body, 0);
	p16(body, 0x1301);
	p8(body, 0);
	size_t el = open16(body);
	p16(body, 43);
	p16(body, 2);
	p16(body, 0x0304);
	p16(body, 51);
	p16(body, 2);
	p16(body, 0x0017);
	close16(body, el);
	hs(msg, 2, body);
	rec(s, 22, 0x0303, msg->d, msg->n);
	hello_exchange(&t, NULL, c, s);
	const struct wlt_msg *m = wlt_find(&t, "tls", "hello_retry_request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.type", 0), "2");
	/* an HRR's key_share names the group, under its own name (as tshark) */
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_selected_group", 0), "23");
	assert_null(wlt_field(m, "tls.handshake.extensions_key_share_group", 0));
	assert_true(wlt_note(m, "HelloRetryRequest"));
	assert_non_null(strstr(m->text, "secp256r1"));
	wlt_free(&t);
	free(c);
	free(s);
	free(body);
	free(msg);
}

/* A list of signature algorithms as extension type (13, 50, 34); list_len
 * 0 means the true length. */
static void ext_sig_list(struct b *e, unsigned type, const uint16_t *algs, size_t n, unsigned list_len)
{
	p16(e, type);
	size_t l = open16(e);
	p16(e, list_len ? list_len : (unsigned)(2 * n));
	for (size_t i = 0; i < n; i++)
		p16(e, algs[i]);
	close16(e, l);
}

/* The ClientHello's tls.* fields with more extensions at its end. */
static void client_hello_more(struct wlt *t, const struct b *more)
{
	static struct b body, msg, r;
	body.n = msg.n = r.n = 0;
	client_hello_body_more(&body, NULL, 1, more);
	hs(&msg, 1, &body);
	rec(&r, 22, 0x0301, msg.d, msg.n);
	wlt_init(t, NULL);
	open443(t);
	wlt_tcp_send(t, WL_C2S, r.d, r.n);
	wlt_finish(t);
}

/* signature_algorithms_cert (50) and delegated_credentials (34) list
 * signature algorithms as signature_algorithms (13) does; each shows as
 * tshark has it: the value, then its two bytes (hash, signature). */
static void test_signature_algorithm_lists(void **state)
{
	(void)state;
	static const uint16_t cert_algs[] = { 0x0807, 0x0201 }, dc_algs[] = { 0x0403 };
	struct b *e = newb();
	ext_sig_list(e, 50, cert_algs, 2, 0);
	ext_sig_list(e, 34, dc_algs, 1, 0);
	struct wlt t;
	client_hello_more(&t, e);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	static const char *const want[] = { "0x804", "0x403", "0x807", "0x201", "0x403" };
	for (unsigned i = 0; i < 5; i++)
		assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", i), want[i]);
	assert_null(wlt_field(m, "tls.handshake.sig_hash_alg", 5));
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg_len", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg_len", 1), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg_len", 2), "2");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_hash", 2), "8");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_sig", 2), "7");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_hash", 4), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_sig", 4), "3");
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* hostile: delegated_credentials' list says 16 bytes, its extension has 2 */
	e->n = 0;
	ext_sig_list(e, 34, dc_algs, 1, 16);
	client_hello_more(&t, e);
	m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: extension 34"));
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg_len", 1), "16");
	wlt_free(&t);
	free(e);
}

/* What a test certificate holds besides CN=localhost and its SAN. */
struct cert_opts {
	long serial;
	const uint8_t *scts;     /* a SignedCertificateTimestampList (RFC 6962 3.3), or NULL */
	size_t scts_len;
	X509 **keep;             /* if not NULL: gets the certificate ... */
	EVP_PKEY **keep_key;     /* ... and its key, for the caller to free */
	const char *ext_oid;     /* if not NULL: one more extension, of this OID ... */
	const uint8_t *ext_value; /* ... whose extnValue holds these bytes as they are */
	size_t ext_len;
};

static void add_scts(X509 *x, const struct cert_opts *o)
{
	/* the extension's value is an OCTET STRING holding the TLS-encoded list */
	ASN1_OCTET_STRING *inner = ASN1_OCTET_STRING_new(), *outer = ASN1_OCTET_STRING_new();
	assert_true(ASN1_OCTET_STRING_set(inner, o->scts, (int)o->scts_len));
	unsigned char *der = NULL;
	int n = i2d_ASN1_OCTET_STRING(inner, &der);
	assert_true(n > 0 && ASN1_OCTET_STRING_set(outer, der, n));
	X509_EXTENSION *e = X509_EXTENSION_create_by_NID(NULL, NID_ct_precert_scts, 0, outer);
	assert_non_null(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	OPENSSL_free(der);
	ASN1_OCTET_STRING_free(inner);
	ASN1_OCTET_STRING_free(outer);
}

/* An extension whose value is whatever the test says, valid DER or not. */
static void add_raw_ext(X509 *x, const struct cert_opts *o)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(o->ext_oid, 1);
	ASN1_OCTET_STRING *v = ASN1_OCTET_STRING_new();
	assert_non_null(obj);
	assert_true(ASN1_OCTET_STRING_set(v, o->ext_value, (int)o->ext_len));
	X509_EXTENSION *e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, v);
	assert_non_null(e);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(v);
	ASN1_OBJECT_free(obj);
}

static size_t make_cert_with(uint8_t *out, size_t cap, int bits, const struct cert_opts *o);

/* A key share whose key runs past its list; an RSA-encrypted premaster. */
static void test_key_exchange_values(void **state)
{
	(void)state;
	struct b *e = newb();
	p16(e, 51);
	p16(e, 6);
	p16(e, 4);
	p16(e, 0x0017);
	p16(e, 0x0100);
	struct wlt t;
	client_hello_more(&t, e);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: extension 51"));
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_key_share_group", 0), "29");
	assert_null(wlt_field(m, "tls.handshake.extensions_key_share_group", 1));
	wlt_free(&t);
	free(e);

	struct b *c = newb(), *s = newb(), *body = newb(), *msg = newb();
	client_hello_record(c, "example.com", 0);
	server_hello_record(s, 0x0035, 0x0303, 0, NULL);
	p16(body, 4);
	pn(body, "\xab\xcd\xef\x01", 4);
	hs(msg, 16, body);
	rec(c, 22, 0x0303, msg->d, msg->n);
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n - msg->n - 5);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send(&t, WL_C2S, c->d + c->n - msg->n - 5, msg->n + 5);
	wlt_finish(&t);
	m = wlt_find(&t, "tls", "client_key_exchange", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.epms_len", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.epms", 0), "abcdef01");
	wlt_free(&t);
	free(c);
	free(s);
	free(body);
	free(msg);
}

/* A self-signed certificate for CN=localhost, DER. */
static size_t make_cert(uint8_t *out, size_t cap, int bits)
{
	const struct cert_opts o = { .serial = 7 };
	return make_cert_with(out, cap, bits, &o);
}

static size_t make_cert_with(uint8_t *out, size_t cap, int bits, const struct cert_opts *o)
{
	EVP_PKEY *k = EVP_RSA_gen((unsigned)bits);
	X509 *x = X509_new();
	assert_non_null(k);
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), o->serial);
	ASN1_TIME_set(X509_getm_notBefore(x), 1600000000);  /* 2020-09 */
	ASN1_TIME_set(X509_getm_notAfter(x), 4000000000);   /* 2096 */
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, k);
	X509V3_CTX v3;
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	if (o->scts)
		add_scts(x, o);
	if (o->ext_oid)
		add_raw_ext(x, o);
	X509_sign(x, k, EVP_sha256());
	int len = i2d_X509(x, NULL);
	assert_true(len > 0 && (size_t)len <= cap);
	unsigned char *p = out;
	i2d_X509(x, &p);
	if (o->keep) {
		*o->keep = x;
		*o->keep_key = k;
		return (size_t)len;
	}
	X509_free(x);
	EVP_PKEY_free(k);
	return (size_t)len;
}

static void test_tls12_flight(void **state)
{
	(void)state;
	struct wlt t;
	struct b *c = newb(), *s = newb(), *body = newb(), *msg = newb();
	static uint8_t der[4096];
	size_t dn = make_cert(der, sizeof der, 1024);
	client_hello_record(c, "example.com", 0);
	server_hello_record(s, 0xc02f, 0x0303, 0, NULL);
	/* Certificate */
	p24(body, (unsigned)dn + 3);
	p24(body, (unsigned)dn);
	pn(body, der, dn);
	hs(msg, 11, body);
	body->n = 0;
	/* ServerKeyExchange: named curve x25519, point, signature */
	p8(body, 3);
	p16(body, 0x001d);
	p8(body, 32);
	pfill(body, 0x66, 32);
	p16(body, 0x0401);
	p16(body, 4);
	pfill(body, 0x77, 4);
	hs(msg, 12, body);
	body->n = 0;
	hs(msg, 14, body);   /* ServerHelloDone */
	rec(s, 22, 0x0303, msg->d, msg->n);   /* three messages, one record */
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	/* ClientKeyExchange, ChangeCipherSpec, encrypted Finished */
	c->n = body->n = msg->n = 0;
	p8(body, 32);
	pfill(body, 0x88, 32);
	hs(msg, 16, body);
	rec(c, 22, 0x0303, msg->d, msg->n);
	uint8_t one = 1, fin[40];
	memset(fin, 0xab, sizeof fin);
	rec(c, 20, 0x0303, &one, 1);
	rec(c, 22, 0x0303, fin, sizeof fin);
	rec(c, 23, 0x0303, fin, 30);
	rec(c, 21, 0x0303, fin, 26);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "22");
	assert_string_equal(wlt_field(m, "wl.tls.cert.subject", 0), "CN=localhost");
	assert_string_equal(wlt_field(m, "wl.tls.cert.issuer", 0), "CN=localhost");
	assert_string_equal(wlt_field(m, "x509ce.dNSName", 0), "localhost");
	assert_string_equal(wlt_field(m, "x509ce.IPAddress.ipv4", 0), "127.0.0.1");
	assert_string_equal(wlt_field(m, "x509af.serialNumber", 0), "07");
	assert_string_equal(wlt_field(m, "wl.tls.cert.key", 0), "RSA 1024");
	assert_string_equal(wlt_field(m, "wl.tls.cert.not_before", 0), "2020-09-13T12:26:40.000000000Z");
	assert_true(wlt_note(m, "the certificate travels in the clear"));
	assert_true(wlt_note(m, "not valid for example.com"));
	assert_true(wlt_note(m, "self-signed"));
	assert_true(wlt_note(m, "too short"));
	m = wlt_find(&t, "tls", "server_key_exchange", 0);
	assert_non_null(m);
	/* record fields once per record: the Certificate carried them */
	assert_null(wlt_field(m, "tls.record.content_type", 0));
	assert_string_equal(wlt_field(m, "tls.handshake.server_named_curve", 0), "0x1d");
	assert_string_equal(wlt_field(m, "tls.handshake.server_point", 0),
			    "6666666666666666666666666666666666666666666666666666666666666666");
	assert_non_null(strstr(m->text, "x25519"));
	assert_non_null(wlt_find(&t, "tls", "server_hello_done", 0));
	m = wlt_find(&t, "tls", "client_key_exchange", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.client_point_len", 0), "32");
	assert_string_equal(wlt_field(m, "tls.handshake.client_point", 0),
			    "8888888888888888888888888888888888888888888888888888888888888888");
	m = wlt_find(&t, "tls", "change_cipher_spec", 0);
	assert_true(wlt_note(m, "from here on the client's records are encrypted"));
	m = wlt_find(&t, "tls", "encrypted_handshake", 0);
	assert_non_null(m);
	assert_null(wlt_field(m, "tls.handshake.type", 0));
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "22");
	assert_true(wlt_note(m, "Finished"));
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "23");
	assert_null(wlt_field(m, "tls.record.opaque_type", 0));
	assert_non_null(wlt_find(&t, "tls", "encrypted_alert", 0));
	wlt_free(&t);
	free(c);
	free(s);
	free(body);
	free(msg);
}

/* A TLS 1.2 server flight of ServerKeyExchange, CertificateRequest (its
 * signature algorithm list length sig_len, 0: the true one) and
 * ServerHelloDone, after the hellos. */
static void cert_request_flight(struct wlt *t, unsigned sig_len)
{
	static const uint8_t dn[5] = { 0x30, 0x03, 0x31, 0x01, 0x00 };
	struct b *c = newb(), *s = newb(), *body = newb(), *msg = newb();
	client_hello_record(c, "example.com", 0);
	server_hello_record(s, 0xc02f, 0x0303, 0, NULL);
	p8(body, 3);   /* ServerKeyExchange: x25519, a point, an rsa_pss_rsae_sha256 signature */
	p16(body, 0x001d);
	p8(body, 32);
	pfill(body, 0x66, 32);
	p16(body, 0x0804);
	p16(body, 3);
	pfill(body, 0x77, 3);
	hs(msg, 12, body);
	body->n = 0;
	p8(body, 2);   /* CertificateRequest: rsa_sign, ecdsa_sign */
	p8(body, 1);
	p8(body, 64);
	p16(body, sig_len ? sig_len : 4);
	p16(body, 0x0401);
	p16(body, 0x0403);
	size_t names = open16(body);
	p16(body, sizeof dn);
	pn(body, dn, sizeof dn);
	close16(body, names);
	hs(msg, 13, body);
	body->n = 0;
	hs(msg, 14, body);
	rec(s, 22, 0x0303, msg->d, msg->n);
	hello_exchange(t, NULL, c, s);
	free(c);
	free(s);
	free(body);
	free(msg);
}

static void test_certificate_request_12(void **state)
{
	(void)state;
	struct wlt t;
	cert_request_flight(&t, 0);
	const struct wlt_msg *m = wlt_find(&t, "tls", "server_key_exchange", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x804");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_hash", 0), "8");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_sig", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_len", 0), "3");
	assert_string_equal(wlt_field(m, "tls.handshake.sig", 0), "777777");
	m = wlt_find(&t, "tls", "certificate_request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.cert_types_count", 0), "2");
	assert_string_equal(wlt_field(m, "tls.handshake.cert_type", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.cert_type", 1), "64");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg_len", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x401");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 1), "0x403");
	assert_string_equal(wlt_field(m, "tls.handshake.dnames_len", 0), "7");
	assert_string_equal(wlt_field(m, "tls.handshake.dname_len", 0), "5");
	assert_true(wlt_note(m, "mutual TLS"));
	assert_false(wlt_note(m, "malformed"));
	assert_non_null(wlt_find(&t, "tls", "server_hello_done", 0));
	wlt_free(&t);

	/* hostile: the algorithm list runs past the message */
	cert_request_flight(&t, 0x100);
	m = wlt_find(&t, "tls", "certificate_request", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: CertificateRequest cut short"));
	assert_null(wlt_field(m, "tls.handshake.dnames_len", 0));
	assert_non_null(wlt_find(&t, "tls", "server_hello_done", 0));
	wlt_free(&t);
}

/* The hellos and a TLS 1.2 Certificate message holding der, read with o. */
static void certificate_flight_opts(struct wlt *t, const struct wl_opts *o, const uint8_t *der,
				    size_t dn)
{
	struct b *c = newb(), *s = newb(), *body = newb(), *msg = newb();
	client_hello_record(c, "localhost", 0);
	server_hello_record(s, 0xc02f, 0x0303, 0, NULL);
	p24(body, (unsigned)dn + 3);
	p24(body, (unsigned)dn);
	pn(body, der, dn);
	hs(msg, 11, body);
	rec(s, 22, 0x0303, msg->d, msg->n);
	hello_exchange(t, o, c, s);
	free(c);
	free(s);
	free(body);
	free(msg);
}

static void certificate_flight(struct wlt *t, const uint8_t *der, size_t dn)
{
	certificate_flight_opts(t, NULL, der, dn);
}

/* x509af.serialNumber is the INTEGER's DER content as tshark shows it: a
 * positive serial with its top bit set keeps its leading 00, a negative one
 * (illegal, but seen) its two's complement. */
static void test_serial_der(void **state)
{
	(void)state;
	static const struct { long serial; const char *want; } rows[] = {
		{ 7, "07" }, { 0x80, "0080" }, { 0x912b, "00912b" }, { -1, "ff" }, { 0x7fff, "7fff" },
	};
	static uint8_t der[4096];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct cert_opts o = { .serial = rows[i].serial };
		size_t dn = make_cert_with(der, sizeof der, 1024, &o);
		struct wlt t;
		certificate_flight(&t, der, dn);
		const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
		assert_non_null(m);
		assert_string_equal(wlt_field(m, "x509af.serialNumber", 0), rows[i].want);
		wlt_free(&t);
	}
}

/* The frames of a classic little-endian pcap in pcaps/, one by one. */
static void feed_pcap(struct wlt *t, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/pcaps/%s", WL_SOURCE_DIR, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t hdr[24], rec[16];
	static uint8_t frame[65536];
	assert_int_equal(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
	assert_int_equal(hdr[0], 0xd4);   /* little-endian microsecond pcap */
	int link = hdr[20] | hdr[21] << 8;
	while (fread(rec, 1, sizeof rec, f) == sizeof rec) {
		uint32_t n = (uint32_t)rec[8] | (uint32_t)rec[9] << 8 | (uint32_t)rec[10] << 16 |
			     (uint32_t)rec[11] << 24;
		assert_true(n <= sizeof frame);
		assert_int_equal(fread(frame, 1, n, f), n);
		wlt_frame(t, link, frame, n);
	}
	fclose(f);
}

/* pcaps/tls12.pcap's server certificate (frame 6) with -v: tshark 4.0's x509
 * fields, each value as `tshark -r pcaps/tls12.pcap -d tcp.port==8443,tls -T
 * fields -e ...` shows it. */
static void test_x509_fields_tls12(void **state)
{
	(void)state;
	struct wl_opts o = { .verbose = 1 };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	feed_pcap(&t, "tls12.pcap");
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
	assert_non_null(m);
	static const struct { const char *name; unsigned nth; const char *want; } rows[] = {
		{ "x509af.version", 0, "2" },
		{ "x509af.serialNumber", 0, "02" },
		{ "x509af.algorithm.id", 0, "1.2.840.10045.4.3.2" },   /* TBS signature */
		{ "x509af.algorithm.id", 1, "1.2.840.113549.1.1.1" },  /* the key's */
		{ "x509af.algorithm.id", 2, "1.2.840.10045.4.3.2" },   /* the signature's */
		{ "x509af.issuer", 0, "0" },
		{ "x509if.rdnSequence", 0, "2" },
		{ "x509af.subject", 0, "0" },
		{ "x509af.rdnSequence", 0, "2" },
		{ "x509if.RDNSequence_item", 3, "1" },
		{ "x509if.oid", 0, "2.5.4.10" },
		{ "x509if.oid", 3, "2.5.4.3" },
		{ "x509sat.DirectoryString", 0, "4" },
		{ "x509sat.uTF8String", 1, "wirelab lab CA" },
		{ "x509sat.uTF8String", 3, "localhost" },
		{ "x509af.notBefore", 0, "0" },
		{ "x509af.utcTime", 0, "2026-11-25 17:55:57 (UTC)" },
		{ "x509af.utcTime", 1, "2029-02-27 18:55:57 (UTC)" },
		{ "x509af.extensions", 0, "6" },
		{ "x509af.extension.id", 0, "2.5.29.19" },
		{ "x509af.extension.id", 5, "2.5.29.17" },
		{ "x509ce.KeyUsage", 0, "a0" },
		{ "x509ce.KeyUsage.digitalSignature", 0, "1" },
		{ "x509ce.KeyUsage.keyEncipherment", 0, "1" },
		{ "x509ce.KeyUsage.cRLSign", 0, "0" },
		{ "x509ce.KeyUsage.decipherOnly", 0, "0" },
		{ "x509ce.SubjectKeyIdentifier", 0, "e6d73b7df26dca758794d58281d1d9e2e46e581d" },
		{ "x509ce.keyIdentifier", 0, "b6a56784c175f1c2aaee16204dbdf26a90c4a3fa" },
		{ "x509ce.KeyPurposeIDs", 0, "1" },
		{ "x509ce.KeyPurposeId", 0, "1.3.6.1.5.5.7.3.1" },
		{ "x509ce.GeneralNames", 0, "2" },
		{ "x509ce.GeneralName", 0, "2" },
		{ "x509ce.GeneralName", 1, "7" },
		{ "x509ce.dNSName", 0, "localhost" },
		{ "x509ce.IPAddress.ipv4", 0, "127.0.0.1" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *v = wlt_field(m, rows[i].name, rows[i].nth);
		if (!v || strcmp(v, rows[i].want) != 0)
			fail_msg("%s #%u: %s, not %s", rows[i].name, rows[i].nth, v ? v : "absent",
				 rows[i].want);
	}
	/* an empty basicConstraints: cA is its DEFAULT, not encoded, not shown */
	assert_null(wlt_field(m, "x509ce.cA", 0));
	assert_null(wlt_field(m, "x509af.critical", 2));
	const char *sig = wlt_field(m, "x509af.encrypted", 0);
	assert_non_null(sig);
	assert_true(strncmp(sig, "30450220674b06f7c8621fdf", 24) == 0);
	const char *key = wlt_field(m, "x509af.subjectPublicKey", 0);
	assert_non_null(key);
	assert_true(strncmp(key, "3082010a0282010100a69b1560", 26) == 0);
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* without -v only the default fields, as before */
	wlt_init(&t, NULL);
	feed_pcap(&t, "tls12.pcap");
	wlt_finish(&t);
	m = wlt_find(&t, "tls", "certificate", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "x509ce.dNSName", 0), "localhost");
	assert_null(wlt_field(m, "x509af.algorithm.id", 0));
	assert_null(wlt_field(m, "x509ce.GeneralName", 0));
	wlt_free(&t);
}

/* Extension values that are not what their OID says: a note each, the fields
 * read up to the damage, never a read past it. */
static void test_x509_hostile_extensions(void **state)
{
	(void)state;
	static const struct { const char *oid; const char *value; size_t n; } rows[] = {
		{ "2.5.29.15", "\x03\x05\x07\x80", 4 },          /* BIT STRING longer than its value */
		{ "2.5.29.15", "\x03\x02\x09\x80", 4 },          /* 9 unused bits */
		{ "2.5.29.19", "\x30\x03\x01\x02\xff", 5 },      /* BOOLEAN of two bytes, cut */
		{ "2.5.29.37", "\x30\x03\x06\x81\x80", 5 },      /* OID whose length runs past */
		{ "2.5.29.32", "\x30\x04\x30\x02\x06\x00", 6 },  /* empty OID */
		{ "2.5.29.31", "\x30\x06\x30\x04\xa0\x02\xa0\x05", 8 }, /* fullName runs past */
		{ "2.5.29.35", "\x30\x02\x80\x05", 4 },          /* keyIdentifier runs past */
		{ "2.5.29.14", "\x04\x02\xab\xcd\xef", 5 },      /* bytes after the OCTET STRING */
		{ "1.3.6.1.5.5.7.1.1", "\x30\x01\x30", 3 },      /* AccessDescription cut */
		{ "2.5.29.18", "\x30\x04\xa4\x02\x31\x00", 6 },  /* a directoryName that is a SET */
	};
	static uint8_t der[4096];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct cert_opts co = { .serial = 9, .ext_oid = rows[i].oid,
			.ext_value = (const uint8_t *)rows[i].value, .ext_len = rows[i].n };
		size_t dn = make_cert_with(der, sizeof der, 1024, &co);
		const struct wl_opts o = { .verbose = 1 };
		struct wlt t;
		certificate_flight_opts(&t, &o, der, dn);
		const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
		assert_non_null(m);
		char want[96];
		snprintf(want, sizeof want, "malformed: certificate 1: its extension %s is not valid",
			 rows[i].oid);
		if (!wlt_note(m, want))
			fail_msg("row %zu: %s: no note", i, rows[i].oid);
		/* the fields before the damage are there all the same */
		assert_string_equal(wlt_field(m, "x509af.serialNumber", 0), "09");
		wlt_free(&t);
	}

	/* the certificate cut at every eighth byte: OpenSSL refuses it, a note */
	size_t dn = make_cert(der, sizeof der, 1024);
	for (size_t cut = 1; cut < dn; cut += 8) {
		const struct wl_opts o = { .verbose = 1 };
		struct wlt t;
		certificate_flight_opts(&t, &o, der, cut);
		const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "not valid X.509 DER"));
		assert_null(wlt_field(m, "x509af.algorithm.id", 0));
		wlt_free(&t);
	}
}

/* A DER OCSPResponse (RFC 6960 4.2.1): successful, no single responses,
 * signed by a responder certificate of serial 0x2a40 that it carries. */
static size_t make_ocsp(uint8_t *out, size_t cap)
{
	static uint8_t der[4096];
	X509 *x = NULL;
	EVP_PKEY *k = NULL;
	const struct cert_opts o = { .serial = 0x2a40, .keep = &x, .keep_key = &k };
	make_cert_with(der, sizeof der, 1024, &o);
	OCSP_BASICRESP *basic = OCSP_BASICRESP_new();
	assert_true(OCSP_basic_sign(basic, x, k, EVP_sha256(), NULL, 0));
	OCSP_RESPONSE *r = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic);
	assert_non_null(r);
	int len = i2d_OCSP_RESPONSE(r, NULL);
	assert_true(len > 0 && (size_t)len <= cap);
	unsigned char *p = out;
	i2d_OCSP_RESPONSE(r, &p);
	OCSP_RESPONSE_free(r);
	OCSP_BASICRESP_free(basic);
	X509_free(x);
	EVP_PKEY_free(k);
	return (size_t)len;
}

/* status_request (5) and status_request_v2 (17, one OCSP-multi request) in
 * a ClientHello: each request's type, as tshark lists them, and lengths. */
static void test_status_requests(void **state)
{
	(void)state;
	struct b *e = newb();
	p16(e, 5);
	p16(e, 5);
	p8(e, 1);
	p16(e, 0);
	p16(e, 0);
	p16(e, 17);
	size_t l = open16(e), ll = open16(e);
	p8(e, 2);
	p16(e, 4);
	p16(e, 0);
	p16(e, 0);
	close16(e, ll);
	close16(e, l);
	struct wlt t;
	client_hello_more(&t, e);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_type", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_type", 1), "2");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_responder_ids_len", 1), "0");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_exts_len", 1), "0");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_list_len", 0), "7");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_len", 0), "4");
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* hostile: the v2 request's length runs past its list */
	e->d[e->n - 6] = 0;
	e->d[e->n - 5] = 40;
	client_hello_more(&t, e);
	m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: extension 17"));
	assert_null(wlt_field(m, "tls.handshake.extensions_status_request_len", 0));
	wlt_free(&t);
	free(e);
}

/* The hellos and a CertificateStatus message of body. */
static void certificate_status_flight(struct wlt *t, const struct b *body)
{
	struct b *c = newb(), *s = newb(), *msg = newb();
	client_hello_record(c, "localhost", 0);
	server_hello_record(s, 0xc02f, 0x0303, 0, NULL);
	hs(msg, 22, body);
	rec(s, 22, 0x0303, msg->d, msg->n);
	hello_exchange(t, NULL, c, s);
	free(c);
	free(s);
	free(msg);
}

/* A stapled OCSP answer: its type and length, and the responder's
 * certificate in it, whose serial tshark shows as x509af.serialNumber. */
static void test_certificate_status(void **state)
{
	(void)state;
	static uint8_t ocsp[8192];
	size_t on = make_ocsp(ocsp, sizeof ocsp);
	struct b *body = newb();
	p8(body, 1);
	p24(body, (unsigned)on);
	pn(body, ocsp, on);
	struct wlt t;
	certificate_status_flight(&t, body);
	const struct wlt_msg *m = wlt_find(&t, "tls", "certificate_status", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_type", 0), "1");
	char want[16];
	snprintf(want, sizeof want, "%zu", on);
	assert_string_equal(wlt_field(m, "tls.handshake.ocsp_response_len", 0), want);
	assert_string_equal(wlt_field(m, "x509af.serialNumber", 0), "2a40");
	assert_string_equal(wlt_field(m, "x509ce.dNSName", 0), "localhost");
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* hostile: the response's length runs past the message; then bytes that are not DER */
	body->d[1] = 0x7f;
	certificate_status_flight(&t, body);
	m = wlt_find(&t, "tls", "certificate_status", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: CertificateStatus cut short"));
	assert_null(wlt_field(m, "x509af.serialNumber", 0));
	wlt_free(&t);
	body->n = 0;
	p8(body, 1);
	p24(body, 4);
	p8(body, 0x30);
	p8(body, 0x7f);
	p16(body, 0);
	certificate_status_flight(&t, body);
	m = wlt_find(&t, "tls", "certificate_status", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: the OCSP response is not valid DER"));
	wlt_free(&t);
	free(body);
}

/* One SCT (RFC 6962 3.2): version 0, log ID a1.., timestamp ms, no
 * extensions, signature algorithm alg over a 3-byte signature. */
static void sct(struct b *o, unsigned alg, uint64_t ms)
{
	size_t l = open16(o);
	p8(o, 0);
	pfill(o, 0xa1, 32);
	for (int i = 7; i >= 0; i--)
		p8(o, (unsigned)(ms >> (8 * i)));
	p16(o, 0);
	p16(o, alg);
	p16(o, 3);
	pfill(o, 0x5c, 3);
	close16(o, l);
}

/* A certificate's SCTs, as tshark shows them: the list, each SCT's fields,
 * its signature algorithm among the tls.handshake.sig_hash_alg values. */
static void test_certificate_scts(void **state)
{
	(void)state;
	static uint8_t der[4096];
	struct b *list = newb();
	size_t l = open16(list);
	sct(list, 0x0403, 1672852448129ull);   /* Jan  4, 2023 17:14:08.129 UTC */
	sct(list, 0x0401, 1672852448613ull);
	close16(list, l);
	struct cert_opts o = { .serial = 7, .scts = list->d, .scts_len = list->n };
	size_t dn = make_cert_with(der, sizeof der, 1024, &o);
	struct wlt t;
	certificate_flight(&t, der, dn);
	const struct wlt_msg *m = wlt_find(&t, "tls", "certificate", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.sct.scts_length", 0), "104");
	assert_string_equal(wlt_field(m, "tls.sct.sct_length", 0), "50");
	assert_string_equal(wlt_field(m, "tls.sct.sct_length", 1), "50");
	assert_string_equal(wlt_field(m, "tls.sct.sct_version", 0), "0");
	assert_string_equal(wlt_field(m, "tls.sct.sct_logid", 0),
			    "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
	assert_string_equal(wlt_field(m, "tls.sct.sct_timestamp", 0), "2023-01-04T17:14:08.129000000Z");
	assert_string_equal(wlt_field(m, "tls.sct.sct_timestamp", 1), "2023-01-04T17:14:08.613000000Z");
	assert_string_equal(wlt_field(m, "tls.sct.sct_extensions_length", 0), "0");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x403");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 1), "0x401");
	assert_string_equal(wlt_field(m, "tls.sct.sct_signature_length", 0), "3");
	assert_string_equal(wlt_field(m, "tls.sct.sct_signature", 0), "5c5c5c");
	assert_true(wlt_note(m, "carries 2 SCTs"));
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);

	/* hostile: the list's length runs past its extension, then the first
	 * SCT's past the list */
	static const unsigned lies[][2] = { { 0, 0x0400 }, { 2, 0x0100 } };
	for (size_t i = 0; i < 2; i++) {
		struct b *bad = newb();
		memcpy(bad->d, list->d, list->n);
		bad->n = list->n;
		bad->d[lies[i][0]] = (uint8_t)(lies[i][1] >> 8);
		bad->d[lies[i][0] + 1] = (uint8_t)lies[i][1];
		o.scts = bad->d;
		dn = make_cert_with(der, sizeof der, 1024, &o);
		certificate_flight(&t, der, dn);
		m = wlt_find(&t, "tls", "certificate", 0);
		assert_non_null(m);
		assert_true(wlt_note(m, "malformed: certificate 1: its SCT list runs past its extension"));
		assert_string_equal(wlt_field(m, "wl.tls.cert.subject", 0), "CN=localhost");
		/* the SCTs that are whole still show; one cut short shows nothing */
		if (i == 0)
			assert_non_null(wlt_field(m, "tls.sct.sct_signature", 1));
		else
			assert_null(wlt_field(m, "tls.sct.sct_signature", 0));
		wlt_free(&t);
		free(bad);
	}
	free(list);
}

/* signed_certificate_timestamp (18) in a ServerHello holds the same list. */
static void test_sct_extension(void **state)
{
	(void)state;
	struct b *c = newb(), *body = newb(), *msg = newb(), *s = newb();
	client_hello_record(c, "example.com", 0);
	server_hello_body(body, 0xc02f, 0x0303, 0, NULL);
	size_t before = body->n;
	p16(body, 18);
	size_t el = open16(body), l = open16(body);
	sct(body, 0x0804, 1000);
	close16(body, l);
	close16(body, el);
	size_t ext_len = (size_t)(body->d[70] << 8 | body->d[71]) + body->n - before;
	body->d[70] = (uint8_t)(ext_len >> 8);   /* the extensions length after the compression method */
	body->d[71] = (uint8_t)ext_len;
	hs(msg, 2, body);
	rec(s, 22, 0x0303, msg->d, msg->n);
	struct wlt t;
	hello_exchange(&t, NULL, c, s);
	const struct wlt_msg *m = wlt_find(&t, "tls", "server_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.sct.scts_length", 0), "52");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x804");
	assert_string_equal(wlt_field(m, "tls.sct.sct_timestamp", 0), "1970-01-01T00:00:01.000000000Z");
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);
	free(c);
	free(body);
	free(msg);
	free(s);
}

static void test_weak_choices(void **state)
{
	(void)state;
	struct wlt t;
	struct b *c = newb(), *s = newb();
	client_hello_record(c, "example.com", 0);
	server_hello_record(s, 0x0035, 0x0301, 0, NULL);
	hello_exchange(&t, NULL, c, s);
	const struct wlt_msg *m = wlt_find(&t, "tls", "server_hello", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "TLS 1.0 is obsolete"));
	assert_true(wlt_note(m, "no forward secrecy"));
	assert_true(wlt_note(m, "CBC with HMAC-SHA1"));
	assert_true(wlt_note(m, "TLS_RSA_WITH_AES_256_CBC_SHA"));
	wlt_free(&t);
	free(c);
	free(s);
}

static void test_obsolete_table(void **state)
{
	(void)state;
	static const struct { unsigned ver, suite; const char *note; } rows[] = {
		{ 0x0300, 0x002f, "SSL 3.0 is broken" },
		{ 0x0302, 0xc013, "TLS 1.1 is obsolete" },
		{ 0x0303, 0x0005, "RC4 is broken" },
		{ 0x0303, 0x0003, "export-grade" },
		{ 0x0303, 0x000a, "Sweet32" },
		{ 0x0303, 0x0002, "not encrypted at all" },
		{ 0x0303, 0xc018, "not authenticated" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct wlt t;
		struct b *c = newb(), *s = newb();
		client_hello_record(c, "example.com", 0);
		server_hello_record(s, rows[i].suite, rows[i].ver, 0, NULL);
		hello_exchange(&t, NULL, c, s);
		const struct wlt_msg *m = wlt_find(&t, "tls", "server_hello", 0);
		assert_non_null(m);
		if (!wlt_note(m, rows[i].note))
			wlt_dump(&t);
		assert_true(wlt_note(m, rows[i].note));
		assert_true(wlt_note(m, "which the client did not offer"));  /* none of these is */
		wlt_free(&t);
		free(c);
		free(s);
	}
}

/* RFC 8446 4.1.3: a 1.3 server that settles for 1.2 marks its random. */
static void test_downgrade_sentinel(void **state)
{
	(void)state;
	static const struct { int client13; uint8_t last; const char *note; } rows[] = {
		{ 1, 0x01, "a TLS 1.3 client must abort here" },
		{ 0, 0x01, "a 1.3 client would check these" },
		{ 1, 0x00, "TLS 1.1 or older" },
		{ 1, 0x02, NULL },	/* not a sentinel: 01 and 00 only */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint8_t rnd[32];
		memset(rnd, 0x44, sizeof rnd);
		memcpy(rnd + 24, "DOWNGRD", 7);
		rnd[31] = rows[i].last;
		struct wlt t;
		struct b *c = newb(), *s = newb();
		client_hello_record(c, "example.com", rows[i].client13);
		server_hello_record(s, 0xc02f, 0x0303, 0, rnd);
		hello_exchange(&t, NULL, c, s);
		const struct wlt_msg *m = wlt_find(&t, "tls", "server_hello", 0);
		assert_non_null(m);
		const char *f = wlt_field(m, "wl.tls.downgrade_sentinel", 0);
		if (!rows[i].note) {
			assert_null(f);
			assert_false(wlt_note(m, "DOWNGRD"));
		} else {
			assert_non_null(f);
			assert_string_equal(f, rows[i].last ? "TLS 1.2" : "TLS 1.1 or older");
			assert_true(wlt_note(m, rows[i].note));
		}
		wlt_free(&t);
		free(c);
		free(s);
	}
}

/* Without keys a TLS 1.3 record of 19 bytes after the handshake is named an
 * alert, marked as inferred; the same size inside the handshake is not. */
static void test_inferred_alert(void **state)
{
	(void)state;
	struct b *c = newb(), *s = newb(), *c2 = newb();
	client_hello_record(c, "example.com", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	static const unsigned srv_len[] = { 19, 300, 40, 19 };
	for (size_t i = 0; i < sizeof srv_len / sizeof srv_len[0]; i++) {
		p8(s, 23);
		p16(s, 0x0303);
		p16(s, srv_len[i]);
		pfill(s, 0xa5, srv_len[i]);
	}
	p8(c2, 23);
	p16(c2, 0x0303);
	p16(c2, 19);
	pfill(c2, 0x5a, 19);
	struct wlt t;
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send(&t, WL_C2S, c2->d, c2->n);
	wlt_finish(&t);
	unsigned inferred = 0;
	for (unsigned i = 0; i < 6; i++) {
		const struct wlt_msg *m = wlt_find(&t, "tls", "application_data", i);
		if (!m)
			break;
		const char *f = wlt_field(m, "wl.tls.inferred", 0);
		if (f) {
			assert_string_equal(f, "alert");
			assert_non_null(strstr(m->text, "Encrypted Alert (inferred), 19 bytes"));
			assert_true(wlt_note(m, "inferred from its size"));
			inferred++;
		}
	}
	assert_int_equal(inferred, 2);  /* the server's last and the client's; not the first */
	wlt_free(&t);
	free(c);
	free(c2);
	free(s);
}

static void test_cleartext_appdata(void **state)
{
	(void)state;
	struct wlt t;
	uint8_t r[] = { 23, 3, 3, 0, 5, 'h', 'e', 'l', 'l', 'o' };
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r, sizeof r);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "in the clear"));
	assert_non_null(strstr(m->text, "hello"));
	wlt_free(&t);
}

static void test_alert(void **state)
{
	(void)state;
	struct wlt t;
	uint8_t a[] = { 21, 3, 3, 0, 2, 2, 48 };
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, a, sizeof a);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "alert", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.alert_message.level", 0), "2");
	assert_string_equal(wlt_field(m, "tls.alert_message.desc", 0), "48");
	assert_non_null(strstr(m->text, "fatal: unknown_ca"));
	assert_true(wlt_note(m, "man-in-the-middle"));
	wlt_free(&t);
}

/* ---- splitting ---- */

static void test_split_every_way(void **state)
{
	(void)state;
	struct b *r = newb();
	client_hello_record(r, "split.example", 1);
	for (size_t seg = 1; seg <= 64; seg = seg * 2 + 1) {
		struct wlt t;
		wlt_init(&t, NULL);
		open443(&t);
		wlt_tcp_send_split(&t, WL_C2S, r->d, r->n, seg);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
		assert_non_null(m);
		assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "split.example");
		assert_false(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
	free(r);
}

static void test_several_records_per_segment(void **state)
{
	(void)state;
	struct wlt t;
	struct b *r = newb();
	uint8_t one = 1, a[2] = { 1, 0 };
	rec(r, 21, 0x0303, a, 2);
	rec(r, 24, 0x0303, a, 2);
	rec(r, 20, 0x0303, &one, 1);
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r->d, r->n);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "tls", NULL), 3);
	assert_non_null(wlt_find(&t, "tls", "change_cipher_spec", 0));
	assert_non_null(wlt_find(&t, "tls", "alert", 0));
	assert_non_null(wlt_find(&t, "tls", "heartbeat", 0));
	wlt_free(&t);
	free(r);
}

/* One ClientHello across three records: the first two are fragments that
 * still carry their record fields; the hello comes whole on the third. */
static void test_handshake_across_records(void **state)
{
	(void)state;
	struct b *body = newb(), *msg = newb(), *r = newb();
	client_hello_body(body, "frag.example", 1);
	hs(msg, 1, body);
	size_t a = 3, b = msg->n / 2;
	rec(r, 22, 0x0301, msg->d, a);   /* even the message header is split */
	rec(r, 22, 0x0301, msg->d + a, b - a);
	rec(r, 22, 0x0301, msg->d + b, msg->n - b);
	struct wlt t;
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r->d, r->n);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "tls", "handshake_fragment"), 2);
	const struct wlt_msg *m = wlt_find(&t, "tls", "handshake_fragment", 1);
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "22");
	assert_non_null(strstr(m->text, "ClientHello, part"));
	m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "frag.example");
	char want[16];
	snprintf(want, sizeof want, "%zu", msg->n - b);
	assert_string_equal(wlt_field(m, "tls.record.length", 0), want);
	wlt_free(&t);
	free(body);
	free(msg);
	free(r);
}

/* ---- hostile lengths ---- */

/* Builds a ClientHello record, then overwrites a 1/2/3-byte length field at
 * offset off (from the record's start) with v. */
struct lie {
	const char *what;
	size_t off;       /* from the record start */
	int width;
	unsigned v;
	const char *expect_type;   /* message expected, or NULL for "nothing yet" */
	const char *expect_note;   /* substring of a note, or NULL */
};

static void poke(uint8_t *p, int width, unsigned v)
{
	for (int i = 0; i < width; i++)
		p[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
}

static void test_lying_lengths(void **state)
{
	(void)state;
	/* offsets in a ClientHello record: 3 record length, 6 hs length,
	 * 43 session id length, 76 cipher suites length, 78+2k compression, then
	 * extensions length, then SNI (type, len, list len, name type, name len) */
	struct b *ok = newb();
	client_hello_record(ok, "example.com", 1);
	size_t cs_off = 5 + 4 + 2 + 32 + 1 + 32;
	size_t ncs = (size_t)(ok->d[cs_off] << 8 | ok->d[cs_off + 1]);
	size_t ext_off = cs_off + 2 + ncs + 2;
	size_t sni = ext_off + 2;
	const struct lie lies[] = {
		{ "record length too long", 3, 2, 0x4000, NULL, NULL },
		{ "record length zero", 3, 2, 0, "handshake_fragment", "empty handshake record" },
		{ "handshake length too long", 6, 3, 0x3000, "handshake_fragment", "continues in the next" },
		{ "handshake length too short", 6, 3, 40, "client_hello", "malformed" },
		{ "handshake length zero", 6, 3, 0, "client_hello", "malformed" },
		{ "handshake length huge", 6, 3, 0xffffff, "handshake", "over wirelab's limit" },
		{ "session id length too long", 43, 1, 0xff, "client_hello", "malformed" },
		{ "session id length zero", 43, 1, 0, "client_hello", "malformed" },
		{ "cipher suites length too long", cs_off, 2, 0xfff0, "client_hello", "malformed" },
		{ "cipher suites length odd", cs_off, 2, (unsigned)ncs - 1, "client_hello", "odd" },
		{ "cipher suites length zero", cs_off, 2, 0, "client_hello", "malformed" },
		{ "extensions length too long", ext_off, 2, 0xffff, "client_hello", "extensions cut short" },
		{ "extensions length too short", ext_off, 2, 3, "client_hello", "malformed" },
		{ "extension length too long", sni + 2, 2, 0xfff0, "client_hello", "malformed" },
		{ "SNI list length too long", sni + 4, 2, 0x7fff, "client_hello", "malformed" },
		{ "SNI name length too long", sni + 7, 2, 0x7fff, "client_hello", "malformed" },
		{ "SNI list length zero", sni + 4, 2, 0, "client_hello", "malformed" },
	};
	for (size_t i = 0; i < sizeof lies / sizeof lies[0]; i++) {
		const struct lie *l = &lies[i];
		struct b *r = newb();
		memcpy(r->d, ok->d, ok->n);
		r->n = ok->n;
		poke(r->d + l->off, l->width, l->v);
		struct wlt t;
		wlt_init(&t, NULL);
		open443(&t);
		wlt_tcp_send(&t, WL_C2S, r->d, r->n);
		wlt_finish(&t);
		if (!l->expect_type) {
			assert_int_equal(wlt_count(&t, "tls", NULL), 0);
		} else {
			const struct wlt_msg *m = wlt_find(&t, "tls", l->expect_type, 0);
			if (!m || !wlt_note(m, l->expect_note)) {
				print_message("lie '%s' not reported as expected\n", l->what);
				wlt_dump(&t);
			}
			assert_non_null(m);
			assert_true(wlt_note(m, l->expect_note));
		}
		wlt_free(&t);
		free(r);
	}
	free(ok);
}

/* 64 KiB of extensions: one ClientHello over five records. */
static void test_64k_extensions(void **state)
{
	(void)state;
	struct b *h = newb(), *msg = newb(), *r = newb();
	p16(h, 0x0303);
	pfill(h, 1, 32);
	p8(h, 0);
	p16(h, 2);
	p16(h, 0x1301);
	p8(h, 1);
	p8(h, 0);
	size_t el = open16(h);
	ext_sni(h, "big.example");
	while (h->n - el - 2 + 4 + 60 <= 0xffff) {
		p16(h, 0xfe00);    /* an unknown extension */
		p16(h, 56);
		pfill(h, 0xee, 56);
	}
	p16(h, 21);   /* padding up to exactly 65535 bytes of extensions */
	size_t pad = 0xffff - (h->n - el - 2) - 2;
	p16(h, (unsigned)pad);
	pfill(h, 0, pad);
	close16(h, el);
	assert_int_equal((h->d[el] << 8 | h->d[el + 1]), 0xffff);
	hs(msg, 1, h);
	for (size_t o = 0; o < msg->n; o += 16384) {
		size_t k = msg->n - o < 16384 ? msg->n - o : 16384;
		rec(r, 22, 0x0301, msg->d + o, k);
	}
	struct wlt t;
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send_split(&t, WL_C2S, r->d, r->n, 1400);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "big.example");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_length", 0), "65535");
	assert_false(wlt_note(m, "malformed"));
	wlt_free(&t);
	free(h);
	free(msg);
	free(r);
}

/* Extensions nested inside extensions, every inner length at its maximum. */
static void test_nested_overflow(void **state)
{
	(void)state;
	struct b *h = newb(), *msg = newb(), *r = newb();
	p16(h, 0x0303);
	pfill(h, 1, 32);
	p8(h, 0);
	p16(h, 2);
	p16(h, 0x1301);
	p8(h, 1);
	p8(h, 0);
	size_t el = open16(h);
	const uint16_t types[] = { 0, 10, 13, 16, 41, 43, 45, 51, 0xff01, 44, 5 };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		p16(h, types[i]);
		p16(h, 6);
		p16(h, 0xffff);   /* inner length far past the extension */
		p8(h, 0xff);
		p8(h, 0xff);
		p16(h, 0xffff);
	}
	close16(h, el);
	hs(msg, 1, h);
	rec(r, 22, 0x0301, msg->d, msg->n);
	struct wlt t;
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r->d, r->n);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed"));
	wlt_free(&t);
	/* each one alone */
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		h->n = msg->n = r->n = 0;
		p16(h, 0x0303);
		pfill(h, 1, 32);
		p8(h, 0);
		p16(h, 2);
		p16(h, 0x1301);
		p8(h, 1);
		p8(h, 0);
		el = open16(h);
		p16(h, types[i]);
		p16(h, 3);
		p16(h, 0xffff);
		p8(h, 0xff);
		close16(h, el);
		hs(msg, 1, h);
		rec(r, 22, 0x0301, msg->d, msg->n);
		wlt_init(&t, NULL);
		open443(&t);
		wlt_tcp_send(&t, WL_C2S, r->d, r->n);
		wlt_finish(&t);
		assert_non_null(wlt_find(&t, "tls", "client_hello", 0));
		wlt_free(&t);
	}
	free(h);
	free(msg);
	free(r);
}

/* Truncation: the record cut at every offset (it never completes: nothing is
 * decoded, nothing crashes), and the hello cut at every offset with the
 * record and handshake lengths telling the truth about the cut. */
static void test_truncate_every_offset(void **state)
{
	(void)state;
	struct b *body = newb(), *full = newb(), *r = newb();
	client_hello_body(body, "cut.example", 1);
	client_hello_record(full, "cut.example", 1);
	for (size_t k = 0; k < full->n; k++) {
		struct wlt t;
		wlt_init(&t, NULL);
		open443(&t);
		wlt_tcp_send(&t, WL_C2S, full->d, k);
		wlt_finish(&t);
		assert_int_equal(wlt_count(&t, "tls", "client_hello"), 0);
		wlt_free(&t);
	}
	for (size_t k = 0; k < body->n; k++) {
		struct b cut;
		memcpy(cut.d, body->d, k);
		cut.n = k;
		struct b *msg = newb();
		hs(msg, 1, &cut);
		r->n = 0;
		rec(r, 22, 0x0301, msg->d, msg->n);
		struct wlt t;
		wlt_init(&t, NULL);
		open443(&t);
		wlt_tcp_send(&t, WL_C2S, r->d, r->n);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
		assert_non_null(m);
		/* a hello may legally end before its extensions */
		size_t ext_start = 2 + 32 + 1 + 32 + 2 + 12 + 2;
		if (k != ext_start && !wlt_note(m, "malformed")) {
			print_message("cut at %zu not reported\n", k);
			fail();
		}
		wlt_free(&t);
		free(msg);
	}
	free(body);
	free(full);
	free(r);
}

static void test_not_tls_and_probe(void **state)
{
	(void)state;
	struct wlt t;
	const char junk[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, junk, sizeof junk - 1);
	wlt_tcp_send(&t, WL_C2S, junk, sizeof junk - 1);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "not_tls", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "not a TLS record"));
	assert_int_equal(wlt_count(&t, "tls", "not_tls"), 2);
	wlt_free(&t);

	struct b *r = newb();
	client_hello_record(r, "probe.example", 1);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40001, 12345);
	wlt_tcp_send_split(&t, WL_C2S, r->d, r->n, 3);
	wlt_finish(&t);
	m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "probe.example");
	wlt_free(&t);
	free(r);
}

static void test_gap_resync(void **state)
{
	(void)state;
	struct wlt t;
	struct b *r = newb();
	uint8_t junk[100];
	memset(junk, 0x17, sizeof junk);
	client_hello_record(r, "gap.example", 1);
	wlt_init(&t, NULL);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, r->d, 50);            /* half a record */
	wlt_tcp_send_at(&t, WL_C2S, 1000, r->d, r->n);  /* after a hole */
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "client_hello", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_server_name", 0), "gap.example");
	wlt_free(&t);
	free(r);
}

/* A segment that fills a hole is decoded with what the hole held back, on its
 * own frame, as on corpus/tls/hrr.pcap frame 11 (an out-of-order segment before
 * frame 9's tail). tshark 4.0 decodes nothing there by default: packet-tcp.c's
 * preference tcp.reassemble_out_of_order is FALSE (`tshark -G defaultprefs`),
 * so out-of-order data never reaches the TLS dissector; with it TRUE tshark
 * shows the same ServerHello and records on frame 11 and no difference is
 * left on that capture (tests/tshark_known/tls.known). */
static void test_out_of_order_fill(void **state)
{
	(void)state;
	struct wlt t;
	struct b *c = newb(), *s = newb();
	uint8_t opaque[40];
	memset(opaque, 0x17, sizeof opaque);
	client_hello_record(c, "ooo.example", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	rec(s, 23, 0x0303, opaque, sizeof opaque);
	wlt_init(&t, NULL);
	open443(&t);                                             /* frames 1-3 */
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);                    /* 4 */
	wlt_tcp_send_at(&t, WL_S2C, 60, s->d + 60, s->n - 60);   /* 5: the tail first */
	wlt_tcp_send(&t, WL_S2C, s->d, 60);                      /* 6: fills the hole */
	wlt_finish(&t);
	const struct wlt_msg *sh = wlt_find(&t, "tls", "server_hello", 0);
	assert_non_null(sh);
	assert_int_equal(sh->frame, 6);
	assert_string_equal(wlt_field(sh, "tls.handshake.extensions.supported_version", 0), "0x304");
	const struct wlt_msg *ad = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(ad);
	assert_int_equal(ad->frame, 6);
	assert_string_equal(wlt_field(ad, "tls.record.length", 0), "40");
	wlt_free(&t);
	free(c);
	free(s);
}

/* ---- decryption ---- */

static void hexs(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

static size_t seal(const EVP_CIPHER *ci, const uint8_t *key, const uint8_t nonce[12], const uint8_t *aad,
		   size_t aadlen, const uint8_t *pt, size_t n, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int l = 0, l2 = 0;
	assert_true(EVP_EncryptInit_ex(c, ci, NULL, NULL, NULL));
	assert_true(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL));
	assert_true(EVP_EncryptInit_ex(c, NULL, NULL, key, nonce));
	assert_true(EVP_EncryptUpdate(c, NULL, &l, aad, (int)aadlen));
	assert_true(EVP_EncryptUpdate(c, out, &l, pt, (int)n));
	assert_true(EVP_EncryptFinal_ex(c, out + l, &l2));
	assert_true(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_AEAD_GET_TAG, 16, out + l + l2));
	EVP_CIPHER_CTX_free(c);
	return (size_t)(l + l2) + 16;
}

/* A TLS 1.3 record sealed with a traffic secret: inner content + type. */
static void seal13(struct b *out, const uint8_t *secret, uint64_t seq, uint8_t type, const void *pt, size_t n)
{
	static uint8_t inner[8192];
	uint8_t key[32], iv[12], nonce[12], hdr[5];
	assert_true(n + 1 <= sizeof inner);
	assert_int_equal(tls13_expand_label("SHA256", secret, 32, "key", key, 16), 0);
	assert_int_equal(tls13_expand_label("SHA256", secret, 32, "iv", iv, 12), 0);
	memcpy(nonce, iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(seq >> (8 * i));
	memcpy(inner, pt, n);
	inner[n] = type;
	size_t clen = n + 1 + 16;
	hdr[0] = 23;
	hdr[1] = 3;
	hdr[2] = 3;
	hdr[3] = (uint8_t)(clen >> 8);
	hdr[4] = (uint8_t)clen;
	pn(out, hdr, 5);
	out->n += seal(EVP_aes_128_gcm(), key, nonce, hdr, 5, inner, n + 1, out->d + out->n);
}

static void test_decrypt_tls13(void **state)
{
	(void)state;
	uint8_t cs[32], ss[32], crand[32];
	memset(crand, 0x11, 32);   /* client_hello_body's random */
	for (int i = 0; i < 32; i++) {
		cs[i] = (uint8_t)(i + 1);
		ss[i] = (uint8_t)(0x80 + i);
	}
	char path[] = "/tmp/wl-test-tls-keylog-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	char hr[65], hc[65], hs_[65];
	hexs(hr, crand, 32);
	hexs(hc, cs, 32);
	hexs(hs_, ss, 32);
	fprintf(f, "# a comment\nSERVER_HANDSHAKE_TRAFFIC_SECRET %s %s\n", hr, hs_);
	fprintf(f, "CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n", hr, hc);
	fclose(f);

	struct b *c = newb(), *s = newb(), *pt = newb();
	client_hello_record(c, "example.com", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	/* EncryptedExtensions + Finished in one protected record */
	p8(pt, 8);
	p24(pt, 2);
	p16(pt, 0);
	p8(pt, 20);
	p24(pt, 32);
	pfill(pt, 0x5a, 32);
	seal13(s, ss, 0, 22, pt->d, pt->n);
	/* then a record that fails to authenticate */
	seal13(s, ss, 1, 23, "tampered", 8);
	s->d[s->n - 1] ^= 1;
	/* the client: Finished with its handshake key, then application data
	 * with an application key that is not in the key log */
	pt->n = 0;
	p8(pt, 20);
	p24(pt, 32);
	pfill(pt, 0x5b, 32);
	struct b *c2 = newb();
	seal13(c2, cs, 0, 22, pt->d, pt->n);
	seal13(c2, cs, 0, 23, "GET /secret\r\n", 13);

	struct wl_opts o = { .keylog = path };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send(&t, WL_C2S, c2->d, c2->n);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "tls", "encrypted_extensions", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.record.opaque_type", 0), "23");
	assert_string_equal(wlt_field(m, "tls.record.content_type", 0), "22");
	assert_string_equal(wlt_field(m, "tls.handshake.type", 0), "8");
	m = wlt_find(&t, "tls", "finished", 0);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_S2C);
	assert_null(wlt_field(m, "tls.record.content_type", 0));   /* once per record */
	/* after the server's Finished it switches to application keys, which the
	 * key log does not have */
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_S2C);
	assert_true(wlt_note(m, "no key for this session"));
	m = wlt_find(&t, "tls", "finished", 1);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_C2S);
	m = wlt_find(&t, "tls", "application_data", 1);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_C2S);
	wlt_free(&t);

	/* the application keys added: the client's request reads as text, a
	 * tampered record is a note */
	f = fopen(path, "a");
	fprintf(f, "CLIENT_TRAFFIC_SECRET_0 %s %s\n", hr, hc);
	fprintf(f, "SERVER_TRAFFIC_SECRET_0 %s %s\n", hr, hs_);
	fclose(f);
	c2->n = 0;
	seal13(c2, cs, 0, 22, pt->d, pt->n);
	seal13(c2, cs, 0, 23, "GET /secret\r\n", 13);
	s->n = 0;
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	pt->n = 0;
	p8(pt, 20);
	p24(pt, 32);
	pfill(pt, 0x5a, 32);
	seal13(s, ss, 0, 22, pt->d, pt->n);
	seal13(s, ss, 0, 23, "tampered", 8);
	s->d[s->n - 1] ^= 1;
	wlt_init_opts(&t, NULL, &o);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send(&t, WL_C2S, c2->d, c2->n);
	wlt_finish(&t);
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_S2C);
	assert_true(wlt_note(m, "failed to authenticate"));
	m = wlt_find(&t, "tls", "application_data", 1);
	assert_non_null(m);
	assert_non_null(strstr(m->text, "GET /secret"));
	assert_string_equal(wlt_field(m, "data.data", 0), "474554202f7365637265740d0a");
	wlt_free(&t);
	unlink(path);
	free(c);
	free(c2);
	free(s);
	free(pt);
}

/* A TLS 1.3 session whose server sends the handshake messages in pt (one
 * protected record) after its ServerHello, the key log holding the
 * handshake secrets. */
static void tls13_server_flight(struct wlt *t, const struct b *pt)
{
	uint8_t cs[32], ss[32], crand[32];
	memset(crand, 0x11, 32);
	for (int i = 0; i < 32; i++) {
		cs[i] = (uint8_t)(i + 1);
		ss[i] = (uint8_t)(0x80 + i);
	}
	char path[] = "/tmp/wl-test-tls-keylog-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	char hr[65], hc[65], hs_[65];
	hexs(hr, crand, 32);
	hexs(hc, cs, 32);
	hexs(hs_, ss, 32);
	fprintf(f, "SERVER_HANDSHAKE_TRAFFIC_SECRET %s %s\nCLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n",
		hr, hs_, hr, hc);
	fclose(f);
	struct b *c = newb(), *s = newb();
	client_hello_record(c, "localhost", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	seal13(s, ss, 0, 22, pt->d, pt->n);
	struct wl_opts o = { .keylog = path };
	hello_exchange(t, &o, c, s);
	unlink(path);
	free(c);
	free(s);
}

/* TLS 1.3: a CertificateRequest is a context and extensions; a Certificate
 * entry has extensions of its own (here an SCT list); a CertificateVerify
 * always names its algorithm. */
static void test_tls13_server_auth(void **state)
{
	(void)state;
	static const uint16_t algs[] = { 0x0804, 0x0403 }, cert_algs[] = { 0x0401 };
	static uint8_t der[4096];
	size_t dn = make_cert(der, sizeof der, 1024);
	struct b *pt = newb(), *body = newb();
	p8(body, 1);   /* CertificateRequest: a 1-byte context */
	p8(body, 0x42);
	size_t el = open16(body);
	ext_sig_list(body, 13, algs, 2, 0);
	ext_sig_list(body, 50, cert_algs, 1, 0);
	close16(body, el);
	hs(pt, 13, body);
	body->n = 0;
	p8(body, 0);   /* Certificate: no context, one entry with an SCT extension */
	size_t list = body->n;
	p24(body, 0);
	p24(body, (unsigned)dn);
	pn(body, der, dn);
	el = open16(body);
	p16(body, 18);
	size_t l = open16(body), sl = open16(body);
	sct(body, 0x0403, 1000);
	close16(body, sl);
	close16(body, l);
	static uint8_t ocsp[8192];
	size_t on = make_ocsp(ocsp, sizeof ocsp);
	p16(body, 5);   /* status_request: the stapled OCSP answer */
	l = open16(body);
	p8(body, 1);
	p24(body, (unsigned)on);
	pn(body, ocsp, on);
	close16(body, l);
	close16(body, el);
	size_t total = body->n - list - 3;
	body->d[list] = (uint8_t)(total >> 16);
	body->d[list + 1] = (uint8_t)(total >> 8);
	body->d[list + 2] = (uint8_t)total;
	hs(pt, 11, body);
	body->n = 0;
	p16(body, 0x0804);   /* CertificateVerify */
	p16(body, 4);
	pfill(body, 0x99, 4);
	hs(pt, 15, body);
	struct wlt t;
	tls13_server_flight(&t, pt);
	const struct wlt_msg *m = wlt_find(&t, "tls", "certificate_request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.certificate_request_context_length", 0), "1");
	assert_string_equal(wlt_field(m, "tls.handshake.extension.type", 0), "13");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x804");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 2), "0x401");
	assert_null(wlt_field(m, "tls.handshake.cert_types_count", 0));
	assert_false(wlt_note(m, "malformed"));
	m = wlt_find(&t, "tls", "certificate", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.extension.type", 0), "18");
	assert_string_equal(wlt_field(m, "tls.handshake.extension.type", 1), "5");
	assert_string_equal(wlt_field(m, "tls.handshake.extensions_status_request_type", 0), "1");
	assert_string_equal(wlt_field(m, "x509af.serialNumber", 1), "2a40");
	assert_string_equal(wlt_field(m, "tls.sct.sct_timestamp", 0), "1970-01-01T00:00:01.000000000Z");
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x403");
	assert_string_equal(wlt_field(m, "wl.tls.cert.subject", 0), "CN=localhost");
	assert_false(wlt_note(m, "malformed"));
	m = wlt_find(&t, "tls", "certificate_verify", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.sig_hash_alg", 0), "0x804");
	assert_string_equal(wlt_field(m, "tls.handshake.client_cert_vrfy.sig_len", 0), "4");
	assert_string_equal(wlt_field(m, "tls.handshake.client_cert_vrfy.sig", 0), "99999999");
	assert_non_null(strstr(m->text, "0x0804"));
	wlt_free(&t);

	/* hostile: the CertificateRequest's signature_algorithms list runs past its extension */
	pt->n = body->n = 0;
	p8(body, 0);
	el = open16(body);
	ext_sig_list(body, 13, algs, 2, 0x40);
	close16(body, el);
	hs(pt, 13, body);
	tls13_server_flight(&t, pt);
	m = wlt_find(&t, "tls", "certificate_request", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "malformed: extension 13"));
	wlt_free(&t);
	free(pt);
	free(body);
}

/* A TLS 1.3 session on port sport whose application records (after each
 * side's Finished) carry srv[] and cli[] as one record each, the key log
 * holding every secret. A server string starting with '*' (chat) takes its
 * NUL along. */
static void run_inner(struct wlt *t, uint16_t sport, const char *decode_as, const char *const *srv,
		      const char *const *cli, char *path)
{
	uint8_t cs[32], ss[32], crand[32];
	memset(crand, 0x11, 32);
	for (int i = 0; i < 32; i++) {
		cs[i] = (uint8_t)(i + 1);
		ss[i] = (uint8_t)(0x80 + i);
	}
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	char hr[65], hc[65], hs_[65];
	hexs(hr, crand, 32);
	hexs(hc, cs, 32);
	hexs(hs_, ss, 32);
	fprintf(f, "SERVER_HANDSHAKE_TRAFFIC_SECRET %s %s\nCLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\n",
		hr, hs_, hr, hc);
	fprintf(f, "SERVER_TRAFFIC_SECRET_0 %s %s\nCLIENT_TRAFFIC_SECRET_0 %s %s\n", hr, hs_, hr, hc);
	fclose(f);
	struct b *c = newb(), *s = newb(), *fin = newb(), *c2 = newb();
	client_hello_record(c, "example.com", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	p8(fin, 20);
	p24(fin, 32);
	pfill(fin, 0x5a, 32);
	seal13(s, ss, 0, 22, fin->d, fin->n);
	for (uint64_t i = 0; srv[i]; i++)
		seal13(s, ss, i, 23, srv[i], strlen(srv[i]) + (srv[i][0] == '*'));
	seal13(c2, cs, 0, 22, fin->d, fin->n);
	for (uint64_t i = 0; cli[i]; i++)
		seal13(c2, cs, i, 23, cli[i], strlen(cli[i]) + (cli[i][strlen(cli[i]) - 1] == 't'));
	struct wl_opts o = { .keylog = path };
	wlt_init_opts(t, decode_as, &o);
	wlt_tcp_open(t, 40000, sport);
	wlt_tcp_send(t, WL_C2S, c->d, c->n);
	wlt_tcp_send(t, WL_S2C, s->d, s->n);
	wlt_tcp_send(t, WL_C2S, c2->d, c2->n);
	wlt_finish(t);
	unlink(path);
	free(c);
	free(c2);
	free(s);
	free(fin);
}

/* Decrypted application data goes through the dissector choice of cleartext
 * TCP: the probes find the chat, a message split over two records is one. */
static void test_decrypt_inner_probe(void **state)
{
	(void)state;
	static const char *const srv[] = { "* hi", NULL };
	static const char *const cli[] = { "ca", "t", NULL };  /* "t" takes the NUL */
	char path[] = "/tmp/wl-test-tls-inner-XXXXXX";
	struct wlt t;
	run_inner(&t, 443, NULL, srv, cli, path);
	const struct wlt_msg *m = wlt_find(&t, "chat", "message", 0);
	if (!m)
		wlt_dump(&t);
	assert_non_null(m);
	assert_int_equal(m->dir, WL_S2C);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "* hi");
	assert_true(wlt_note(m, "inside TLS: decrypted with the key log's SERVER_TRAFFIC_SECRET_0"));
	m = wlt_find(&t, "chat", "message", 1);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "cat");
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_true(m->minor);
	assert_true(wlt_note(m, "handed to the chat dissector"));
	assert_null(wlt_field(m, "data.data", 0));   /* as tshark: decoded bytes are no data */
	wlt_free(&t);
}

/* The wrapped port names the service (990 is implicit FTPS), a tls.port rule
 * does on any port; the FTP inside does not call its password clear text. */
static void test_decrypt_inner_port(void **state)
{
	(void)state;
	static const char *const srv[] = { "220 ready\r\n", "331 password?\r\n", NULL };
	static const char *const cli[] = { "USER ann\r\n", "PASS s3cret\r\n", NULL };
	char path[] = "/tmp/wl-test-tls-inner-XXXXXX";
	struct wlt t;
	run_inner(&t, 990, NULL, srv, cli, path);
	const struct wlt_msg *m = wlt_find(&t, "ftp", "request", 1);
	if (!m)
		wlt_dump(&t);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp.request.command", 0), "PASS");
	assert_true(wlt_note(m, "the password travels inside TLS"));
	assert_false(wlt_note(m, "clear text"));
	assert_true(wlt_note(m, "CLIENT_TRAFFIC_SECRET_0"));
	wlt_free(&t);

	char path2[] = "/tmp/wl-test-tls-inner-XXXXXX";
	run_inner(&t, 8990, "tls.port==8990,ftp", srv, cli, path2);
	m = wlt_find(&t, "ftp", "response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ftp.response.code", 0), "220");
	wlt_free(&t);
}

/* The first decrypted record, shown as TLS's own with its bytes (hex). */
static const struct wlt_msg *first_record_shown(const struct wlt *t, const char *hex)
{
	const struct wlt_msg *m = wlt_find(t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_false(m->minor);
	assert_string_equal(wlt_field(m, "data.data", 0), hex);
	return m;
}

/* The probes may want more than one record: the first waits (shown as TLS's
 * own, with its bytes), the second decides, and the chat gets both. */
static void test_decrypt_inner_waits(void **state)
{
	(void)state;
	static const char *const srv[] = { NULL };
	static const char *const cli[] = { "ca", "t", NULL };  /* "t" takes the NUL */
	char path[] = "/tmp/wl-test-tls-inner-XXXXXX";
	struct wlt t;
	run_inner(&t, 443, NULL, srv, cli, path);
	first_record_shown(&t, "6361");
	const struct wlt_msg *m = wlt_find(&t, "tls", "application_data", 1);
	assert_non_null(m);
	assert_true(m->minor);
	m = wlt_find(&t, "chat", "message", 0);
	if (!m)
		wlt_dump(&t);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "wl.chat.message", 0), "cat");
	assert_int_equal(wlt_count(&t, "chat", "message"), 1);
	wlt_free(&t);
}

/* Plaintext no dissector claims stays TLS's own application data, shown with
 * its bytes; a probe that wants more waits for the next record. */
static void test_decrypt_inner_none(void **state)
{
	(void)state;
	static const char *const srv[] = { "\x01\x02\x03\x04 binary", NULL };
	static const char *const cli[] = { "\x7f\x7e", NULL };
	char path[] = "/tmp/wl-test-tls-inner-XXXXXX";
	struct wlt t;
	run_inner(&t, 443, NULL, srv, cli, path);
	const struct wlt_msg *m = first_record_shown(&t, "010203042062696e617279");
	assert_true(wlt_note(m, "decrypted with the key log"));
	assert_int_equal(wlt_count(&t, "chat", "message"), 0);
	wlt_free(&t);
}

/* A lost segment hides one record: the next one is still decrypted, by trying
 * the sequence numbers after the last one seen. */
static void test_decrypt_after_gap(void **state)
{
	(void)state;
	uint8_t cs[32], ss[32], crand[32];
	memset(crand, 0x11, 32);
	memset(cs, 0xc1, 32);
	memset(ss, 0x5e, 32);
	char path[] = "/tmp/wl-test-tls-gap-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	char hr[65], hc[65], hs_[65];
	hexs(hr, crand, 32);
	hexs(hc, cs, 32);
	hexs(hs_, ss, 32);
	fprintf(f, "SERVER_HANDSHAKE_TRAFFIC_SECRET %s %s\nSERVER_TRAFFIC_SECRET_0 %s %s\n", hr, hs_, hr, hs_);
	fprintf(f, "CLIENT_HANDSHAKE_TRAFFIC_SECRET %s %s\nCLIENT_TRAFFIC_SECRET_0 %s %s\n", hr, hc, hr, hc);
	fclose(f);
	struct b *c = newb(), *s = newb(), *pt = newb(), *lost = newb(), *after = newb();
	client_hello_record(c, "example.com", 1);
	server_hello_record(s, 0x1301, 0x0303, 1, NULL);
	p8(pt, 20);
	p24(pt, 32);
	pfill(pt, 0x5a, 32);
	seal13(s, ss, 0, 22, pt->d, pt->n);
	seal13(s, ss, 0, 23, "first", 5);
	seal13(lost, ss, 1, 23, "never seen", 10);
	seal13(after, ss, 2, 23, "after the gap", 13);
	struct wl_opts o = { .keylog = path };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send_at(&t, WL_S2C, (int32_t)lost->n, after->d, after->n);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_non_null(strstr(m->text, "first"));
	m = wlt_find(&t, "tls", "application_data", 1);
	assert_non_null(m);
	if (!strstr(m->text, "after the gap"))
		wlt_dump(&t);
	assert_non_null(strstr(m->text, "after the gap"));
	wlt_free(&t);
	unlink(path);
	free(c);
	free(s);
	free(pt);
	free(lost);
	free(after);
}

/* TLS 1.2 AEAD records: AES-128-GCM (4-byte salt + 8-byte explicit nonce on
 * the wire) or ChaCha20-Poly1305 (iv XOR sequence number, nothing on the wire). */
static void decrypt12(uint16_t suite)
{
	int chacha = suite == 0xcca8;
	uint8_t ms[48], crand[32], srand[32], block[88];
	memset(crand, 0x11, 32);
	memset(srand, 0x44, 32);   /* server_hello_body's random */
	for (int i = 0; i < 48; i++)
		ms[i] = (uint8_t)(7 * i + 3);
	uint8_t seed[64];
	memcpy(seed, srand, 32);
	memcpy(seed + 32, crand, 32);
	size_t klen = chacha ? 32 : 16, ivlen = chacha ? 12 : 4;
	assert_int_equal(tls12_prf("SHA256", ms, 48, "key expansion", seed, 64, block,
				   2 * (klen + ivlen)), 0);
	const uint8_t *ckey = block, *civ = block + 2 * klen;
	char path[] = "/tmp/wl-test-tls12-keylog-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	char hr[65], hm[97];
	hexs(hr, crand, 32);
	hexs(hm, ms, 48);
	fprintf(f, "CLIENT_RANDOM %s %s\n", hr, hm);
	fclose(f);

	struct b *c = newb(), *s = newb();
	client_hello_record(c, "example.com", 0);
	server_hello_record(s, suite, 0x0303, 0, NULL);
	struct b *c2 = newb();
	uint8_t one = 1;
	rec(c2, 20, 0x0303, &one, 1);
	/* Finished (seq 0) and application data (seq 1) */
	const char *msgs[2] = { "\x14\x00\x00\x0c" "abcdefghijkl", "hello over TLS 1.2" };
	const uint8_t types[2] = { 22, 23 };
	for (uint64_t seq = 0; seq < 2; seq++) {
		size_t n = seq ? strlen(msgs[1]) : 16;
		uint8_t nonce[12], aad[13], out[128];
		if (chacha) {
			memcpy(nonce, civ, 12);
			for (int i = 0; i < 8; i++)
				nonce[4 + i] ^= (uint8_t)(seq >> (56 - 8 * i));
		} else {
			memcpy(nonce, civ, 4);
			for (int i = 0; i < 8; i++)
				nonce[4 + i] = (uint8_t)(seq >> (56 - 8 * i)) ^ 0x5e;
		}
		for (int i = 0; i < 8; i++)
			aad[i] = (uint8_t)(seq >> (56 - 8 * i));
		aad[8] = types[seq];
		aad[9] = 3;
		aad[10] = 3;
		aad[11] = 0;
		aad[12] = (uint8_t)n;
		size_t cl = seal(chacha ? EVP_chacha20_poly1305() : EVP_aes_128_gcm(), ckey, nonce, aad,
				 13, (const uint8_t *)msgs[seq], n, out);
		p8(c2, types[seq]);
		p16(c2, 0x0303);
		p16(c2, (unsigned)((chacha ? 0 : 8) + cl));
		if (!chacha)
			pn(c2, nonce + 4, 8);
		pn(c2, out, cl);
	}
	struct wl_opts o = { .keylog = path };
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	open443(&t);
	wlt_tcp_send(&t, WL_C2S, c->d, c->n);
	wlt_tcp_send(&t, WL_S2C, s->d, s->n);
	wlt_tcp_send(&t, WL_C2S, c2->d, c2->n);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "tls", "finished", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "tls.handshake.type", 0), "20");
	m = wlt_find(&t, "tls", "application_data", 0);
	assert_non_null(m);
	assert_non_null(strstr(m->text, "hello over TLS 1.2"));
	wlt_free(&t);
	unlink(path);
	free(c);
	free(c2);
	free(s);
}

static void test_decrypt_tls12_gcm(void **state)
{
	(void)state;
	decrypt12(0xc02f);
}

static void test_decrypt_tls12_chacha(void **state)
{
	(void)state;
	decrypt12(0xcca8);
}

static void test_keylog_parsing(void **state)
{
	(void)state;
	char path[] = "/tmp/wl-test-keylog-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	uint8_t r[32], out[TLS_MAX_SECRET];
	memset(r, 0xab, 32);
	fprintf(f, "CLIENT_RANDOM zz\n");
	fprintf(f, "CLIENT_RANDOM %s 00\n", "abab");   /* short random */
	fprintf(f, "CLIENT_RANDOM ");
	for (int i = 0; i < 32; i++)
		fprintf(f, "AB");
	fprintf(f, " 0102030g\n");                     /* bad hex */
	fprintf(f, "CLIENT_RANDOM ");
	for (int i = 0; i < 32; i++)
		fprintf(f, "ab");
	fprintf(f, " 010203\n");
	fclose(f);
	assert_int_equal(tls_keylog_find(path, "CLIENT_RANDOM", r, out), 3);
	assert_int_equal(out[2], 3);
	assert_int_equal(tls_keylog_find(path, "SERVER_TRAFFIC_SECRET_0", r, out), 0);
	assert_int_equal(tls_keylog_find("/nonexistent/keylog", "CLIENT_RANDOM", r, out), 0);
	unlink(path);
}

/* Key log lines held in memory (a pcapng DSB): the last without its newline,
 * CRLF ends, a label that only starts like the one asked, a line too long to
 * be one. */
static void test_keylog_in_memory(void **state)
{
	(void)state;
	uint8_t r[32], out[TLS_MAX_SECRET];
	memset(r, 0xab, 32);
	char rand_hex[65];
	for (int i = 0; i < 32; i++)
		memcpy(rand_hex + 2 * i, "ab", 2);
	rand_hex[64] = 0;
	char text[2048];
	int n = snprintf(text, sizeof text, "CLIENT_RANDOMX %s 0909\r\n%0600d\nCLIENT_RANDOM %s 0a0b\r\n"
			 "SERVER_TRAFFIC_SECRET_0 %s 0c0d0e", rand_hex, 0, rand_hex, rand_hex);
	assert_true(n > 0 && (size_t)n < sizeof text);
	const uint8_t *t = (const uint8_t *)text;
	assert_int_equal(tls_keylog_find_mem(t, (size_t)n, "CLIENT_RANDOM", r, out), 2);
	assert_int_equal(out[1], 0x0b);
	assert_int_equal(tls_keylog_find_mem(t, (size_t)n, "SERVER_TRAFFIC_SECRET_0", r, out), 3);
	assert_int_equal(out[2], 0x0e);
	assert_int_equal(tls_keylog_find_mem(t, (size_t)n - 1, "SERVER_TRAFFIC_SECRET_0", r, out), 0);
	assert_int_equal(tls_keylog_find_mem(t, 0, "CLIENT_RANDOM", r, out), 0);
	r[0] = 0;
	assert_int_equal(tls_keylog_find_mem(t, (size_t)n, "CLIENT_RANDOM", r, out), 0);
}

/* The -v fields tshark 4.0 shows on pcaps/tls12.pcap and tls13.pcap (its
 * values, read with tshark -T fields): JA3/JA3S, the random split below TLS
 * 1.3 only, a certificate's DER. Named by -e, they come without -v. */
static void test_fingerprints_as_tshark(void **state)
{
	(void)state;
	static char out[1 << 14];
	const char *a12[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/tls12.pcap", "-Y",
			      "tls.handshake.type == 1 || tls.handshake.type == 2", "-T", "fields",
			      "-e", "frame.number", "-e", "tls.handshake.ja3", "-e", "tls.handshake.ja3s_full",
			      "-e", "tls.handshake.ja3s", "-e", "tls.handshake.random_time" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, (int)(sizeof a12 / sizeof a12[0]), a12), 0);
	assert_string_equal(out,
		"4\t871a754af286dfb70c1b53c6887c62e0\t\t\tApr 15, 1994 15:09:10.000000000 UTC\n"
		"6\t\t771,49200,65281-11-35-23\tec74a5c51106f0419184d0dd08fb05bc\t"
		"Jul 12, 2012 02:13:18.000000000 UTC\n");
	const char *a13[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/tls13.pcap", "-Y", "tls.handshake.random",
			      "-T", "fields", "-e", "frame.number", "-e", "tls.handshake.ja3_full",
			      "-e", "tls.handshake.ja3s_full", "-e", "tls.handshake.random_bytes" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, (int)(sizeof a13 / sizeof a13[0]), a13), 0);
	assert_string_equal(out,
		"4\t771,4866-4867-4865-49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-"
		"49187-49191-103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-22-"
		"23-13-43-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2\t\t"
		"179b5936d05d4f09ecaf0f43ece237ab5c136471e768bac394ee46c5\n"
		"6\t\t771,4866,43-51\t\n");
	/* the DER of the server's certificate, as many bytes as its length says */
	const char *ac[] = { "read", "-r", WL_SOURCE_DIR "/pcaps/tls12.pcap", "-Y", "tls.handshake.certificate",
			     "-T", "fields", "-e", "tls.handshake.certificate_length", "-e",
			     "tls.handshake.certificate" };
	assert_int_equal(wlt_run_cmd(wl_cmd_read, out, sizeof out, (int)(sizeof ac / sizeof ac[0]), ac), 0);
	assert_true(strncmp(out, "682\t308202a63082024ca003", 24) == 0);
	assert_int_equal(strlen(out), 4 + 682 * 2 + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_hello),
		cmocka_unit_test(test_tls13_flow),
		cmocka_unit_test(test_hello_retry_request),
		cmocka_unit_test(test_signature_algorithm_lists),
		cmocka_unit_test(test_key_exchange_values),
		cmocka_unit_test(test_tls12_flight),
		cmocka_unit_test(test_certificate_request_12),
		cmocka_unit_test(test_serial_der),
		cmocka_unit_test(test_x509_fields_tls12),
		cmocka_unit_test(test_x509_hostile_extensions),
		cmocka_unit_test(test_certificate_scts),
		cmocka_unit_test(test_status_requests),
		cmocka_unit_test(test_certificate_status),
		cmocka_unit_test(test_sct_extension),
		cmocka_unit_test(test_weak_choices),
		cmocka_unit_test(test_downgrade_sentinel),
		cmocka_unit_test(test_inferred_alert),
		cmocka_unit_test(test_obsolete_table),
		cmocka_unit_test(test_cleartext_appdata),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_split_every_way),
		cmocka_unit_test(test_several_records_per_segment),
		cmocka_unit_test(test_handshake_across_records),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_64k_extensions),
		cmocka_unit_test(test_nested_overflow),
		cmocka_unit_test(test_truncate_every_offset),
		cmocka_unit_test(test_not_tls_and_probe),
		cmocka_unit_test(test_gap_resync),
		cmocka_unit_test(test_out_of_order_fill),
		cmocka_unit_test(test_decrypt_tls13),
		cmocka_unit_test(test_tls13_server_auth),
		cmocka_unit_test(test_decrypt_after_gap),
		cmocka_unit_test(test_decrypt_inner_probe),
		cmocka_unit_test(test_fingerprints_as_tshark),
		cmocka_unit_test(test_decrypt_inner_port),
		cmocka_unit_test(test_decrypt_inner_none),
		cmocka_unit_test(test_decrypt_inner_waits),
		cmocka_unit_test(test_decrypt_tls12_gcm),
		cmocka_unit_test(test_decrypt_tls12_chacha),
		cmocka_unit_test(test_keylog_parsing),
		cmocka_unit_test(test_keylog_in_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
