/* test_smb.c - the SMB dissector on hand-built PDUs: NetBIOS framing (several
 * PDUs per segment, one PDU over many, lengths that lie), SMB1 negotiate and
 * the AndX chain, SMB2 negotiate / NTLMSSP login / tree tracking / compound
 * chains (offsets outside, backwards), NTLMSSP offsets outside the blob,
 * UTF-16 with odd lengths and lone surrogates, the SMB3 transform, and a loop
 * that cuts a valid PDU at every byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ntlmssp.h"
#include "smb3crypt.h"
#include "wltest.h"

extern const struct wl_dissector wl_dissector_smb;

#define CPORT 50000
#define SPORT 445

/* ------------------------------------------------------------ a byte builder */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->b);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}
static void u8(struct buf *b, unsigned v) { uint8_t x = (uint8_t)v; put(b, &x, 1); }
static void le16(struct buf *b, unsigned v) { u8(b, v & 0xff); u8(b, v >> 8 & 0xff); }
static void le32(struct buf *b, uint32_t v) { le16(b, v & 0xffff); le16(b, v >> 16); }
static void le64(struct buf *b, uint64_t v) { le32(b, (uint32_t)v); le32(b, (uint32_t)(v >> 32)); }
static void zero(struct buf *b, size_t n) { while (n--) u8(b, 0); }
static void set16(struct buf *b, size_t at, unsigned v) { b->b[at] = v & 0xff; b->b[at + 1] = v >> 8 & 0xff; }
static void set32(struct buf *b, size_t at, uint32_t v) { set16(b, at, v & 0xffff); set16(b, at + 2, v >> 16); }
static void utf16(struct buf *b, const char *s) { while (*s) le16(b, (uint8_t)*s++); }

/* SMB2 header for a message starting at b->n */
static void smb2_hdr(struct buf *b, unsigned cmd, uint32_t flags, uint32_t status, uint64_t mid,
		     uint32_t tid, uint64_t sesid)
{
	put(b, "\xfeSMB", 4);
	le16(b, 64);
	le16(b, 1);
	le32(b, status);
	le16(b, cmd);
	le16(b, 1);
	le32(b, flags);
	le32(b, 0);         /* next command */
	le64(b, mid);
	le32(b, 0xfeff);
	le32(b, tid);
	le64(b, sesid);
	zero(b, 16);
}

/* Wraps b's contents in a NetBIOS session header. */
static void nbss(struct buf *out, const struct buf *in)
{
	out->n = 0;
	u8(out, 0);
	u8(out, in->n >> 16 & 0xff);
	u8(out, in->n >> 8 & 0xff);
	u8(out, in->n & 0xff);
	put(out, in->b, in->n);
}

static void send_pdu(struct wlt *t, int dir, const struct buf *smb)
{
	static struct buf w;
	nbss(&w, smb);
	wlt_tcp_send(t, dir, w.b, w.n);
}

static void negotiate_req(struct buf *b)
{
	b->n = 0;
	smb2_hdr(b, 0, 0, 0, 0, 0, 0);
	le16(b, 36);
	le16(b, 3);        /* dialect count */
	le16(b, 1);        /* security mode: signing enabled */
	le16(b, 0);
	le32(b, 0x7f);
	zero(b, 16);
	le32(b, 0);
	le16(b, 0);
	le16(b, 0);
	le16(b, 0x0210);
	le16(b, 0x0300);
	le16(b, 0x0311);
}

static void negotiate_resp(struct buf *b, unsigned dialect)
{
	b->n = 0;
	smb2_hdr(b, 0, 1, 0, 0, 0, 0);
	le16(b, 65);
	le16(b, 1);
	le16(b, dialect);
	le16(b, 0);
	zero(b, 16);
	le32(b, 0x40);
	le32(b, 65536);
	le32(b, 65536);
	le32(b, 65536);
	le64(b, 0);
	le64(b, 0);
	le16(b, 0);        /* security buffer offset */
	le16(b, 0);
	le32(b, 0);
}

/* An NTLMSSP AUTHENTICATE with the given user/domain/host UTF-16 bytes. */
static void ntlm_auth(struct buf *n, const struct buf *dom, const struct buf *user,
		      const struct buf *host, size_t ntlen)
{
	n->n = 0;
	put(n, "NTLMSSP", 8);
	le32(n, 3);
	size_t base = 64 + 8 + 16;   /* header fields, version, MIC */
	size_t off = base;
	le16(n, 0); le16(n, 0); le32(n, (uint32_t)off);                          /* LM */
	le16(n, (unsigned)ntlen); le16(n, (unsigned)ntlen); le32(n, (uint32_t)off); /* NT */
	off += ntlen;
	le16(n, (unsigned)dom->n); le16(n, (unsigned)dom->n); le32(n, (uint32_t)off);
	off += dom->n;
	le16(n, (unsigned)user->n); le16(n, (unsigned)user->n); le32(n, (uint32_t)off);
	off += user->n;
	le16(n, (unsigned)host->n); le16(n, (unsigned)host->n); le32(n, (uint32_t)off);
	off += host->n;
	le16(n, 0); le16(n, 0); le32(n, (uint32_t)off);                          /* key */
	le32(n, 0xe2888215);   /* flags, UNICODE set */
	zero(n, 8 + 16);
	for (size_t i = 0; i < ntlen; i++)
		u8(n, (unsigned)(i * 7));
	put(n, dom->b, dom->n);
	put(n, user->b, user->n);
	put(n, host->b, host->n);
}

/* DER: tag, definite length, contents */
static void der(struct buf *out, unsigned tag, const struct buf *in)
{
	u8(out, tag);
	if (in->n < 128) {
		u8(out, (unsigned)in->n);
	} else {
		u8(out, 0x82);
		u8(out, (unsigned)(in->n >> 8));
		u8(out, (unsigned)(in->n & 0xff));
	}
	put(out, in->b, in->n);
}

/* negTokenResp { responseToken: ntlm } */
static void spnego_resp(struct buf *out, const struct buf *ntlm)
{
	static struct buf oct, a2, seq, a1;
	oct.n = a2.n = seq.n = a1.n = 0;
	der(&oct, 0x04, ntlm);
	der(&a2, 0xa2, &oct);
	der(&seq, 0x30, &a2);
	out->n = 0;
	der(out, 0xa1, &seq);
}

static void session_setup_req(struct buf *b, const struct buf *blob, uint64_t mid)
{
	b->n = 0;
	smb2_hdr(b, 1, 0, 0, mid, 0, 0x1234);
	le16(b, 25);
	u8(b, 0);
	u8(b, 1);
	le32(b, 1);
	le32(b, 0);
	le16(b, 64 + 24);
	le16(b, (unsigned)blob->n);
	le64(b, 0);
	put(b, blob->b, blob->n);
}

static void auth_blob(struct buf *spnego, const char *domain, const char *user, const char *host)
{
	static struct buf d, u, h, n;
	d.n = u.n = h.n = 0;
	utf16(&d, domain);
	utf16(&u, user);
	utf16(&h, host);
	ntlm_auth(&n, &d, &u, &h, 48);
	spnego_resp(spnego, &n);
}

static void init_verbose(struct wlt *t)
{
	static const struct wl_opts o = { .verbose = 1 };
	wlt_init_opts(t, NULL, &o);
	wlt_tcp_open(t, CPORT, SPORT);
}

/* -------------------------------------------------------------------- tests */

static void test_negotiate_and_framing(void **state)
{
	(void)state;
	struct wlt t;
	struct buf req, resp, two, w1, w2;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	negotiate_req(&req);
	/* one PDU over many segments */
	nbss(&w1, &req);
	wlt_tcp_send_split(&t, WL_C2S, w1.b, w1.n, 1);
	/* two PDUs in one segment */
	negotiate_resp(&resp, 0x0311);
	nbss(&w1, &resp);
	nbss(&w2, &resp);
	two.n = 0;
	put(&two, w1.b, w1.n);
	put(&two, w2.b, w2.n);
	wlt_tcp_send(&t, WL_S2C, two.b, two.n);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "smb2", "NEGOTIATE request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.cmd", 0), "0");
	assert_non_null(wlt_field(m, "smb2.dialect", 2));
	assert_null(wlt_field(m, "smb2.nt_status", 0));
	assert_true(wlt_note(m, "offers SMB dialects 2.1, 3.0, 3.1.1"));
	assert_int_equal(wlt_count(&t, "smb2", "NEGOTIATE response"), 2);
	m = wlt_find(&t, "smb2", "NEGOTIATE response", 0);
	assert_non_null(strstr(m->text, "SMB 3.1.1"));
	assert_non_null(strstr(m->text, "STATUS_SUCCESS"));
	assert_true(wlt_note(m, "signing enabled but not required"));
	assert_string_equal(wlt_field(m, "smb2.sec_mode.sign_required", 0), "0");
	wlt_free(&t);
}

static void test_login_ntlmssp(void **state)
{
	(void)state;
	struct wlt t;
	struct buf blob, req, resp;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, 4445);   /* found by port 4445 */
	auth_blob(&blob, "WORKGROUP", "labuser", "CLIENTPC");
	session_setup_req(&req, &blob, 2);
	send_pdu(&t, WL_C2S, &req);
	resp.n = 0;
	smb2_hdr(&resp, 1, 1, 0xc000006d, 2, 0, 0x1234);
	le16(&resp, 9);
	u8(&resp, 0);
	u8(&resp, 0);
	le32(&resp, 0);
	u8(&resp, 0);
	send_pdu(&t, WL_S2C, &resp);
	wlt_finish(&t);

	const struct wlt_msg *m = wlt_find(&t, "smb2", "SESSION_SETUP request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ntlmssp.auth.username", 0), "labuser");
	assert_string_equal(wlt_field(m, "ntlmssp.auth.domain", 0), "WORKGROUP");
	assert_string_equal(wlt_field(m, "ntlmssp.auth.hostname", 0), "CLIENTPC");
	assert_string_equal(wlt_field(m, "wl.smb.ntlm_version", 0), "NTLMv2");
	assert_true(wlt_note(m, "user WORKGROUP\\labuser logs in from host CLIENTPC"));
	m = wlt_find(&t, "smb2", "SESSION_SETUP response", 0);
	assert_non_null(m);
	assert_non_null(strstr(m->text, "STATUS_LOGON_FAILURE"));
	assert_true(wlt_note(m, "login failed"));
	assert_non_null(wlt_field(m, "smb2.response_to", 0));
	wlt_free(&t);
}

static void test_ntlmssp_outside_blob(void **state)
{
	(void)state;
	struct wlt t;
	struct buf d = { .n = 0 }, u = { .n = 0 }, h = { .n = 0 }, n, req;
	utf16(&d, "DOM");
	utf16(&u, "bob");
	utf16(&h, "PC");
	ntlm_auth(&n, &d, &u, &h, 48);
	/* user name: offset far past the blob; host: length past its end */
	set32(&n, 8 + 4 + 3 * 8 + 4, 0x7fffffff);
	set16(&n, 8 + 4 + 4 * 8, 0xfff0);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	session_setup_req(&req, &n, 1);   /* raw NTLMSSP, no SPNEGO */
	send_pdu(&t, WL_C2S, &req);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "SESSION_SETUP request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ntlmssp.auth.domain", 0), "DOM");
	assert_null(wlt_field(m, "ntlmssp.auth.username", 0));
	assert_null(wlt_field(m, "ntlmssp.auth.hostname", 0));
	assert_true(wlt_note(m, "NTLMSSP user name at offset 2147483647"));
	assert_true(wlt_note(m, "NTLMSSP host name"));
	wlt_free(&t);
}

static void test_utf16_odd_and_surrogates(void **state)
{
	(void)state;
	struct wlt t;
	struct buf d = { .n = 0 }, u = { .n = 0 }, h = { .n = 0 }, n, req, sp;
	le16(&d, 0xd800);       /* lone high surrogate, then 'a' */
	le16(&d, 'a');
	le16(&u, 0xdc00);       /* lone low surrogate */
	le16(&u, 0xd83d);       /* a valid pair: U+1F600 */
	le16(&u, 0xde00);
	utf16(&h, "PC");
	u8(&h, 'X');            /* odd length */
	ntlm_auth(&n, &d, &u, &h, 48);
	spnego_resp(&sp, &n);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	session_setup_req(&req, &sp, 1);
	send_pdu(&t, WL_C2S, &req);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "SESSION_SETUP request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "ntlmssp.auth.domain", 0), "\xef\xbf\xbd" "a");
	assert_string_equal(wlt_field(m, "ntlmssp.auth.username", 0), "\xef\xbf\xbd\xf0\x9f\x98\x80");
	assert_string_equal(wlt_field(m, "ntlmssp.auth.hostname", 0), "PC");
	assert_true(wlt_note(m, "unpaired UTF-16 surrogate"));
	assert_true(wlt_note(m, "odd number of bytes"));
	wlt_free(&t);
}

static void tree_connect(struct wlt *t, const char *path, uint64_t mid, uint32_t tid)
{
	struct buf b = { .n = 0 }, p = { .n = 0 };
	utf16(&p, path);
	smb2_hdr(&b, 3, 0, 0, mid, 0, 0x1234);
	le16(&b, 9);
	le16(&b, 0);
	le16(&b, 72);
	le16(&b, (unsigned)p.n);
	put(&b, p.b, p.n);
	send_pdu(t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 3, 1, 0, mid, tid, 0x1234);
	le16(&b, 16);
	u8(&b, 1);
	u8(&b, 0);
	le32(&b, 0);
	le32(&b, 0);
	le32(&b, 0x1f01ff);
	send_pdu(t, WL_S2C, &b);
}

static size_t create_req(struct buf *b, const char *name, uint64_t mid, uint32_t tid)
{
	struct buf p = { .n = 0 };
	utf16(&p, name);
	size_t start = b->n;
	smb2_hdr(b, 5, 0, 0, mid, tid, 0x1234);
	le16(b, 57);
	u8(b, 0);
	u8(b, 0);
	le32(b, 2);
	le64(b, 0);
	le64(b, 0);
	le32(b, 0x00120089);
	le32(b, 0);
	le32(b, 7);
	le32(b, 1);        /* FILE_OPEN */
	le32(b, 0);
	le16(b, 120);
	le16(b, (unsigned)p.n);
	le32(b, 0);
	le32(b, 0);
	put(b, p.b, p.n);
	while ((b->n - start) % 8)
		u8(b, 0);
	return start;
}

/* A TREE_CONNECT to \\127.0.0.1\Share (tree 7), then a CREATE of test.rtf in it. */
static void share_then_create(struct wlt *t)
{
	struct buf b = { .n = 0 };
	wlt_init(t, NULL);
	wlt_tcp_open(t, CPORT, SPORT);
	tree_connect(t, "\\\\127.0.0.1\\Share", 3, 7);
	create_req(&b, "test.rtf", 4, 7);
	send_pdu(t, WL_C2S, &b);
	wlt_finish(t);
}

static void test_tree_tracking_and_create(void **state)
{
	(void)state;
	struct wlt t;
	share_then_create(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "TREE_CONNECT request", 0);
	assert_string_equal(wlt_field(m, "smb2.tree", 0), "\\\\\\\\127.0.0.1\\\\Share");
	m = wlt_find(&t, "smb2", "TREE_CONNECT response", 0);
	assert_null(wlt_field(m, "smb2.tree", 0));   /* as tshark: not on the response */
	assert_string_equal(wlt_field(m, "smb2.share_type", 0), "0x1");
	m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_string_equal(wlt_field(m, "smb2.tree", 0), "\\\\\\\\127.0.0.1\\\\Share");
	assert_string_equal(wlt_field(m, "smb2.filename", 0), "test.rtf");
	assert_string_equal(wlt_field(m, "smb2.create.disposition", 0), "1");
	wlt_free(&t);
}

static void test_compound_chain(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b = { .n = 0 };
	size_t a = create_req(&b, "a.txt", 10, 7);
	size_t c2 = create_req(&b, "b.txt", 11, 7);
	size_t c3 = create_req(&b, "c.txt", 12, 7);
	set32(&b, a + 20, (uint32_t)(c2 - a));
	set32(&b, c2 + 20, (uint32_t)(c3 - c2));
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	send_pdu(&t, WL_C2S, &b);
	/* next offset outside the PDU */
	set32(&b, c2 + 20, 0x10000);
	send_pdu(&t, WL_C2S, &b);
	/* next offset pointing back into the header (a loop if followed) */
	set32(&b, c2 + 20, 8);
	send_pdu(&t, WL_C2S, &b);
	/* next offset at bytes that are not an SMB2 header */
	set32(&b, c2 + 20, 72);
	send_pdu(&t, WL_C2S, &b);
	wlt_finish(&t);
	assert_int_equal(wlt_count(&t, "smb2", "CREATE request"), 3 + 2 + 2 + 2);
	assert_string_equal(wlt_field(wlt_find(&t, "smb2", "CREATE request", 2), "smb2.filename", 0), "c.txt");
	assert_true(wlt_note(wlt_find(&t, "smb2", "CREATE request", 4), "outside the PDU"));
	assert_true(wlt_note(wlt_find(&t, "smb2", "CREATE request", 6), "back into this message's header"));
	assert_true(wlt_note(wlt_find(&t, "smb2", "CREATE request", 8), "does not point at an SMB2 header"));
	wlt_free(&t);
}

static void test_netbios_lengths_that_lie(void **state)
{
	(void)state;
	struct wlt t;
	struct buf req, w;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	/* zero length: an empty session message, silently skipped */
	wlt_tcp_send(&t, WL_C2S, "\0\0\0\0", 4);
	/* length 2: too short for any SMB header, then garbage, then a real PDU */
	wlt_tcp_send(&t, WL_C2S, "\0\0\0\2ab", 6);
	wlt_tcp_send(&t, WL_C2S, "junkjunk", 8);
	negotiate_req(&req);
	nbss(&w, &req);
	wlt_tcp_send(&t, WL_C2S, w.b, w.n);
	/* length shorter than the SMB2 message inside: header fine, body cut */
	w.b[3] = 70;
	wlt_tcp_send(&t, WL_C2S, w.b, 4 + 70);
	/* a keep-alive */
	wlt_tcp_send(&t, WL_S2C, "\x85\0\0\0", 4);
	/* huge length (16 MiB - 1) that never completes */
	wlt_tcp_send(&t, WL_S2C, "\0\xff\xff\xff\xfeSMB", 8);
	wlt_finish(&t);
	const struct wlt_msg *lost = wlt_find(&t, "smb", "unknown", 0);
	assert_non_null(lost);
	assert_true(wlt_note(lost, "too short"));
	assert_int_equal(wlt_count(&t, "smb2", "NEGOTIATE request"), 2);
	assert_true(wlt_note(wlt_find(&t, "smb2", "NEGOTIATE request", 1), "cut short"));
	assert_non_null(wlt_find(&t, "nbss", "session keep-alive", 0));
	wlt_free(&t);
}

static void test_big_pdu_dissected_at_head(void **state)
{
	(void)state;
	struct wlt t;
	static uint8_t seg[5000];
	struct buf b = { .n = 0 };
	smb2_hdr(&b, 8, 1, 0, 20, 7, 0x1234);   /* READ response */
	le16(&b, 17);
	u8(&b, 80);
	u8(&b, 0);
	le32(&b, 2u << 20);
	le32(&b, 0);
	le32(&b, 0);
	uint32_t len = 80 + (2u << 20);
	memset(seg, 'x', sizeof seg);
	seg[0] = 0;
	seg[1] = (uint8_t)(len >> 16);
	seg[2] = (uint8_t)(len >> 8);
	seg[3] = (uint8_t)len;
	memcpy(seg + 4, b.b, b.n);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	wlt_tcp_send(&t, WL_S2C, seg, sizeof seg);
	memset(seg, 'y', sizeof seg);
	for (uint32_t sent = sizeof seg; sent < len + 4; sent += (uint32_t)sizeof seg)
		wlt_tcp_send(&t, WL_S2C, seg, len + 4 - sent < sizeof seg ? len + 4 - sent : sizeof seg);
	/* the stream is in step again: the next PDU is found */
	struct buf r;
	negotiate_resp(&r, 0x0302);
	send_pdu(&t, WL_S2C, &r);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "READ response", 0);
	assert_non_null(m);
	/* tshark has no read_length on a response: the length is in the text */
	assert_null(wlt_field(m, "smb2.read_length", 0));
	assert_non_null(strstr(m->text, "2097152 bytes"));
	assert_non_null(wlt_find(&t, "smb2", "NEGOTIATE response", 0));
	assert_null(wlt_find(&t, "smb", "unknown", 0));
	wlt_free(&t);
}

static void test_smb1_upgrade_and_andx(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b = { .n = 0 }, r;
	put(&b, "\xffSMB", 4);
	u8(&b, 0x72);
	le32(&b, 0);
	u8(&b, 0x18);
	le16(&b, 0xc853);
	zero(&b, 12);
	le16(&b, 0);
	le16(&b, 0xfeff);
	le16(&b, 0);
	le16(&b, 0);
	u8(&b, 0);          /* word count */
	le16(&b, 34);
	put(&b, "\x02NT LM 0.12\0\x02SMB 2.002\0\x02SMB 2.???\0", 34);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	send_pdu(&t, WL_C2S, &b);
	negotiate_resp(&r, 0x02ff);
	send_pdu(&t, WL_S2C, &r);
	/* an AndX chain: Session Setup -> Tree Connect whose offset goes backwards */
	b.n = 0;
	put(&b, "\xffSMB", 4);
	u8(&b, 0x73);
	le32(&b, 0);
	u8(&b, 0x18);
	le16(&b, 0xc807);
	zero(&b, 12);
	le16(&b, 0);
	le16(&b, 0xfeff);
	le16(&b, 0);
	le16(&b, 1);
	u8(&b, 12);
	u8(&b, 0x75);       /* AndX: Tree Connect */
	u8(&b, 0);
	le16(&b, 10);       /* backwards */
	zero(&b, 20);
	le16(&b, 0);
	send_pdu(&t, WL_C2S, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb", "request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb.cmd", 0), "0x72");
	assert_string_equal(wlt_field(m, "smb.dialect.name", 2), "SMB 2.???");
	m = wlt_find(&t, "smb2", "NEGOTIATE response", 0);
	assert_true(wlt_note(m, "upgrade from SMB1"));
	m = wlt_find(&t, "smb", "request", 1);
	assert_string_equal(wlt_field(m, "smb.cmd", 1), "0x75");
	assert_true(wlt_note(m, "backwards"));
	wlt_free(&t);
}

static void test_transform(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b = { .n = 0 };
	put(&b, "\xfdSMB", 4);
	zero(&b, 16);
	for (int i = 0; i < 16; i++)
		u8(&b, (unsigned)i);
	le32(&b, 10);
	le16(&b, 0);
	le16(&b, 1);
	le64(&b, 0x0000480094000035ull);
	put(&b, "0123456789", 10);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	send_pdu(&t, WL_C2S, &b);
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "encrypted", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "from here on encrypted"));
	assert_string_equal(wlt_field(m, "smb2.header.transform.msg_size", 0), "10");
	assert_string_equal(wlt_field(m, "smb2.header.transform.nonce", 0), "000102030405060708090a0b0c0d0e0f");
	assert_false(wlt_note(wlt_find(&t, "smb2", "encrypted", 1), "from here on"));
	wlt_free(&t);
}

/* A transform the capture has no key for still names its session's login
 * (-v), as tshark 4.0 does under the transform's Session Id (corpus
 * smb3.pcap frames 9-52: smb2.acct "administrator", smb2.auth_frame 6). */
static void test_transform_names_login(void **state)
{
	(void)state;
	struct wlt t;
	struct buf blob, req, resp, xf = { .n = 0 };
	init_verbose(&t);
	auth_blob(&blob, "SUSE", "administrator", "");
	session_setup_req(&req, &blob, 2);
	send_pdu(&t, WL_C2S, &req);
	resp.n = 0;
	smb2_hdr(&resp, 1, 1, 0, 2, 0, 0x1234);
	le16(&resp, 9);
	zero(&resp, 7);
	send_pdu(&t, WL_S2C, &resp);
	put(&xf, "\xfdSMB", 4);
	zero(&xf, 32);
	le32(&xf, 10);
	le16(&xf, 0);
	le16(&xf, 1);
	le64(&xf, 0x1234);
	put(&xf, "0123456789", 10);
	send_pdu(&t, WL_C2S, &xf);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "encrypted", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.acct", 0), "administrator");
	assert_string_equal(wlt_field(m, "smb2.domain", 0), "SUSE");
	assert_string_equal(wlt_field(m, "smb2.host", 0), "");
	char login[24];
	snprintf(login, sizeof login, "%llu",
		 (unsigned long long)wlt_find(&t, "smb2", "SESSION_SETUP response", 0)->frame);
	assert_string_equal(wlt_field(m, "smb2.auth_frame", 0), login);
	wlt_free(&t);
}

/* The pre-authentication hash (-v) goes with a request tshark saw: the
 * SMB2 NEGOTIATE response to an SMB1 negotiate has none (Wireshark
 * packet-smb2.c keeps it in the request's saved info, ssi->preauth_hash_res;
 * corpus wireshark-smb-on-windows10.pcap frame 6), the one to an SMB2
 * request has it (frame 8). */
static void test_preauth_hash_needs_request(void **state)
{
	(void)state;
	struct wlt t;
	struct buf req, resp;
	init_verbose(&t);
	negotiate_resp(&resp, 0x02ff);   /* answers an SMB1 negotiate not shown here */
	send_pdu(&t, WL_S2C, &resp);
	negotiate_req(&req);
	set16(&req, 24, 1);              /* message id 1 */
	send_pdu(&t, WL_C2S, &req);
	negotiate_resp(&resp, 0x0311);
	set16(&resp, 24, 1);
	send_pdu(&t, WL_S2C, &resp);
	wlt_finish(&t);
	assert_null(wlt_field(wlt_find(&t, "smb2", "NEGOTIATE response", 0), "smb2.preauth_hash", 0));
	assert_non_null(wlt_field(wlt_find(&t, "smb2", "NEGOTIATE request", 0), "smb2.preauth_hash", 0));
	assert_non_null(wlt_field(wlt_find(&t, "smb2", "NEGOTIATE response", 1), "smb2.preauth_hash", 0));
	wlt_free(&t);
}

static void test_query_directory_names(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b = { .n = 0 }, p = { .n = 0 };
	utf16(&p, "*");
	smb2_hdr(&b, 14, 0, 0, 30, 7, 0x1234);
	le16(&b, 33);
	u8(&b, 37);         /* FileIdBothDirectoryInformation */
	u8(&b, 0);
	le32(&b, 0);
	zero(&b, 16);
	le16(&b, 96);
	le16(&b, (unsigned)p.n);
	le32(&b, 65536);
	put(&b, p.b, p.n);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	send_pdu(&t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 14, 1, 0, 30, 7, 0x1234);
	le16(&b, 9);
	le16(&b, 72);
	size_t lenat = b.n;
	le32(&b, 0);
	const char *names[] = { "test.rtf", "notes.txt" };
	size_t start = b.n;
	for (int i = 0; i < 2; i++) {
		struct buf n = { .n = 0 };
		utf16(&n, names[i]);
		size_t e = b.n;
		le32(&b, 0);
		le32(&b, 0);
		zero(&b, 32);
		le64(&b, i ? 5 : 1234);
		le64(&b, 4096);
		le32(&b, 0x20);
		le32(&b, (uint32_t)n.n);
		le32(&b, 0);
		u8(&b, 0);
		u8(&b, 0);
		zero(&b, 24);
		le16(&b, 0);
		le64(&b, 99);
		put(&b, n.b, n.n);
		while ((b.n - e) % 8)
			u8(&b, 0);
		if (!i)
			set32(&b, e, (uint32_t)(b.n - e));
	}
	set32(&b, lenat, (uint32_t)(b.n - start));
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "QUERY_DIRECTORY response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.filename", 0), "test.rtf");
	assert_string_equal(wlt_field(m, "smb2.filename", 1), "notes.txt");
	assert_string_equal(wlt_field(m, "smb2.eof", 0), "1234");
	assert_true(wlt_note(m, "test.rtf (1234 B), notes.txt (5 B)"));
	wlt_free(&t);
}

/* Cuts a valid login PDU at every byte, both as a stream that stops there and
 * as a NetBIOS length that tells the truth about the cut (the SMB inside lies). */
static void test_truncation_loop(void **state)
{
	(void)state;
	struct buf blob, req, w;
	auth_blob(&blob, "WORKGROUP", "labuser", "CLIENTPC");
	session_setup_req(&req, &blob, 2);
	nbss(&w, &req);
	for (size_t cut = 0; cut < w.n; cut++) {
		struct wlt t;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, CPORT, SPORT);
		wlt_tcp_send(&t, WL_C2S, w.b, cut);
		wlt_finish(&t);
		assert_int_equal(wlt_count(&t, "smb2", NULL), 0);
		wlt_free(&t);
		if (cut < 8)
			continue;
		static uint8_t cutbuf[8192];
		memcpy(cutbuf, w.b, cut);
		size_t n = cut - 4;
		cutbuf[1] = (uint8_t)(n >> 16);
		cutbuf[2] = (uint8_t)(n >> 8);
		cutbuf[3] = (uint8_t)n;
		wlt_init(&t, NULL);
		wlt_tcp_open(&t, CPORT, SPORT);
		wlt_tcp_send(&t, WL_C2S, cutbuf, cut);
		wlt_finish(&t);
		const struct wlt_msg *m = wlt_find(&t, "smb2", NULL, 0);
		assert_non_null(m);
		if (cut < 4 + 64)
			assert_true(wlt_note(m, "cut short"));
		else if (cut < w.n)
			assert_true(wlt_note(m, "malformed"));
		wlt_free(&t);
	}
}

/* On a port no table names, the probe finds SMB by "00 len len len FE 'SMB'". */
static void test_probe_other_port(void **state)
{
	(void)state;
	struct wlt t;
	struct buf req, w;
	negotiate_req(&req);
	nbss(&w, &req);
	assert_int_equal(wl_dissector_smb.probe(wl_cur_make(w.b, 3), WL_C2S), WL_PROBE_NEED_MORE);
	assert_int_equal(wl_dissector_smb.probe(wl_cur_make(w.b, w.n), WL_C2S), WL_PROBE_YES);
	assert_int_equal(wl_dissector_smb.probe(wl_cur_make((const uint8_t *)"GET / HTTP", 10), WL_C2S),
			 WL_PROBE_NO);
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, 9445);
	wlt_tcp_send(&t, WL_C2S, w.b, w.n);
	wlt_finish(&t);
	assert_non_null(wlt_find(&t, "smb2", "NEGOTIATE request", 0));
	wlt_free(&t);
}

/* A NetBIOS datagram (udp 138) carrying an SMB1 Transaction, as browser
 * announcements do; and one cut short. */
static void test_netbios_datagram(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b = { .n = 0 };
	u8(&b, 0x11);
	u8(&b, 0x02);
	le16(&b, 1);
	put(&b, "\x0a\x00\x00\x01", 4);
	u8(&b, 0);
	u8(&b, 138);
	le16(&b, 0);
	le16(&b, 0);
	for (int k = 0; k < 2; k++) {
		u8(&b, 32);
		for (int i = 0; i < 32; i++)
			u8(&b, 'A' + (i & 1 ? 0 : 4));
		u8(&b, 0);
	}
	put(&b, "\xffSMB", 4);
	u8(&b, 0x25);
	zero(&b, 27);
	wlt_init(&t, NULL);
	wlt_udp(&t, WL_C2S, 138, 138, b.b, b.n);
	wlt_udp(&t, WL_C2S, 138, 138, b.b, 20);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb", "request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb.cmd", 0), "0x25");
	assert_true(wlt_note(wlt_find(&t, "nbss", "datagram", 0), "cut short"));
	wlt_free(&t);
}

/* ------------------------------------------------------------ SMB3 keys */

static void unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		sscanf(h + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
}

/* RFC 1320's vectors and [MS-NLMP] §4.2.1's NT hash of "Password". */
static void test_md4_nt_hash(void **state)
{
	(void)state;
	uint8_t h[16], want[16];
	wl_ntlmssp_md4((const uint8_t *)"", 0, h);
	unhex("31d6cfe0d16ae931b73c59d7e0c089c0", want, 16);
	assert_memory_equal(h, want, 16);
	wl_ntlmssp_md4((const uint8_t *)"abc", 3, h);
	unhex("a448017aaf21d8525fc10ae87aa6729d", want, 16);
	assert_memory_equal(h, want, 16);
	const char *digits = "12345678901234567890123456789012345678901234567890123456789012345678901234567890";
	wl_ntlmssp_md4((const uint8_t *)digits, strlen(digits), h);
	unhex("e33b4ddc9c38f2199c3e7b164fcc0536", want, 16);
	assert_memory_equal(h, want, 16);
	wl_ntlmssp_nt_hash("Password", h);
	unhex("a4f49c406510bdcab6824ee7c30fd852", want, 16);
	assert_memory_equal(h, want, 16);
}

/* [MS-NLMP] §4.2.4: User / Domain / Password, server challenge 0123456789abcdef,
 * client challenge aa*8, time 0, random session key 55*16. */
static size_t nlmp_auth(struct buf *n, const char *user)
{
	static struct buf temp, d, u;
	temp.n = d.n = u.n = 0;
	put(&temp, "\x01\x01\0\0\0\0\0\0", 8);
	zero(&temp, 8);                       /* time */
	put(&temp, "\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa", 8);
	zero(&temp, 4);
	le16(&temp, 2); le16(&temp, 12); utf16(&temp, "Domain");
	le16(&temp, 1); le16(&temp, 12); utf16(&temp, "Server");
	zero(&temp, 4);
	zero(&temp, 4);
	uint8_t proof[16];
	unhex("68cd0ab851e51c96aabc927bebef6a1c", proof, 16);
	utf16(&d, "Domain");
	utf16(&u, user);
	static const uint8_t enckey[16] = { 0xc5, 0xda, 0xd2, 0x54, 0x4f, 0xc9, 0x79, 0x90,
					    0x94, 0xce, 0x1c, 0xe9, 0x0b, 0xc9, 0xd0, 0x3e };
	n->n = 0;
	put(n, "NTLMSSP", 8);
	le32(n, 3);
	size_t off = 64 + 8;
	size_t ntlen = 16 + temp.n;
	le16(n, 0); le16(n, 0); le32(n, (uint32_t)off);
	le16(n, (unsigned)ntlen); le16(n, (unsigned)ntlen); le32(n, (uint32_t)off);
	off += ntlen;
	le16(n, (unsigned)d.n); le16(n, (unsigned)d.n); le32(n, (uint32_t)off);
	off += d.n;
	le16(n, (unsigned)u.n); le16(n, (unsigned)u.n); le32(n, (uint32_t)off);
	off += u.n;
	le16(n, 0); le16(n, 0); le32(n, (uint32_t)off);
	le16(n, 16); le16(n, 16); le32(n, (uint32_t)off);
	le32(n, 0xe28a8233);
	zero(n, 8);
	put(n, proof, 16);
	put(n, temp.b, temp.n);
	put(n, d.b, d.n);
	put(n, u.b, u.n);
	put(n, enckey, 16);
	return n->n;
}

static void test_ntlmv2_session_key(void **state)
{
	(void)state;
	static struct buf a;
	nlmp_auth(&a, "User");
	uint8_t hash[16], key[16], chal[8], want[16];
	unhex("0123456789abcdef", chal, 8);
	memset(want, 0x55, 16);
	wl_ntlmssp_nt_hash("Password", hash);
	struct wl_cur c = wl_cur_make(a.b, a.n);
	assert_int_equal(wl_ntlmssp_session_key(c, hash, chal, key), WL_NTLMSSP_KEY_OK);
	assert_memory_equal(key, want, 16);
	/* the user name is case-blind, the password is not */
	nlmp_auth(&a, "uSeR");
	c = wl_cur_make(a.b, a.n);
	assert_int_equal(wl_ntlmssp_session_key(c, hash, chal, key), WL_NTLMSSP_KEY_OK);
	wl_ntlmssp_nt_hash("password", hash);
	assert_int_equal(wl_ntlmssp_session_key(c, hash, chal, key), WL_NTLMSSP_KEY_WRONG_PASSWORD);
	/* without the challenge a wrong password cannot be told (SMB's signature then tells) */
	assert_int_equal(wl_ntlmssp_session_key(c, hash, NULL, key), WL_NTLMSSP_KEY_OK);
	/* cut at every offset, and every length field made huge: never a key from outside */
	wl_ntlmssp_nt_hash("Password", hash);
	for (size_t cut = 0; cut < a.n; cut++) {
		c = wl_cur_make(a.b, cut);
		enum wl_ntlmssp_key r = wl_ntlmssp_session_key(c, hash, chal, key);
		assert_true(r == WL_NTLMSSP_KEY_MALFORMED || r == WL_NTLMSSP_KEY_OK);
		if (cut < a.n - 16)
			assert_int_equal(r, WL_NTLMSSP_KEY_MALFORMED);
	}
	for (size_t at = 12; at < 60; at += 8) {
		static struct buf h;
		h = a;
		set16(&h, at, 0xffff);
		c = wl_cur_make(h.b, h.n);
		enum wl_ntlmssp_key r = wl_ntlmssp_session_key(c, hash, chal, key);
		assert_true(r != WL_NTLMSSP_KEY_OK || at == 12 || at == 44);  /* LM, host: not needed */
		set16(&h, at, 8);
		set32(&h, at + 4, 0xfffffff0u);
		c = wl_cur_make(h.b, h.n);
		r = wl_ntlmssp_session_key(c, hash, chal, key);
		assert_true(r != WL_NTLMSSP_KEY_OK || at == 12 || at == 44);  /* LM, host: not needed */
	}
	assert_string_equal(wl_ntlmssp_key_why(WL_NTLMSSP_KEY_WRONG_PASSWORD),
			    "the password does not match the login's NTLMv2 response");
}

/* Every cipher: what is encrypted decrypts; a flipped bit anywhere (header,
 * data, tag) or a wrong key fails and leaves zeros, never plaintext. */
static void test_aead_round_trip(void **state)
{
	(void)state;
	for (uint16_t cipher = SMB3_AES128_CCM; cipher <= SMB3_AES256_GCM; cipher++) {
		uint8_t key[32], hdr[SMB3_XF_HEADER] = { 0xfd, 'S', 'M', 'B' }, pt[200], ct[200], out[200];
		for (int i = 0; i < 32; i++)
			key[i] = (uint8_t)(i * 3 + cipher);
		for (int i = 0; i < 200; i++)
			pt[i] = (uint8_t)i;
		for (int i = 20; i < 32; i++)
			hdr[i] = (uint8_t)(i + 1);
		hdr[36] = 200;
		hdr[42] = 1;
		assert_int_equal(smb3_encrypt(cipher, key, hdr, pt, sizeof pt, ct), 1);
		assert_int_equal(smb3_decrypt(cipher, key, hdr, ct, sizeof ct, out), 1);
		assert_memory_equal(out, pt, sizeof pt);
		for (size_t bit = 0; bit < 8 * (sizeof ct + 48); bit += 37) {
			uint8_t h2[SMB3_XF_HEADER], c2[200];
			memcpy(h2, hdr, sizeof h2);
			memcpy(c2, ct, sizeof c2);
			if (bit < 8 * 48)
				h2[4 + bit / 8] ^= (uint8_t)(1u << (bit % 8));
			else
				c2[bit / 8 - 48] ^= (uint8_t)(1u << (bit % 8));
			memset(out, 0xee, sizeof out);
			assert_int_equal(smb3_decrypt(cipher, key, h2, c2, sizeof c2, out), 0);
			for (size_t i = 0; i < sizeof out; i++)
				assert_int_equal(out[i], 0);
		}
		key[0] ^= 1;
		assert_int_equal(smb3_decrypt(cipher, key, hdr, ct, sizeof ct, out), 0);
		/* a shorter record than was encrypted: the tag fails too */
		assert_int_equal(smb3_decrypt(cipher, key, hdr, ct, sizeof ct - 1, out), 0);
	}
	uint8_t key[32] = { 0 }, hdr[SMB3_XF_HEADER] = { 0 }, out[4];
	assert_int_equal(smb3_decrypt(7, key, hdr, out, 4, out), -1);
	assert_string_equal(smb3_cipher_name(4), "AES-256-GCM");
}

/* The SMB 3.0 exchange around a transform: NEGOTIATE 3.0, a login whose
 * session 0x1234 the test knows the key of (--smb-key), then TREE_CONNECT and
 * CREATE inside transforms. */
static void smb30_negotiate(struct wlt *t)
{
	struct buf b = { .n = 0 };
	negotiate_req(&b);
	send_pdu(t, WL_C2S, &b);
	negotiate_resp(&b, 0x0300);
	send_pdu(t, WL_S2C, &b);
}

/* Wraps the SMB2 message in a transform of session sesid, encrypted with key. */
static void transform_of(struct buf *out, const struct buf *msg, uint16_t cipher, const uint8_t *key,
			 uint64_t sesid, uint32_t nonce)
{
	uint8_t hdr[SMB3_XF_HEADER] = { 0xfd, 'S', 'M', 'B' };
	hdr[20] = (uint8_t)nonce;
	hdr[21] = (uint8_t)(nonce >> 8);
	hdr[36] = (uint8_t)msg->n;
	hdr[37] = (uint8_t)(msg->n >> 8);
	hdr[42] = 1;
	for (int i = 0; i < 8; i++)
		hdr[44 + i] = (uint8_t)(sesid >> (8 * i));
	static uint8_t ct[8192];
	assert_int_equal(smb3_encrypt(cipher, key, hdr, msg->b, msg->n, ct), 1);
	out->n = 0;
	put(out, hdr, sizeof hdr);
	put(out, ct, msg->n);
}

static const char smb_key_hex[] = "000102030405060708090a0b0c0d0e0f";

static void tree_connect_req(struct buf *b, const char *path, uint64_t mid)
{
	struct buf p = { .n = 0 };
	utf16(&p, path);
	b->n = 0;
	smb2_hdr(b, 3, 0, 0, mid, 0, 0x1234);
	le16(b, 9);
	le16(b, 0);
	le16(b, 72);
	le16(b, (unsigned)p.n);
	put(b, p.b, p.n);
}

static void test_decrypt_with_smb_key(void **state)
{
	(void)state;
	struct wl_opts o = { .smb_keys = "1234:000102030405060708090a0b0c0d0e0f" };
	uint8_t sk[16];
	unhex(smb_key_hex, sk, 16);
	struct smb3_keys k;
	assert_int_equal(smb3_derive(&k, 0x0300, SMB3_AES128_CCM, SMB3_SIGN_AES_CMAC, sk, NULL), 0);
	struct wlt t;
	static struct buf m, x;
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb30_negotiate(&t);
	tree_connect_req(&m, "\\\\srv\\Share", 3);
	transform_of(&x, &m, SMB3_AES128_CCM, k.c2s, 0x1234, 1);
	send_pdu(&t, WL_C2S, &x);
	/* the server's answer, with the client's key: the tag fails */
	m.n = 0;
	smb2_hdr(&m, 3, 1, 0, 3, 9, 0x1234);
	le16(&m, 16); u8(&m, 1); u8(&m, 0); le32(&m, 0); le32(&m, 0); le32(&m, 0x1f01ff);
	transform_of(&x, &m, SMB3_AES128_CCM, k.c2s, 0x1234, 2);
	send_pdu(&t, WL_S2C, &x);
	/* with the right one it decrypts */
	transform_of(&x, &m, SMB3_AES128_CCM, k.s2c, 0x1234, 3);
	send_pdu(&t, WL_S2C, &x);
	/* a session nobody gave a key for */
	transform_of(&x, &m, SMB3_AES128_CCM, k.s2c, 0x9999, 4);
	send_pdu(&t, WL_S2C, &x);
	/* a record that says more bytes than follow */
	transform_of(&x, &m, SMB3_AES128_CCM, k.s2c, 0x1234, 5);
	set32(&x, 36, 0x7fffffff);
	send_pdu(&t, WL_S2C, &x);
	wlt_finish(&t);
	const struct wlt_msg *r = wlt_find(&t, "smb2", "TREE_CONNECT request", 0);
	assert_non_null(r);
	assert_string_equal(wlt_field(r, "smb2.tree", 0), "\\\\\\\\srv\\\\Share");
	assert_true(wlt_note(r, "from here on encrypted"));
	assert_true(wlt_note(r, "--smb-key"));
	assert_string_equal(wlt_field(r, "smb2.header.transform.msg_size", 0), "94");
	r = wlt_find(&t, "smb2", "encrypted", 0);
	assert_non_null(r);
	assert_true(wlt_note(r, "tag does not verify"));
	assert_int_equal(wlt_count(&t, "smb2", "TREE_CONNECT response"), 1);
	r = wlt_find(&t, "smb2", "TREE_CONNECT response", 0);
	assert_true(wlt_note(r, "decrypted (AES-128-CCM"));
	r = wlt_find(&t, "smb2", "encrypted", 1);
	assert_false(wlt_note(r, "decrypted"));
	r = wlt_find(&t, "smb2", "encrypted", 2);
	assert_true(wlt_note(r, "malformed"));
	assert_int_equal(wlt_count(&t, "smb2", "encrypted"), 3);
	wlt_free(&t);
}

/* Hostile transforms with a key: cut at every offset, every length lie, junk
 * inside a valid tag: notes, never a crash, never junk shown as messages. */
static void test_decrypt_hostile(void **state)
{
	(void)state;
	struct wl_opts o = { .smb_keys = "0x1234:000102030405060708090a0b0c0d0e0f,zz", .nt_password = "x" };
	uint8_t sk[16];
	unhex(smb_key_hex, sk, 16);
	struct smb3_keys k;
	smb3_derive(&k, 0x0300, SMB3_AES128_CCM, SMB3_SIGN_AES_CMAC, sk, NULL);
	static struct buf m, x, w;
	tree_connect_req(&m, "\\\\srv\\Share", 3);
	transform_of(&x, &m, SMB3_AES128_CCM, k.c2s, 0x1234, 1);
	nbss(&w, &x);
	for (size_t cut = 0; cut <= w.n; cut++) {
		struct wlt t;
		static uint8_t cutbuf[8192];
		memcpy(cutbuf, w.b, cut);
		if (cut >= 4) {
			size_t n = cut - 4;
			cutbuf[1] = (uint8_t)(n >> 16);
			cutbuf[2] = (uint8_t)(n >> 8);
			cutbuf[3] = (uint8_t)n;
		}
		wlt_init_opts(&t, NULL, &o);
		wlt_tcp_open(&t, CPORT, SPORT);
		smb30_negotiate(&t);
		wlt_tcp_send(&t, WL_C2S, cutbuf, cut);
		wlt_finish(&t);
		unsigned inner = wlt_count(&t, "smb2", "TREE_CONNECT request");
		assert_int_equal(inner, cut == w.n ? 1 : 0);
		wlt_free(&t);
	}
	/* a valid tag over bytes that are no SMB2 message */
	m.n = 0;
	put(&m, "not an SMB2 header, just bytes long enough to be taken for one..........", 72);
	transform_of(&x, &m, SMB3_AES128_CCM, k.c2s, 0x1234, 2);
	struct wlt t;
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb30_negotiate(&t);
	send_pdu(&t, WL_C2S, &x);
	/* an inner header whose chain offset points outside */
	tree_connect_req(&m, "\\\\srv\\Share", 4);
	set32(&m, 20, 0x10000);
	transform_of(&x, &m, SMB3_AES128_CCM, k.c2s, 0x1234, 3);
	send_pdu(&t, WL_C2S, &x);
	wlt_finish(&t);
	const struct wlt_msg *r = wlt_find(&t, "smb2", "decrypted", 0);
	assert_non_null(r);
	assert_true(wlt_note(r, "do not start with an SMB2 header"));
	r = wlt_find(&t, "smb2", "TREE_CONNECT request", 0);
	assert_non_null(r);
	assert_true(wlt_note(r, "outside the PDU"));
	wlt_free(&t);
}

/* The NT password on a login it does not fit: a warning, no keys. */
static void test_wrong_password_login(void **state)
{
	(void)state;
	struct wl_opts o = { .nt_password = "not-it" };
	struct wlt t;
	static struct buf blob, req, a;
	nlmp_auth(&a, "User");
	spnego_resp(&blob, &a);
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb30_negotiate(&t);
	session_setup_req(&req, &blob, 2);
	send_pdu(&t, WL_C2S, &req);
	wlt_finish(&t);
	const struct wlt_msg *r = wlt_find(&t, "smb2", "SESSION_SETUP request", 0);
	assert_non_null(r);
	/* no CHALLENGE was captured: the key is derived, unverified */
	assert_true(wlt_note(r, "keys derived from the NT password"));
	wlt_free(&t);
	o.nt_password = "Password";
	wlt_init_opts(&t, NULL, &o);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb30_negotiate(&t);
	send_pdu(&t, WL_C2S, &req);
	wlt_finish(&t);
	r = wlt_find(&t, "smb2", "SESSION_SETUP request", 0);
	assert_true(wlt_note(r, "SMB 3.0 KDF"));
	wlt_free(&t);
}

/* ------------------------------------- fields tshark shows on every message */

/* The names wirelab emits by default must be on every frame tshark has them
 * (tests/tshark_fields.py): the NetBIOS header of each PDU, the chain offset
 * (0 too) and the share type of each message of a known tree, the access
 * granted in a TREE_CONNECT response. */
static void test_header_fields_everywhere(void **state)
{
	(void)state;
	struct wlt t;
	share_then_create(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "TREE_CONNECT response", 0);
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0x1f01ff");
	assert_string_equal(wlt_field(m, "nbss.type", 0), "0x0");
	m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_string_equal(wlt_field(m, "smb2.chain_offset", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.share_type", 0), "0x1");
	assert_string_equal(wlt_field(m, "nbss.length", 0), "136");
	assert_null(wlt_field(m, "smb2.tcon_frame", 0));   /* that one only with -v */
	wlt_free(&t);
}

/* A CLOSE response: last write time and end of file even when zero. */
static void close_resp(struct buf *b, uint64_t mid, uint64_t wtime, uint64_t eof, size_t cut)
{
	b->n = 0;
	smb2_hdr(b, 6, 1, 0, mid, 7, 0x1234);
	le16(b, 60);
	le16(b, 1);
	le32(b, 0);
	le64(b, 1);
	le64(b, 2);
	le64(b, wtime);
	le64(b, 3);
	le64(b, 4096);
	le64(b, eof);
	le32(b, 0x20);
	b->n -= cut;
}

/* A QUERY_INFO for FileAllInformation (class 18) and its answer of n bytes. */
static void all_info(struct wlt *t, uint64_t mid, size_t n)
{
	struct buf b = { .n = 0 };
	smb2_hdr(&b, 16, 0, 0, mid, 7, 0x1234);
	le16(&b, 41);
	u8(&b, 1);
	u8(&b, 18);
	le32(&b, 4096);
	zero(&b, 2 + 2 + 4 + 4 + 4);
	zero(&b, 16);
	u8(&b, 0);
	send_pdu(t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 16, 1, 0, mid, 7, 0x1234);
	le16(&b, 9);
	le16(&b, 72);
	le32(&b, (uint32_t)n);
	size_t at = b.n;
	zero(&b, 16);
	le64(&b, 132706382804253400ull);    /* last write: 2021-07-13T08:24:40.4253400Z */
	zero(&b, 16);                       /* change time, attributes, reserved */
	le64(&b, 4096);
	le64(&b, 777);                      /* end of file */
	zero(&b, 20);                       /* links, flags, internal, EA size */
	le32(&b, 0x00100080);               /* access */
	zero(&b, 96 - (b.n - at));
	le32(&b, 2);
	utf16(&b, "a");
	b.n = at + n;
	send_pdu(t, WL_S2C, &b);
}

static void test_close_and_all_info_times(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	close_resp(&b, 5, 0, 0, 0);
	send_pdu(&t, WL_S2C, &b);
	close_resp(&b, 6, 0, 0, 8);        /* hostile: cut inside the end of file */
	send_pdu(&t, WL_S2C, &b);
	all_info(&t, 7, 102);
	all_info(&t, 8, 50);               /* hostile: says 50 bytes, too few for the end of file */
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "CLOSE response", 0);
	assert_string_equal(wlt_field(m, "smb2.eof", 0), "0");
	assert_non_null(wlt_field(m, "smb2.last_write.time", 0));
	m = wlt_find(&t, "smb2", "CLOSE response", 1);
	assert_null(wlt_field(m, "smb2.eof", 0));
	assert_true(wlt_note(m, "CLOSE response"));
	m = wlt_find(&t, "smb2", "QUERY_INFO response", 0);
	assert_string_equal(wlt_field(m, "smb2.eof", 0), "777");
	assert_string_equal(wlt_field(m, "smb2.last_write.time", 0), "2021-07-13T08:24:40.425340000Z");
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0x100080");
	m = wlt_find(&t, "smb2", "QUERY_INFO response", 1);
	assert_null(wlt_field(m, "smb2.eof", 0));
	assert_null(wlt_field(m, "smb.access_mask", 0));
	wlt_free(&t);
}

/* One create context named tag at the end of b, its data dlen bytes. */
static size_t create_ctx(struct buf *b, const char *tag, uint16_t noff, uint32_t dlen)
{
	size_t at = b->n;
	le32(b, 0);
	le16(b, noff);
	le16(b, 4);
	le16(b, 0);
	le16(b, 24);
	le32(b, dlen);
	put(b, tag, 4);
	le32(b, 0);
	for (uint32_t i = 0; i < dlen; i++)
		u8(b, 0xa0 + i);
	while ((b->n - at) % 8)
		u8(b, 0);
	return at;
}

/* A CREATE request whose contexts are built by the caller after it. */
static size_t create_with_ctx(struct buf *b, uint64_t mid, size_t *start)
{
	b->n = 0;
	*start = create_req(b, "f", mid, 7);
	return b->n;
}

static void ctx_span(struct buf *b, size_t start, size_t first, uint32_t len)
{
	set32(b, start + 64 + 48, (uint32_t)(first - start));
	set32(b, start + 64 + 52, len);
}

/* DHnQ and DHnC carry a file id tshark shows as smb2.fid, MxAc's answer an
 * access mask; chains that lie. */
static void test_create_context_fid(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	size_t start;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	size_t c1 = create_with_ctx(&b, 20, &start);
	create_ctx(&b, "MxAc", 16, 0);
	size_t c2 = create_ctx(&b, "DHnQ", 16, 16);
	set32(&b, c1, (uint32_t)(c2 - c1));
	ctx_span(&b, start, c1, (uint32_t)(b.n - c1));
	send_pdu(&t, WL_C2S, &b);
	/* hostile: the name's offset outside the context, the next one backwards */
	c1 = create_with_ctx(&b, 21, &start);
	create_ctx(&b, "DHnC", 0xfff0, 16);
	set32(&b, c1, 8);
	ctx_span(&b, start, c1, (uint32_t)(b.n - c1));
	send_pdu(&t, WL_C2S, &b);
	/* hostile: the contexts' length runs past the message; data cut short */
	c1 = create_with_ctx(&b, 22, &start);
	create_ctx(&b, "DHnQ", 16, 16);
	ctx_span(&b, start, c1, 4096);
	send_pdu(&t, WL_C2S, &b);
	c1 = create_with_ctx(&b, 23, &start);
	create_ctx(&b, "DHnQ", 16, 8);
	set32(&b, c1 + 12, 16);             /* claims 16 data bytes where 8 are */
	ctx_span(&b, start, c1, (uint32_t)(b.n - c1));
	send_pdu(&t, WL_C2S, &b);
	/* an answer's MxAc context: status, then the maximal access */
	b.n = 0;
	smb2_hdr(&b, 5, 1, 0, 20, 7, 0x1234);
	le16(&b, 89);
	zero(&b, 2 + 4 + 32 + 8 + 8 + 4 + 4 + 16);
	le32(&b, 152);
	le32(&b, 32);
	create_ctx(&b, "MxAc", 16, 8);
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "CREATE response", 0);
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0xa7a6a5a4");
	m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_string_equal(wlt_field(m, "smb2.fid", 0), "a3a2a1a0-a5a4-a7a6-a8a9-aaabacadaeaf");
	assert_null(wlt_field(m, "smb2.fid", 1));
	m = wlt_find(&t, "smb2", "CREATE request", 1);
	assert_null(wlt_field(m, "smb2.fid", 0));
	assert_true(wlt_note(m, "next offset 8"));
	m = wlt_find(&t, "smb2", "CREATE request", 2);
	assert_null(wlt_field(m, "smb2.fid", 0));
	assert_true(wlt_note(m, "create contexts at offset"));
	m = wlt_find(&t, "smb2", "CREATE request", 3);
	assert_null(wlt_field(m, "smb2.fid", 0));
	wlt_free(&t);
}

/* FLUSH, LOCK, CHANGE_NOTIFY and SET_INFO name their file id; cut short, a note. */
static void test_fid_requests(void **state)
{
	(void)state;
	static const unsigned cmds[] = { 7, 10, 15, 17 };
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	for (size_t i = 0; i < 4; i++) {
		b.n = 0;
		smb2_hdr(&b, cmds[i], 0, 0, 40 + i, 7, 0x1234);
		le16(&b, cmds[i] == 17 ? 33 : 24);
		zero(&b, cmds[i] == 17 ? 14 : 6);
		for (int k = 0; k < 16; k++)
			u8(&b, k);
		zero(&b, 8);
		send_pdu(&t, WL_C2S, &b);
	}
	b.n = 0;
	smb2_hdr(&b, 17, 0, 0, 50, 7, 0x1234);
	le16(&b, 33);
	zero(&b, 20);                      /* hostile: the id cut after 6 bytes */
	send_pdu(&t, WL_C2S, &b);
	wlt_finish(&t);
	static const char *const types[] = { "FLUSH request", "LOCK request", "CHANGE_NOTIFY request",
					     "SET_INFO request" };
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(wlt_field(wlt_find(&t, "smb2", types[i], 0), "smb2.fid", 0),
				    "03020100-0504-0706-0809-0a0b0c0d0e0f");
	const struct wlt_msg *m = wlt_find(&t, "smb2", "SET_INFO request", 1);
	assert_null(wlt_field(m, "smb2.fid", 0));
	assert_true(wlt_note(m, "SET_INFO request"));
	wlt_free(&t);
}

/* What tshark reads from a body beyond the default's old set: a request's
 * capabilities' encryption bit, a failed login's session flags, a listing
 * answer's class (the error too), an IOCTL response's flags as smb2.flags. */
static void test_body_fields_by_default(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	negotiate_req(&b);
	send_pdu(&t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 1, 1, 0xc000006d, 2, 0, 0x1234);   /* logon failure */
	le16(&b, 9);
	le16(&b, 0);
	le32(&b, 0);
	u8(&b, 0);
	send_pdu(&t, WL_S2C, &b);
	b.n = 0;
	smb2_hdr(&b, 14, 0, 0, 30, 7, 0x1234);
	le16(&b, 33);
	u8(&b, 37);
	zero(&b, 1 + 4 + 16);
	le16(&b, 96);
	le16(&b, 2);
	le32(&b, 65536);
	utf16(&b, "*");
	send_pdu(&t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 14, 1, 0x80000006, 30, 7, 0x1234);  /* no more files */
	le16(&b, 9);
	zero(&b, 7);
	send_pdu(&t, WL_S2C, &b);
	b.n = 0;
	smb2_hdr(&b, 11, 1, 0, 31, 7, 0x1234);
	le16(&b, 49);
	le16(&b, 0);
	le32(&b, 0x00140204);
	zero(&b, 16);
	zero(&b, 16);
	le32(&b, 0);                       /* flags */
	le32(&b, 0);
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "NEGOTIATE request", 0);
	assert_string_equal(wlt_field(m, "smb2.capabilities.encryption", 0), "1");
	assert_null(wlt_field(m, "smb2.capabilities.dfs", 0));   /* the other bits: -v */
	m = wlt_find(&t, "smb2", "SESSION_SETUP response", 0);
	assert_string_equal(wlt_field(m, "smb2.session_flags", 0), "0x0");
	m = wlt_find(&t, "smb2", "QUERY_DIRECTORY response", 0);
	assert_string_equal(wlt_field(m, "smb2.find.infolevel", 0), "37");
	m = wlt_find(&t, "smb2", "IOCTL response", 0);
	assert_string_equal(wlt_field(m, "smb2.flags", 0), "0x1");     /* the header's */
	assert_string_equal(wlt_field(m, "smb2.flags", 1), "0x0");     /* the body's */
	wlt_free(&t);
}

/* An SMB1 header: NT status codes and Unicode in flags2. */
static void smb1_hdr(struct buf *b, unsigned cmd, int resp, uint32_t status, unsigned tid, unsigned mid)
{
	b->n = 0;
	put(b, "\xffSMB", 4);
	u8(b, cmd);
	le32(b, status);
	u8(b, resp ? 0x98 : 0x18);
	le16(b, 0xc807);
	zero(b, 12);
	le16(b, tid);
	le16(b, 0xfeff);
	le16(b, 0x800);
	le16(b, mid);
}

static void smb1_tree_connect_req(struct buf *b, unsigned mid, const char *path, int cut)
{
	smb1_hdr(b, 0x75, 0, 0, 0xffff, mid);
	u8(b, 4);
	u8(b, 0xff);
	u8(b, 0);
	le16(b, 0);
	le16(b, 0);
	le16(b, 1);          /* password length */
	struct buf p = { .n = 0 };
	utf16(&p, path);
	le16(b, (unsigned)(1 + p.n + 2 + 6));
	u8(b, 0);            /* password; the path is 2-aligned after it */
	put(b, p.b, p.n);
	le16(b, 0);
	put(b, "?????\0", 6);
	b->n -= (size_t)cut;
}

static void smb1_tree_connect_resp(struct buf *b, unsigned mid, unsigned tid)
{
	smb1_hdr(b, 0x75, 1, 0, tid, mid);
	u8(b, 3);
	u8(b, 0xff);
	u8(b, 0);
	le16(b, 0);
	le16(b, 1);
	le16(b, 4);
	put(b, "IPC\0", 4);
}

/* SMB1 as tshark shows every message: the NT status (a request's 0 too) and
 * the path of the header's tree id, mapped from the TREE_CONNECT_ANDX
 * response on (the response itself shows it). A response no request was
 * seen for maps nothing; a request cut before its path asks for none.
 *
 * tshark looks the tid up as "the highest tid mapped not above it"
 * (Wireshark packet-smb.c dissect_smb_tid: wmem_tree_lookup32_le on the
 * conversation's tid_tree), so a tid never mapped shows the tree below it:
 * a TREE_CONNECT_ANDX request's 0xffff names the newest tree
 * (raw_ntlm_in_smb.pcap frames 43, 48, 114: tid 65535 with [Path: ...IPC$],
 * then [Path: ...\MY PICTURES], then IPC$ again), and so does wirelab. */
static void test_smb1_status_and_tree_path(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb1_tree_connect_req(&b, 3, "\\\\srv\\IPC$", 0);
	send_pdu(&t, WL_C2S, &b);
	smb1_tree_connect_resp(&b, 3, 2048);
	send_pdu(&t, WL_S2C, &b);
	smb1_hdr(&b, 0x04, 0, 0, 2048, 4);       /* Close */
	u8(&b, 3);
	zero(&b, 6);
	le16(&b, 0);
	send_pdu(&t, WL_C2S, &b);
	smb1_tree_connect_resp(&b, 9, 2049);     /* hostile: answers no request seen */
	send_pdu(&t, WL_S2C, &b);
	smb1_tree_connect_req(&b, 10, "\\\\srv\\X", 10);   /* hostile: cut inside the path */
	send_pdu(&t, WL_C2S, &b);
	smb1_tree_connect_resp(&b, 10, 2050);
	send_pdu(&t, WL_S2C, &b);
	smb1_hdr(&b, 0x04, 0, 0, 2049, 11);
	u8(&b, 0);
	le16(&b, 0);
	send_pdu(&t, WL_C2S, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb", "request", 0);
	assert_string_equal(wlt_field(m, "smb.nt_status", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb.path", 0), "\\\\\\\\srv\\\\IPC$");
	assert_null(wlt_field(m, "smb.path", 1));
	m = wlt_find(&t, "smb", "response", 0);
	assert_string_equal(wlt_field(m, "smb.path", 0), "\\\\\\\\srv\\\\IPC$");
	m = wlt_find(&t, "smb", "request", 1);
	assert_string_equal(wlt_field(m, "smb.path", 0), "\\\\\\\\srv\\\\IPC$");
	/* tid 2049 is never mapped: the tree of 2048 below it */
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "response", 1), "smb.path", 0),
			    "\\\\\\\\srv\\\\IPC$");
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "request", 3), "smb.path", 0),
			    "\\\\\\\\srv\\\\IPC$");
	/* the cut request's tid 0xffff: the newest tree then, 2048's */
	m = wlt_find(&t, "smb", "request", 2);
	assert_string_equal(wlt_field(m, "smb.path", 0), "\\\\\\\\srv\\\\IPC$");
	wlt_free(&t);
}

/* Requests waiting while the pending table is full grow it: none is
 * forgotten (a FLUSH's answer lost its request so, smb2-delete_input.pcap
 * frame 102). */
static void test_pending_table_grows(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	for (unsigned mid = 1; mid <= 6; mid++) {
		b.n = 0;
		smb2_hdr(&b, 7, 0, 0, mid, 7, 0x1234);
		le16(&b, 24);
		zero(&b, 22);
		send_pdu(&t, WL_C2S, &b);
		if (mid == 1) {
			b.n = 0;
			smb2_hdr(&b, 7, 1, 0, 1, 7, 0x1234);
			le16(&b, 4);
			le16(&b, 0);
			send_pdu(&t, WL_S2C, &b);
		}
	}
	for (unsigned mid = 2; mid <= 6; mid++) {
		b.n = 0;
		smb2_hdr(&b, 7, 1, 0, mid, 7, 0x1234);
		le16(&b, 4);
		le16(&b, 0);
		send_pdu(&t, WL_S2C, &b);
	}
	wlt_finish(&t);
	for (unsigned i = 0; i < 6; i++)
		assert_non_null(wlt_field(wlt_find(&t, "smb2", "FLUSH response", i), "smb2.response_to", 0));
	wlt_free(&t);
}

/* An NT LM 0.12 NEGOTIATE response without extended security names the
 * domain right after the challenge, unaligned; a session setup response
 * after the OS and LAN manager. A key length past the end: no domain. */
static void smb1_negotiate_resp(struct buf *b, unsigned keylen, uint32_t caps, const struct buf *blob)
{
	smb1_hdr(b, 0x72, 1, 0, 0, 1);
	u8(b, 17);
	le16(b, 0);
	u8(b, 3);
	le16(b, 50);
	le16(b, 1);
	le32(b, 4356);
	le32(b, 65536);
	le32(b, 0);
	le32(b, caps);
	le64(b, 0);
	le16(b, 0);
	u8(b, keylen);
	if (blob) {                          /* extended security: GUID, SPNEGO */
		le16(b, (unsigned)(16 + blob->n));
		zero(b, 16);
		put(b, blob->b, blob->n);
		return;
	}
	struct buf d = { .n = 0 };
	utf16(&d, "WORKGROUP");
	le16(b, (unsigned)(8 + d.n + 2));
	put(b, "\x08\xab\x1c\x2f\xe1\xec\xe6\xa9", 8);
	put(b, d.b, d.n);
	le16(b, 0);
}

static void test_smb1_primary_domain(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb1_negotiate_resp(&b, 8, 0x0001e3fc, NULL);
	send_pdu(&t, WL_S2C, &b);
	smb1_negotiate_resp(&b, 200, 0x0001e3fc, NULL);   /* hostile: the challenge past the end */
	send_pdu(&t, WL_S2C, &b);
	smb1_hdr(&b, 0x73, 1, 0, 0, 2);
	u8(&b, 3);
	u8(&b, 0xff);
	zero(&b, 5);
	struct buf s = { .n = 0 };
	u8(&s, 0);                           /* pad: the strings are aligned */
	utf16(&s, "Unix");
	le16(&s, 0);
	utf16(&s, "Samba");
	le16(&s, 0);
	utf16(&s, "WORKGROUP");
	le16(&s, 0);
	le16(&b, (unsigned)s.n);
	put(&b, s.b, s.n);
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "response", 0), "smb.primary_domain", 0), "WORKGROUP");
	assert_null(wlt_field(wlt_find(&t, "smb", "response", 1), "smb.primary_domain", 0));
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "response", 2), "smb.primary_domain", 0), "WORKGROUP");
	wlt_free(&t);
}

/* With extended security the NEGOTIATE response's SPNEGO names the server's
 * mechanisms (spnego.MechType, smb-eicar-file_input.pcap frame 5); a GUID
 * cut short carries none. */
static void test_smb1_negotiate_spnego(void **state)
{
	(void)state;
	static struct buf oid, mech, seq, a0, inner, init, blob;
	oid.n = mech.n = seq.n = a0.n = inner.n = init.n = blob.n = 0;
	put(&oid, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a", 10);   /* NTLMSSP */
	der(&mech, 0x06, &oid);
	der(&seq, 0x30, &mech);
	der(&a0, 0xa0, &seq);
	der(&inner, 0x30, &a0);
	u8(&init, 0x06);
	u8(&init, 6);
	put(&init, "\x2b\x06\x01\x05\x05\x02", 6);                 /* SPNEGO */
	der(&init, 0xa0, &inner);
	der(&blob, 0x60, &init);
	struct wlt t;
	struct buf b;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, CPORT, SPORT);
	smb1_negotiate_resp(&b, 0, 0x8001e3fc, &blob);
	send_pdu(&t, WL_S2C, &b);
	smb1_negotiate_resp(&b, 0, 0x8001e3fc, &blob);
	b.n -= blob.n + 10;                  /* hostile: the GUID cut after 6 bytes */
	set16(&b, b.n - 8, 6);
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "response", 0), "spnego.MechType", 0),
			    "1.3.6.1.4.1.311.2.2.10");
	assert_null(wlt_field(wlt_find(&t, "smb", "response", 1), "spnego.MechType", 0));
	wlt_free(&t);
}

/* ------------------------------------------- SMB2 detail fields of real frames */

/* A TCP payload (NetBIOS header and all) as tshark -e tcp.payload prints it. */
static void send_hex(struct wlt *t, int dir, const char *hex)
{
	static struct buf w;
	size_t n = strlen(hex) / 2;
	assert_true(n <= sizeof w.b);
	unhex(hex, w.b, n);
	wlt_tcp_send(t, dir, w.b, n);
}

/* corpus smb2-delete_input.pcap frame 66: CREATE with an RqLs v2 context
 * (compounded with a QUERY_INFO) */
static const char lease_create_66[] =
	"00000138fe534d4240000100000000000500000100000000d00000002b00000000000000fffe0000010000003900"
	"00000070000000000000000000000000000000000000390000ff0200000000000000000000000000000000000000"
	"81001000100000000700000001000000010000007800000080000000500000000000000000000000000000001000"
	"0400000018003400000052714c7300000000b735e104269246c58e9953028d78c76f030000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000fe534d4240001000000000000e0000010400"
	"0000000000002c00000000000000fffe000001000000390000000070000000000000000000000000000000000000"
	"2100250100000000ffffffffffffffffffffffffffffffff60000200000010002a00000000000000";
/* frame 79: the server's lease break notification */
static const char lease_break_79[] =
	"0000006cfe534d424000000000000000120000000100000000000000ffffffffffffffff00000000000000000000"
	"000000000000000000000000000000000000000000002c00020001000000b735e104269246c58e9953028d78c76f"
	"0300000000000000000000000000000000000000";

/* Lease fields (-v) as tshark 4.0 shows them on those frames: the epoch
 * under lease_oplock, the flags' bits under lease_state, a break's two
 * states in order (current, new). */
static void test_lease_fields(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_hex(&t, WL_C2S, lease_create_66);
	send_hex(&t, WL_S2C, lease_break_79);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.tag", 0), "RqLs");
	assert_string_equal(wlt_field(m, "smb2.create.chain_offset", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_key", 0), "04e135b7-9226-c546-8e99-53028d78c76f");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state", 0), "0x3");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state.read_caching", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state.write_caching", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_flags", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.lease.parent_lease_key", 0), "00000000-0000-0000-0000-000000000000");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_oplock", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_reserved", 0), "0x0");
	/* the name's (0x10, 4) and the data's (0x18, 52) offset and length, after the file name's and the chain's */
	assert_string_equal(wlt_field(m, "smb2.olb.offset", 2), "0x10");
	assert_string_equal(wlt_field(m, "smb2.olb.length", 3), "52");
	m = wlt_find(&t, "smb2", "OPLOCK_BREAK response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.lease.lease_oplock", 0), "0x2");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_flags", 0), "0x1");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state.break_ack_required", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state", 0), "0x3");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_state", 1), "0x0");
	assert_string_equal(wlt_field(m, "smb2.lease.lease_break_reason", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.lease.share_mask_hint", 0), "0x0");
	wlt_free(&t);
}

/* corpus smb2-delete_input.pcap frame 33: CREATE with AAPL and MxAc */
static const char aapl_create_33[] =
	"00000188fe534d4240000100000000000500000100000000c80000000b00000000000000fffe0000010000003900"
	"00000070000000000000000000000000000000000000390000000200000000000000000000000000000000000000"
	"80001000100000000700000001000000010000007800000080000000480000000000000000000000300000001000"
	"040000001800180000004141504c00000000010000000000000007000000000000000f0000000000000000000000"
	"1000040000000000000000004d78416300000000fe534d4240000100000000001000000104000000680000000c00"
	"000000000000fffe0000010000003900000000700000000000000000000000000000000000002900011264040000"
	"00000000000000000000000000000000fffffffffffffffffffffffffffffffffe534d4240000100000000000600"
	"000104000000000000000d00000000000000fffe0000010000003900000000700000000000000000000000000000"
	"000000001800000000000000ffffffffffffffffffffffffffffffff";
/* corpus smb2-zero-byte-error-ioctl.pcapng frames 173, 174: CREATE, QUERY_INFO
 * FileAllInformation, CLOSE compounded, and their answers */
static const char all_info_173[] =
	"00000158fe534d4240000100000000000500000100000000980000001d00000000000000fffe00008ecc6c4ab62b"
	"f1030000000000000000000000000000000000000000390000000200000000000000000000000000000000000000"
	"80001000100000000700000001000000010000007800000080000000180000000000000000000000000000001000"
	"040000000000000000004d78416300000000fe534d4240000100000000001000000104000000680000001e000000"
	"00000000fffe00008ecc6c4ab62bf103000000000000000000000000000000000000000029000112640400000000"
	"0000000000000000000000000000fffffffffffffffffffffffffffffffffe534d42400001000000000006000001"
	"04000000000000001f00000000000000fffe00008ecc6c4ab62bf103000000000000000000000000000000000000"
	"00001800000000000000ffffffffffffffffffffffffffffffff";
static const char all_info_174[] =
	"000001e8fe534d4240000100000000000500000001000000b80000001d00000000000000fffe00008ecc6c4ab62b"
	"f103000000000000000000000000000000000000000059000000010000008ac3dd8a4399d801996ac42023a1d801"
	"8ac3dd8a4399d8018ac3dd8a4399d8010000000000000000000000000000000010000000000000000ef54c310000"
	"000030e9db01000000009800000020000000000000001000040000001800080000004d7841630000000000000000"
	"ff011f00fe534d4240000100000000001000000005000000b00000001e00000000000000fffe00008ecc6c4ab62b"
	"f103000000000000000000000000000000000000000009004800660000008ac3dd8a4399d801996ac42023a1d801"
	"8ac3dd8a4399d8018ac3dd8a4399d801100000000000000000000000000000000000000000000000010000000001"
	"00007941000000000000000000008000100000000000000000001000000000000000020000005c000000fe534d42"
	"40000100000000000600000305000000000000001f00000000000000fffe00008ecc6c4ab62bf103000000000000"
	"00000000000000000000000000003c0000000000000000803ed5deb19d0100803ed5deb19d0100803ed5deb19d01"
	"00803ed5deb19d01000000000000000000000000000000000000000000000000";

/* AAPL's query (-v), MxAc's status, and FileAllInformation's parts as tshark
 * 4.0 shows them: the mode's bits as hex 0/1 (0x10 is SYNCHRONOUS_IO_ALERT).
 * Not its alignment: tshark reads that ULONG big-endian (delete_input frame 34:
 * bytes 01 00 00 00 shown as smb2.alignment_info 0x01000000), so wirelab
 * leaves the name out rather than disagree or be wrong. */
static void test_aapl_and_all_info_fields(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_hex(&t, WL_C2S, aapl_create_33);
	send_hex(&t, WL_C2S, all_info_173);
	send_hex(&t, WL_S2C, all_info_174);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.tag", 0), "AAPL");
	assert_string_equal(wlt_field(m, "smb2.tag", 1), "MxAc");
	assert_string_equal(wlt_field(m, "smb2.create.chain_offset", 0), "0x30");
	assert_string_equal(wlt_field(m, "smb2.aapl.command_code", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.aapl.query_bitmask", 0), "0x7");
	assert_string_equal(wlt_field(m, "smb2.aapl.bitmask.model_info", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.aapl.caps", 0), "0xf");
	assert_string_equal(wlt_field(m, "smb2.aapl.supports_nfs_ace", 0), "1");
	m = wlt_find(&t, "smb2", "CREATE response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.mxac_status", 0), "0x0");
	m = wlt_find(&t, "smb2", "QUERY_INFO response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.mode_info", 0), "0x10");
	assert_string_equal(wlt_field(m, "smb2.mode.file_synchronous_io_alert", 0), "0x1");
	assert_string_equal(wlt_field(m, "smb2.mode.file_synchronous_io_nonalert", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.nlinks", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.delete_pending", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.is_directory", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.file_id", 0), "0x4179");
	assert_string_equal(wlt_field(m, "smb2.position_info", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.unknown", 0), "00000000");
	assert_string_equal(wlt_field(m, "smb2.filename.len", 0), "2");
	assert_null(wlt_field(m, "smb2.alignment_info", 0));
	wlt_free(&t);
}

/* corpus smb2-delete_input.pcap frames 82, 83: WRITE and its answer */
static const char write_82[] =
	"0000007afe534d4240000100000000000900000100000000000000005400000000000000fffe0000010000003900"
	"00000070000000000000000000000000000000000000310070000a00000000000000000000000d0100001c000000"
	"3d0000001c00000000000000000000000000000000000000746f2072656d6f76650a";
static const char write_83[] =
	"00000050fe534d4240000100000000000900010001000000000000005400000000000000fffe0000010000003900"
	"00000070000000000000000000000000000000000000110000000a0000000000000000000000";
/* corpus smb2readwrite.pcap frame 2: a CREATE answer with MxAc and QFid */
static const char qfid_2[] =
	"000000f0fe534d424000010000000000050001000100000000000000cd04000000000000fffe00007a6c1953c01c"
	"233c0000000000000000000000000000000000000000590009000100000080261aedcabfd40140afd907cbbfd401"
	"6f871aedcabfd4016f871aedcabfd4010000100000000000100000000000000080000000000000002e8c2fc50000"
	"00004d57ffae000000009800000058000000200000001000040000001800080000004d7841630000000000000000"
	"9f011700000000001000040000001800200000005146696400000000ceee1d000000000001080000000000000000"
	"0000000000000000000000000000";
/* corpus smb2.delete-on-close-perms-delete-existing.pcap frame 24: QUERY_INFO
 * of a security descriptor's owner and DACL */
static const char secinfo_24[] =
	"00000069fe534d424000010000000000100001001000000000000000050000000000000000000000abd307b239fe"
	"c8b00000000000000000000000000000000000000000290003000000010000000000000000000500000000000000"
	"5347f3980000000091a31f2f0000000000";

static void test_write_qfid_secinfo_fields(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_hex(&t, WL_C2S, write_82);
	send_hex(&t, WL_S2C, write_83);
	send_hex(&t, WL_S2C, qfid_2);
	send_hex(&t, WL_C2S, secinfo_24);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "WRITE request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.data_offset", 0), "0x70");
	assert_string_equal(wlt_field(m, "smb2.channel", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.write.flags", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.write.flags.write_through", 0), "0");
	m = wlt_find(&t, "smb2", "WRITE response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.write.remaining", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.channel_info_offset", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.channel_info_length", 0), "0");
	m = wlt_find(&t, "smb2", "CREATE response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.qfid_fid", 0),
			    "ceee1d0000000000010800000000000000000000000000000000000000000000");
	assert_string_equal(wlt_field(m, "smb2.tag", 1), "QFid");
	m = wlt_find(&t, "smb2", "QUERY_INFO request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.getsetinfo_additionals", 0), "0x5");
	assert_null(wlt_field(m, "smb2.getsetinfo_additional", 0));
	assert_string_equal(wlt_field(m, "smb2.getsetinfo_additional_secinfo.owner", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.getsetinfo_additional_secinfo.group", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.getsetinfo_additional_secinfo.dacl", 0), "1");
	wlt_free(&t);
}

/* A CREATE request whose contexts are the given bytes. */
static void create_with_chain(struct buf *b, uint64_t mid, const struct buf *chain)
{
	size_t start;
	size_t first = create_with_ctx(b, mid, &start);
	put(b, chain->b, chain->n);
	ctx_span(b, start, first, (uint32_t)chain->n);
}

/* Hostile contexts under -v: a lease cut short, a next offset past the end,
 * one below a header (which would loop), more elements than are read, a lease
 * break cut short. Notes, no fields from outside, no hang. */
static void test_hostile_contexts_verbose(void **state)
{
	(void)state;
	struct wlt t;
	struct buf b, c;
	init_verbose(&t);
	c.n = 0;
	create_ctx(&c, "RqLs", 16, 20);          /* 20 lease bytes: neither v1 nor v2 */
	create_with_chain(&b, 30, &c);
	send_pdu(&t, WL_C2S, &b);
	c.n = 0;
	create_ctx(&c, "RqLs", 16, 32);
	set32(&c, 0, 4096);                      /* next runs past the chain */
	create_with_chain(&b, 31, &c);
	send_pdu(&t, WL_C2S, &b);
	c.n = 0;
	create_ctx(&c, "MxAc", 16, 0);
	set32(&c, 0, 4);                         /* next inside the header itself */
	create_with_chain(&b, 32, &c);
	send_pdu(&t, WL_C2S, &b);
	c.n = 0;
	for (int i = 0; i < 40; i++) {           /* 40 elements of 24 bytes, each pointing on */
		size_t at = create_ctx(&c, "MxAc", 16, 0);
		set32(&c, at, 24);
	}
	create_with_chain(&b, 33, &c);
	send_pdu(&t, WL_C2S, &b);
	b.n = 0;
	smb2_hdr(&b, 18, 1, 0, UINT64_MAX, 0, 0);
	le16(&b, 44);
	zero(&b, 10);                            /* the notification cut inside its key */
	send_pdu(&t, WL_S2C, &b);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "CREATE request", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "lease create context of 20 bytes"));
	assert_null(wlt_field(m, "smb2.lease.lease_key", 0));
	assert_string_equal(wlt_field(m, "smb2.tag", 0), "RqLs");
	m = wlt_find(&t, "smb2", "CREATE request", 1);
	assert_non_null(m);
	assert_true(wlt_note(m, "points outside the contexts"));
	assert_non_null(wlt_field(m, "smb2.lease.lease_key", 0));
	assert_null(wlt_field(m, "smb2.tag", 1));
	m = wlt_find(&t, "smb2", "CREATE request", 2);
	assert_non_null(m);
	assert_true(wlt_note(m, "next offset 4"));
	assert_null(wlt_field(m, "smb2.tag", 1));
	m = wlt_find(&t, "smb2", "CREATE request", 3);
	assert_non_null(m);
	assert_true(wlt_note(m, "more than 32 create contexts"));
	assert_non_null(wlt_field(m, "smb2.tag", 31));
	assert_null(wlt_field(m, "smb2.tag", 32));
	m = wlt_find(&t, "smb2", "OPLOCK_BREAK response", 0);
	assert_non_null(m);
	assert_true(wlt_note(m, "lease break notification"));
	assert_null(wlt_field(m, "smb2.lease.lease_key", 0));
	wlt_free(&t);
}

/* corpus wireshark-smb-on-windows10.pcap frame 104: FSCTL_QUERY_NETWORK_INTERFACE_INFO's
 * answer, an IPv4 and an IPv6 interface */
static const char net_ifaces_104[] =
	"000001a0fe534d4240000100000000000b00010019000000000000000500000000000000fffe0000010000001500"
	"000000740000cfa0115065d0fd04fd7ce48e591d390d31000000fc011400ffffffffffffffffffffffffffffffff"
	"7000000000000000700000003001000000000000000000009800000004000000010000000000000000ca9a3b0000"
	"000002000000c0a8c785000000000000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000000000000000000004000000"
	"010000000000000000ca9a3b000000001700000000000000fe8000000000000065b53a9792d19199000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	"000000000000";
/* corpus smb2-zero-byte-error-ioctl.pcapng frame 20: a 3.1.1 NEGOTIATE request with a
 * compression context */
static const char negotiate_comp_20[] =
	"000000e8fe534d4240000000000000000000000000000000000000000100000000000000fffe0000000000000000"
	"0000000000000000000000000000000000000000000024000500010000007f000000443e46c63a9e53ae8721ec63"
	"4626c89270000000040000000202100200030203110300000100260000000000010020000100c0140faa4721b350"
	"91c869753c253f38ba104ec4a51c36faec0f3a620df6b1b900000200040000000000010001000000000003000a00"
	"000000000100000000000000000000000000000005001800000000003100390032002e003100360038002e003200"
	"2e0036003900";

/* Network interfaces and the compression context (-v) as tshark 4.0 shows
 * them; then the list made hostile: an entry's next offset 0 ends it, one
 * below an entry's size (which could loop) or past the end is noted. */
static void test_net_interfaces_and_compression(void **state)
{
	(void)state;
	struct wlt t;
	static char hex[sizeof net_ifaces_104];
	init_verbose(&t);
	send_hex(&t, WL_S2C, net_ifaces_104);
	send_hex(&t, WL_C2S, negotiate_comp_20);
	/* the first entry's next offset (payload byte 116) as 0, then 8 */
	static const char *const next[] = { "00000000", "08000000" };
	for (int i = 0; i < 2; i++) {
		memcpy(hex, net_ifaces_104, sizeof hex);
		memcpy(hex + 2 * 116, next[i], 8);
		send_hex(&t, WL_S2C, hex);
	}
	/* the second entry's next offset 152: the third is not there */
	memcpy(hex, net_ifaces_104, sizeof hex);
	memcpy(hex + 2 * (116 + 152), "98000000", 8);
	send_hex(&t, WL_S2C, hex);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "IOCTL response", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.next_offset", 0), "0x98");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.next_offset", 1), "0x0");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.index", 0), "4");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.capabilities", 0), "0x1");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.capabilities.rss", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.capabilities.rdma", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.link_speed", 0), "1000000000");
	assert_string_equal(wlt_field(m, "smb2.windows.sockaddr.family", 0), "2");
	assert_string_equal(wlt_field(m, "smb2.windows.sockaddr.in.addr", 0), "192.168.199.133");
	assert_string_equal(wlt_field(m, "smb2.windows.sockaddr.family", 1), "23");
	assert_string_equal(wlt_field(m, "smb2.windows.sockaddr.in6.addr", 0), "fe80::65b5:3a97:92d1:9199");
	assert_string_equal(wlt_field(m, "smb2.windows.sockaddr.in6.scope_id", 0), "0");
	m = wlt_find(&t, "smb2", "NEGOTIATE request", 0);
	assert_non_null(m);
	assert_string_equal(wlt_field(m, "smb2.negotiate_context.comp_alg_count", 0), "1");
	assert_string_equal(wlt_field(m, "smb2.negotiate_context.comp_alg_flags", 0), "0x0");
	assert_string_equal(wlt_field(m, "smb2.negotiate_context.comp_alg_flags.chained", 0), "0");
	assert_string_equal(wlt_field(m, "smb2.negotiate_context.comp_alg_id", 0), "0x0");
	m = wlt_find(&t, "smb2", "IOCTL response", 1);
	assert_non_null(m);
	assert_null(wlt_field(m, "smb2.ioctl.network_interfaces.next_offset", 1));
	m = wlt_find(&t, "smb2", "IOCTL response", 2);
	assert_non_null(m);
	assert_true(wlt_note(m, "next offset 8 points outside"));
	assert_null(wlt_field(m, "smb2.ioctl.network_interfaces.next_offset", 1));
	m = wlt_find(&t, "smb2", "IOCTL response", 3);
	assert_non_null(m);
	assert_true(wlt_note(m, "network interface 2 cut short"));
	assert_string_equal(wlt_field(m, "smb2.ioctl.network_interfaces.next_offset", 1), "0x98");
	wlt_free(&t);
}

/* corpus smb2-zero-byte-error-ioctl.pcapng: the lsarpc pipe opened (frames 92-93),
 * bound (98-99), and lsa_GetUserName asked and answered (104, 106) */
static const char lsa_create_req_92[] =
	"000000a0fe534d4240000100000000000500000100000000000000000c00000000000000fffe0000027dae35b62b"
	"f1030000000000000000000000000000000000000000390000000200000000000000000000000000000000000000"
	"000000c08000000003000000010000000000000078000c0088000000180000006c00730061007200700063000000"
	"0000000000001000040000000000000000004d78416300000000";
static const char lsa_create_resp_93[] =
	"00000098fe534d4240000100000000000500000101000000000000000c00000000000000fffe0000027dae35b62b"
	"f1030000000000000000000000000000000000000000590000000100000000803ed5deb19d0100803ed5deb19d01"
	"00803ed5deb19d0100803ed5deb19d01000000000000000000000000000000008000000000000000b18d61870000"
	"0000c9fb1ac9000000000000000000000000";
static const char lsa_bind_98[] =
	"000000c0fe534d4240000100000000000b00000100000000000000000d00000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003900000017c01100b18d618700000000c9fb1ac900000000"
	"780000004800000000000000000000000000000000000100010000000000000005000b0310000000480000000300"
	"0000ffffffff000000000100000000000100785734123412cdabef000123456789ab00000000045d888aeb1cc911"
	"9fe808002b10486002000000";
static const char lsa_bind_ack_99[] =
	"000000b4fe534d4240000100000000000b00000101000000000000000d00000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003100000017c01100b18d618700000000c9fb1ac900000000"
	"70000000000000007000000044000000000000000000000005000c03100000004400000003000000d016d016f053"
	"00000c005c706970655c6c736173730000000100000000000000045d888aeb1cc9119fe808002b10486002000000";
static const char lsa_getusername_req_104[] =
	"000000c8fe534d4240000100000000000b00000100000000000000000e00000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003900000017c01100b18d618700000000c9fb1ac900000000"
	"78000000500000000000000000000000000000000000010001000000000000000500000310000000500000000200"
	"00003800000000002d00010000000d000000000000000d0000003100390032002e003100360038002e0032002e00"
	"3600390000000000000000000100000000000000";
static const char lsa_getusername_resp_106[] =
	"000000e4fe534d4240000100000000000b00000003000000000000000e000000000000000e00000000000000b62b"
	"f10300000000000000000000000000000000000000003100000017c01100b18d618700000000c9fb1ac900000000"
	"700000000000000070000000740000000000000000000000050002031000000074000000020000005c0000000000"
	"0000080002000c000c000c0002000600000000000000060000006a0075007300740069006e001000020014000200"
	"18001800180002000c000000000000000c0000004400430044004200460043003000370038004100360038000000"
	"0000";

/* frames 137-138: lsa_LookupNames of one name, answered with one domain */
static const char lsa_lookupnames_req_137[] =
	"000000dcfe534d4240000100000000000b00000100000000000000001300000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003900000017c01100b18d618700000000c9fb1ac900000000"
	"78000000640000000000000000000000000000000000010001000000000000000500000310000000640000000800"
	"00004c00000000000e0001000000a4fc79d9fb23c64fa6c60fa6ffd8d43501000000010000000c000c0001000000"
	"0600000000000000060000006a0075007300740069006e0000000000000000000100000000000000";
static const char lsa_lookupnames_resp_138[] =
	"00000108fe534d4240000100000000000b00000101000000000000001300000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003100000017c01100b18d618700000000c9fb1ac900000000"
	"70000000000000007000000098000000000000000000000005000203100000009800000008000000800000000000"
	"0000040002000100000008000200200000000100000018001a000c000200100002000d000000000000000c000000"
	"36003500410032004400300046003000410038003600360004000000010400000000000515000000753768bd53aa"
	"b33dedddc7ec01000000140002000100000001000000e8030000000000000100000000000000";


static const char *const lsa_frames[] = {
	lsa_create_req_92, lsa_create_resp_93, lsa_bind_98, lsa_bind_ack_99,
	lsa_getusername_req_104, lsa_getusername_resp_106,
	lsa_lookupnames_req_137, lsa_lookupnames_resp_138,
};

static void send_lsa_frames(struct wlt *t, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		send_hex(t, i % 2 ? WL_S2C : WL_C2S, lsa_frames[i]);
}

/* A response through a pipe whose interface tshark knows names its request
 * twice (-v): once in the dcerpc tree, again under the interface's own
 * (Wireshark packet-dcerpc.c dcerpc_try_handoff adds hf_dcerpc_request_in to
 * sub_tree); tshark 4.0 shows dcerpc.request_in 104,104 on frame 106. */
static void test_rpc_request_in_twice(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_lsa_frames(&t, 6);   /* the pipe's CREATE, the bind, GetUserName */
	wlt_finish(&t);
	const struct wlt_msg *req = wlt_find(&t, "smb2", "IOCTL request", 1);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "IOCTL response", 1);
	assert_non_null(req);
	assert_non_null(m);
	char frame[24];
	snprintf(frame, sizeof frame, "%llu", (unsigned long long)req->frame);
	assert_string_equal(wlt_field(m, "dcerpc.request_in", 0), frame);
	assert_string_equal(wlt_field(m, "dcerpc.request_in", 1), frame);
	assert_null(wlt_field(m, "dcerpc.request_in", 2));
	wlt_free(&t);
}

/* frames 113-114: lsa_OpenPolicy2 returns a policy handle; 125: lsa_Close passes it */
static const char lsa_openpolicy2_req_113[] =
	"000000e0fe534d4240000100000000000b00000100000000000000000f00000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003900000017c01100b18d618700000000c9fb1ac900000000"
	"78000000680000000000000000000000000000000000010001000000000000000500000310000000680000000400"
	"00005000000000002c00010000000d000000000000000d0000003100390032002e003100360038002e0032002e00"
	"36003900000000001800000000000000000000000000000000000000010000000c0000000200010000080000";
static const char lsa_openpolicy2_resp_114[] =
	"000000a0fe534d4240000100000000000b00000101000000000000000f00000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003100000017c01100b18d618700000000c9fb1ac900000000"
	"70000000000000007000000030000000000000000000000005000203100000003000000004000000180000000000"
	"0000010000004b3d5ce19539b4428fc9e45595ebd77300000000";
static const char lsa_close_req_125[] =
	"000000a4fe534d4240000100000000000b00000100000000000000001100000000000000fffe0000027dae35b62b"
	"f10300000000000000000000000000000000000000003900000017c01100b18d618700000000c9fb1ac900000000"
	"780000002c00000000000000000000000000000000000100010000000000000005000003100000002c0000000600"
	"00001400000000000000010000004b3d5ce19539b4428fc9e45595ebd773";


/* tshark names the frame a policy handle was opened in wherever it
 * passes (Wireshark packet-dcerpc-nt.c dissect_nt_policy_hnd): on the
 * OpenPolicy2 response that returns it and on the Close that passes it, as
 * dcerpc.nt.open_frame beside the pipe's own CREATE frame; GetUserName,
 * which takes no handle, has only the pipe's. */
static void test_rpc_policy_handle_frame(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_lsa_frames(&t, 5);   /* the pipe's CREATE, the bind, GetUserName's request */
	send_hex(&t, WL_C2S, lsa_openpolicy2_req_113);
	send_hex(&t, WL_S2C, lsa_openpolicy2_resp_114);
	send_hex(&t, WL_C2S, lsa_close_req_125);
	wlt_finish(&t);
	const struct wlt_msg *open = wlt_find(&t, "smb2", "IOCTL response", 1);
	assert_non_null(open);
	char frame[24];
	snprintf(frame, sizeof frame, "%llu", (unsigned long long)open->frame);
	assert_string_equal(wlt_field(open, "dcerpc.nt.open_frame", 1), frame);
	const struct wlt_msg *close = wlt_find(&t, "smb2", "IOCTL request", 3);
	assert_non_null(close);
	assert_string_equal(wlt_field(close, "dcerpc.nt.open_frame", 1), frame);
	assert_null(wlt_field(wlt_find(&t, "smb2", "IOCTL request", 1), "dcerpc.nt.open_frame", 1));
	wlt_free(&t);
}


/* The NDR of lsa_GetUserName and lsa_LookupNames as tshark 4.0 shows it on
 * those frames: referent ids (a top-level pointer's referent at once, an
 * embedded one's after its struct or array), NULL pointers, conformant
 * arrays' max counts, strings' offset and actual count. */
static void test_lsa_stub_fields(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_lsa_frames(&t, sizeof lsa_frames / sizeof lsa_frames[0]);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb2", "IOCTL request", 1);   /* 104 */
	assert_string_equal(wlt_field(m, "dcerpc.referent_id", 1), "0x1");
	assert_string_equal(wlt_field(m, "dcerpc.array.actual_count", 0), "13");
	assert_string_equal(wlt_field(m, "dcerpc.null_pointer", 1), "00000000");
	m = wlt_find(&t, "smb2", "IOCTL response", 1);   /* 106: justin, DCDBFC078A68 */
	assert_string_equal(wlt_field(m, "dcerpc.referent_id", 4), "0x20018");
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 0), "6");
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 1), "12");
	m = wlt_find(&t, "smb2", "IOCTL request", 2);    /* 137 */
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 0), "1");
	assert_string_equal(wlt_field(m, "dcerpc.array.actual_count", 0), "6");
	assert_non_null(wlt_field(m, "dcerpc.null_pointer", 0));
	m = wlt_find(&t, "smb2", "IOCTL response", 2);   /* 138: one domain, its SID, one sid */
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 0), "1");
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 1), "13");
	assert_string_equal(wlt_field(m, "dcerpc.array.max_count", 2), "1");
	assert_null(wlt_field(m, "dcerpc.array.max_count", 3));
	assert_string_equal(wlt_field(m, "dcerpc.referent_id", 4), "0x20014");
	wlt_free(&t);
}

/* Each LSA frame cut at every length (its NetBIOS length too), after the
 * frames before it whole: the NDR reads stop at the cut. */
static void test_lsa_frames_cut(void **state)
{
	(void)state;
	static struct buf w;
	for (size_t k = 4; k < sizeof lsa_frames / sizeof lsa_frames[0]; k++) {
		size_t n = strlen(lsa_frames[k]) / 2;
		assert_true(n <= sizeof w.b);
		for (size_t cut = 5; cut < n; cut++) {
			struct wlt t;
			init_verbose(&t);
			send_lsa_frames(&t, k);
			unhex(lsa_frames[k], w.b, n);
			w.b[1] = (uint8_t)((cut - 4) >> 16);
			w.b[2] = (uint8_t)((cut - 4) >> 8);
			w.b[3] = (uint8_t)(cut - 4);
			wlt_tcp_send(&t, k % 2 ? WL_S2C : WL_C2S, w.b, cut);
			wlt_finish(&t);
			assert_true(wlt_count(&t, "smb2", NULL) >= k);
			wlt_free(&t);
		}
	}
}

/* corpus raw_ntlm_in_smb.pcap, SMB1 frames by number: the IPC$ tree (25-26),
 * \srvsvc opened (28-29), bound over a Transaction (31-32), closed (37-38);
 * on the MY PICTURES tree (tid 2049) a QUERY_PATH_INFO for all info (81-82),
 * an NT_CREATE_ANDX that fails (123-124), a FIND_FIRST2 (126-127), and an
 * NT_CREATE_ANDX + READ_ANDX of fid 0 that fails (158-159) */
static const char *const smb1_frames[][2] = {
	{ "25",
	  "0000005eff534d4275000000000801c8000000000000000000000000ffff01000008030004ff000000080001"
	  "003300005c005c003100390032002e003100360038002e00350036002e003100300031005c00490050004300"
	  "240000003f3f3f3f3f00" },
	{ "26",
	  "00000038ff534d4275000000008801c8000000000000000000000000000801000008030007ff0038000100ff"
	  "010000ff010000070049504300000000" },
	{ "28",
	  "00000064ff534d42a2000000000801c8000000000000000000000000000801000008040018ff000000001000"
	  "1000000000000000000000c00000000000000000800000000300000001000000000000000200000000110000"
	  "5c007300720076007300760063000000" },
	{ "29",
	  "00000087ff534d42a2000000008801c800000000000000000000000000080100000804002aff008700000040"
	  "0100000000000000000000000000000000000000000000000000000000000000000000008000000000100000"
	  "0000000000000000000000000200ff05000000000000000000000000000000000000000000000000009b0112"
	  "009b0112000000" },
	{ "31",
	  "0000009cff534d4225000000000801c800000000000000000000000000080100000805001000004800000000"
	  "100000000000000000000000005400480054000200260000405900005c0050004900500045005c0000000000"
	  "05000b0310000000480000000300000000100010000000000100000000000100c84f324b7016d30112785a47"
	  "bf6ee18803000000045d888aeb1cc9119fe808002b10486002000000" },
	{ "32",
	  "0000007cff534d4225000000008801c800000000000000000000000000080100000805000a00004400000000"
	  "0038000000440038000000000045004805000c03100000004400000003000000001000106c1300000d005c50"
	  "4950455c73727673766300000100000000000000045d888aeb1cc9119fe808002b10486002000000" },
	{ "37",
	  "00000029ff534d4204000000000801c80000000000000000000000000008010000080700030040ffffffff00"
	  "00" },
	{ "38",
	  "00000023ff534d4204000000008801c80000000000000000000000000008010000080700000000" },
	{ "81",
	  "0000004eff534d4232000000000801c800000000000000000000000001080100000815000f0a000000020004"
	  "11000000000000000000000a00440000004e00010005000d000000000701000000005c000000" },
	{ "82",
	  "000000eeff534d4232000000008801c800000000000000000000000001080100000815000a0200b200000002"
	  "0038000000b2003c0000000000b7000000000001602b4edd2190d101c0d5b8c0d88fd101a02fdcdf2190d101"
	  "a02fdcdf2190d101110000000000000000000000000000000000000000000000010000000001000000000000"
	  "6a0000005c0044006f00630075006d0065006e0074007300200061006e006400200053006500740074006900"
	  "6e00670073005c0074006500730074005c004d007900200044006f00630075006d0065006e00740073005c00"
	  "4d007900200050006900630074007500720065007300" },
	{ "123",
	  "00000066ff534d42a2000000000801c8000000000000000000000000010801000008230018ff000000001000"
	  "1000000000000000010002000000000000000000800000000700000001000000000020000200000000130000"
	  "5c002e00680069006400640065006e000000" },
	{ "124",
	  "00000023ff534d42a2340000c08801c80000000000000000000000000108010000082300000000" },
	{ "126",
	  "00000056ff534d4232000000000801c800000000000000000000000001080100000824000f120000000a0004"
	  "1100000000000000000000120044000000560001000100150000000016002d0006000401000000005c002a00"
	  "0000" },
	{ "127",
	  "0000020cff534d4232000000008801c800000000000000000000000001080100000824000a0a00c80100000a"
	  "0038000000c801440000000000d501000508040001000000400100006000000000000000602b4edd2190d101"
	  "c0d5b8c0d88fd101a02fdcdf2190d101a02fdcdf2190d1010000000000000000000000000000000011000000"
	  "020000000000000000000000000000000000000000000000000000000000000000002e006800000000000000"
	  "602b4edd2190d101c0d5b8c0d88fd101a02fdcdf2190d101a02fdcdf2190d101000000000000000000000000"
	  "0000000011000000040000000000000000000000000000000000000000000000000000000000000000002e00"
	  "2e000000000000007800000000000000602b4edd2190d101d03631b8d88fd101a02fdcdf2190d101c0d5b8c0"
	  "d88fd101b600000000000000b800000000000000260000001600000000000000000000000000000000000000"
	  "00000000000000000000000000004400650073006b0074006f0070002e0069006e0069000000000000000000"
	  "00000000c03951dd2190d101c03951dd2190d101c03951dd2190d101c0d5b8c0d88fd1019c02000000000000"
	  "00100000000000002000000026000000000000001800530041004d0050004c0045007e0031002e004c004e00"
	  "4b00530061006d0070006c0065002000500069006300740075007200650073002e006c006e006b0000000000" },
	{ "158",
	  "000000ddff534d42a2000000000801c80000000000000000000000000108010000082f00182e00c200006c00"
	  "00000000000000000100000000000000000000008000000007000000010000000000000002000000006f0000"
	  "5c00530061006d0070006c0065002000500069006300740075007200650073002e006c006e006b003a006300"
	  "6f006d002e006100700070006c0065002e004c00610075006e00630068005300650072007600690063006500"
	  "73002e004f00700065006e00570069007400680000000cff0000000000000000000010001000000000001000"
	  "0000000000" },
	{ "159",
	  "00000023ff534d42a2340000c08801c80000000000000000000000000108010000082f00000000" },
};

static void send_smb1_frames(struct wlt *t, size_t upto)
{
	for (size_t i = 0; i < upto; i++)
		send_hex(t, i % 2 ? WL_S2C : WL_C2S, smb1_frames[i][1]);
}

/* SMB1 file ids as tshark 4.0 names them on those frames: under every FID
 * the file's name and the access its NT_CREATE_ANDX asked for (smb.file,
 * smb.access_mask); a response names its request's fid once more, a
 * Transaction on the pipe twice (packet-smb.c adds the request's saved fid,
 * packet-smb-pipe.c the call's); an NT_CREATE_ANDX error without words opens
 * fid 0 under the name asked for, unless a READ_ANDX of the same request
 * took the name's place (frame 159: "FID: 0x0000", no name). TRANS2 names
 * the path asked for, the FILE_ALL_INFO name and each FIND_FIRST2 entry. */
static void test_smb1_fid_names(void **state)
{
	(void)state;
	struct wlt t;
	init_verbose(&t);
	send_smb1_frames(&t, sizeof smb1_frames / sizeof smb1_frames[0]);
	wlt_finish(&t);
	const struct wlt_msg *m = wlt_find(&t, "smb", "response", 0);
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0x1ff");   /* maximal share access */
	assert_string_equal(wlt_field(m, "smb.access_mask", 1), "0x1ff");   /* ... for a guest */
	m = wlt_find(&t, "smb", "request", 1);
	assert_string_equal(wlt_field(m, "smb.file", 0), "\\\\srvsvc");
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0xc0000000");
	m = wlt_find(&t, "smb", "response", 1);
	assert_string_equal(wlt_field(m, "smb.file", 0), "\\\\srvsvc");
	assert_string_equal(wlt_field(m, "smb.access_mask", 0), "0xc0000000");
	assert_string_equal(wlt_field(m, "smb.access_mask", 1), "0x12019b");   /* past WordCount 42 */
	assert_non_null(wlt_field(wlt_find(&t, "smb", "request", 2), "smb.file", 0));
	assert_null(wlt_field(wlt_find(&t, "smb", "request", 2), "smb.file", 1));
	assert_non_null(wlt_field(wlt_find(&t, "smb", "response", 2), "smb.file", 1));
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "request", 3), "smb.file", 0), "\\\\srvsvc");
	m = wlt_find(&t, "smb", "response", 3);
	assert_string_equal(wlt_field(m, "smb.file", 0), "\\\\srvsvc");
	assert_null(wlt_field(m, "smb.file", 1));
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "request", 4), "smb.file", 0), "\\\\");
	m = wlt_find(&t, "smb", "response", 4);
	assert_string_equal(wlt_field(m, "smb.file", 0), "\\\\");
	assert_string_equal(wlt_field(m, "smb.file", 1),
			    "\\\\Documents and Settings\\\\test\\\\My Documents\\\\My Pictures");
	assert_string_equal(wlt_field(wlt_find(&t, "smb", "response", 5), "smb.file", 0), "\\\\.hidden");
	m = wlt_find(&t, "smb", "response", 6);
	assert_string_equal(wlt_field(m, "smb.file", 0), ".");
	assert_string_equal(wlt_field(m, "smb.file", 3), "Sample Pictures.lnk");
	assert_null(wlt_field(m, "smb.file", 4));
	m = wlt_find(&t, "smb", "request", 7);
	assert_string_equal(wlt_field(m, "smb.file", 1), "\\\\.hidden");   /* the READ_ANDX's fid 0 */
	assert_null(wlt_field(wlt_find(&t, "smb", "response", 7), "smb.file", 0));
	wlt_free(&t);
}

/* Each of those frames cut at every length (its NetBIOS length cut too),
 * after the frames before it whole: no read past a message. */
static void test_smb1_frames_cut(void **state)
{
	(void)state;
	static struct buf w;
	for (size_t k = 0; k < sizeof smb1_frames / sizeof smb1_frames[0]; k++) {
		size_t n = strlen(smb1_frames[k][1]) / 2;
		assert_true(n <= sizeof w.b);
		for (size_t cut = 5; cut < n; cut++) {
			struct wlt t;
			init_verbose(&t);
			send_smb1_frames(&t, k);
			unhex(smb1_frames[k][1], w.b, n);
			w.b[1] = (uint8_t)((cut - 4) >> 16);
			w.b[2] = (uint8_t)((cut - 4) >> 8);
			w.b[3] = (uint8_t)(cut - 4);
			wlt_tcp_send(&t, k % 2 ? WL_S2C : WL_C2S, w.b, cut);
			wlt_finish(&t);
			assert_true(wlt_count(&t, "smb", NULL) >= k / 2);
			wlt_free(&t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_negotiate_and_framing),
		cmocka_unit_test(test_login_ntlmssp),
		cmocka_unit_test(test_ntlmssp_outside_blob),
		cmocka_unit_test(test_utf16_odd_and_surrogates),
		cmocka_unit_test(test_tree_tracking_and_create),
		cmocka_unit_test(test_compound_chain),
		cmocka_unit_test(test_netbios_lengths_that_lie),
		cmocka_unit_test(test_big_pdu_dissected_at_head),
		cmocka_unit_test(test_smb1_upgrade_and_andx),
		cmocka_unit_test(test_transform),
		cmocka_unit_test(test_transform_names_login),
		cmocka_unit_test(test_preauth_hash_needs_request),
		cmocka_unit_test(test_query_directory_names),
		cmocka_unit_test(test_truncation_loop),
		cmocka_unit_test(test_probe_other_port),
		cmocka_unit_test(test_netbios_datagram),
		cmocka_unit_test(test_md4_nt_hash),
		cmocka_unit_test(test_ntlmv2_session_key),
		cmocka_unit_test(test_aead_round_trip),
		cmocka_unit_test(test_decrypt_with_smb_key),
		cmocka_unit_test(test_decrypt_hostile),
		cmocka_unit_test(test_wrong_password_login),
		cmocka_unit_test(test_header_fields_everywhere),
		cmocka_unit_test(test_close_and_all_info_times),
		cmocka_unit_test(test_create_context_fid),
		cmocka_unit_test(test_fid_requests),
		cmocka_unit_test(test_body_fields_by_default),
		cmocka_unit_test(test_smb1_status_and_tree_path),
		cmocka_unit_test(test_pending_table_grows),
		cmocka_unit_test(test_smb1_primary_domain),
		cmocka_unit_test(test_smb1_negotiate_spnego),
		cmocka_unit_test(test_lease_fields),
		cmocka_unit_test(test_aapl_and_all_info_fields),
		cmocka_unit_test(test_write_qfid_secinfo_fields),
		cmocka_unit_test(test_hostile_contexts_verbose),
		cmocka_unit_test(test_net_interfaces_and_compression),
		cmocka_unit_test(test_rpc_request_in_twice),
		cmocka_unit_test(test_rpc_policy_handle_frame),
		cmocka_unit_test(test_lsa_stub_fields),
		cmocka_unit_test(test_lsa_frames_cut),
		cmocka_unit_test(test_smb1_fid_names),
		cmocka_unit_test(test_smb1_frames_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
