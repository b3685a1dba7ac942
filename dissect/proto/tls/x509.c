/* x509.c - an X.509 certificate's fields (RFC 5280 4.1, the extensions of 4.2.1
 * and 4.2.2.1; attribute types of X.520 / RFC 5280 appendix A) with the names
 * and value forms of Wireshark's x509af/x509ce/x509if/x509sat dissectors.
 *
 * Wireshark's asn2wrs dissectors give a SEQUENCE OF / SET OF its number of
 * items, a CHOICE the index of its alternative, an OID its dotted text, a
 * BIT STRING its bytes after the unused-bits octet: the fields here carry the
 * same. OpenSSL has parsed the certificate; what it keeps only decoded (the
 * names as encoded, the extension values) is walked here with the BER reader.
 */
#include <stdio.h>
#include <string.h>
#include <openssl/asn1.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "ber.h"
#include "wl.h"
#include "x509.h"

struct x509_out {
	struct wl_msg *m;
	int full;           /* all fields (-v), not only the default ones */
	const char *what;   /* the certificate, for notes */
};

/* ---- small readers ---- */

/* The number of elements in c (a SEQUENCE OF or SET OF's value). */
static unsigned items(struct wl_cur c)
{
	unsigned n = 0;
	struct wl_ber h;
	while (wl_left(&c)) {
		wl_ber_tlv(&c, &h);
		n += wl_ok(&c);
	}
	return n;
}

static struct wl_cur take_seq(struct wl_cur *c)
{
	return wl_ber_take(c, WL_BER_UNIV, WL_BER_SEQUENCE);
}

/* An error inside a part is its container's: the extension gets its note. */
static void done(struct wl_cur *outer, const struct wl_cur *inner)
{
	if (!wl_ok(inner))
		wl_invalid(outer);
}

static void f_oid(const struct x509_out *o, const char *name, struct wl_cur *v)
{
	char text[WL_BER_OID_TEXT];
	if (wl_ber_oid(v, text, sizeof text))
		wl_f_cstr(o->m, name, text);
}

static void f_obj(struct wl_msg *m, const char *name, const ASN1_OBJECT *obj)
{
	char text[WL_BER_OID_TEXT];
	if (obj && OBJ_obj2txt(text, sizeof text, obj, 1) > 0)
		wl_f_cstr(m, name, text);
}

static void f_cur_str(const struct x509_out *o, const char *name, const struct wl_cur *v)
{
	wl_f_str(o->m, name, v->p, wl_left(v));
}

static void f_cur_bytes(const struct x509_out *o, const char *name, const struct wl_cur *v)
{
	wl_f_bytes(o->m, name, v->p, wl_left(v));
}

/* ---- names (RFC 5280 4.1.2.4) ---- */

enum attr_syntax { ATTR_DIRSTRING, ATTR_COUNTRY, ATTR_PRINTABLE };

/* The attribute types whose values Wireshark decodes, by syntax. */
static const struct { const char *oid; enum attr_syntax syntax; } attr_types[] = {
	{ "2.5.4.3", ATTR_DIRSTRING },   /* commonName */
	{ "2.5.4.4", ATTR_DIRSTRING },   /* surname */
	{ "2.5.4.5", ATTR_PRINTABLE },   /* serialNumber */
	{ "2.5.4.6", ATTR_COUNTRY },     /* countryName */
	{ "2.5.4.7", ATTR_DIRSTRING },   /* localityName */
	{ "2.5.4.8", ATTR_DIRSTRING },   /* stateOrProvinceName */
	{ "2.5.4.9", ATTR_DIRSTRING },   /* streetAddress */
	{ "2.5.4.10", ATTR_DIRSTRING },  /* organizationName */
	{ "2.5.4.11", ATTR_DIRSTRING },  /* organizationalUnitName */
	{ "2.5.4.12", ATTR_DIRSTRING },  /* title */
	{ "2.5.4.15", ATTR_DIRSTRING },  /* businessCategory */
	{ "2.5.4.41", ATTR_DIRSTRING },  /* name */
	{ "2.5.4.42", ATTR_DIRSTRING },  /* givenName */
	{ "2.5.4.43", ATTR_DIRSTRING },  /* initials */
	{ "2.5.4.46", ATTR_PRINTABLE },  /* dnQualifier */
	{ "1.3.6.1.4.1.311.60.2.1.2", ATTR_DIRSTRING }, /* EV jurisdiction state */
	{ "1.3.6.1.4.1.311.60.2.1.3", ATTR_COUNTRY },   /* EV jurisdiction country */
};

/* DirectoryString (X.520): the CHOICE's index, then the text of the two
 * alternatives met in practice. */
static void directory_string(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	if (!wl_ok(c) || h.cls != WL_BER_UNIV)
		return;
	static const struct { uint8_t tag; uint8_t index; const char *field; } alts[] = {
		{ 20, 0, NULL }, { 19, 1, "x509sat.printableString" }, { 28, 2, NULL },
		{ 30, 3, NULL }, { 12, 4, "x509sat.uTF8String" },
	};
	for (size_t i = 0; i < sizeof alts / sizeof alts[0]; i++) {
		if (h.tag != alts[i].tag)
			continue;
		wl_f_uint(o->m, "x509sat.DirectoryString", alts[i].index);
		if (alts[i].field)
			f_cur_str(o, alts[i].field, &v);
	}
}

static void printable(const struct x509_out *o, struct wl_cur *c, const char *field)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	if (wl_ok(c) && h.cls == WL_BER_UNIV && h.tag == 19)
		f_cur_str(o, field, &v);
}

/* AttributeTypeAndValue: the type, and the value when its syntax is known. */
static void attribute(const struct x509_out *o, struct wl_cur *atv)
{
	char oid[WL_BER_OID_TEXT];
	struct wl_cur t = wl_ber_take(atv, WL_BER_UNIV, WL_BER_OID);
	if (!wl_ber_oid(&t, oid, sizeof oid))
		return;
	wl_f_cstr(o->m, "x509if.oid", oid);
	for (size_t i = 0; i < sizeof attr_types / sizeof attr_types[0]; i++) {
		if (strcmp(oid, attr_types[i].oid) != 0)
			continue;
		if (attr_types[i].syntax == ATTR_DIRSTRING)
			directory_string(o, atv);
		else
			printable(o, atv, attr_types[i].syntax == ATTR_COUNTRY ?
				  "x509sat.CountryName" : "x509sat.PrintableString");
	}
}

/* RDNSequence: its length under count_field, each RDN's under
 * x509if.RDNSequence_item, then their attributes. */
static void rdn_sequence(const struct x509_out *o, struct wl_cur *seq, const char *count_field)
{
	wl_f_uint(o->m, count_field, items(*seq));
	while (wl_left(seq)) {
		struct wl_cur rdn = wl_ber_take(seq, WL_BER_UNIV, WL_BER_SET);
		if (!wl_ok(seq))
			break;
		wl_f_uint(o->m, "x509if.RDNSequence_item", items(rdn));
		while (wl_left(&rdn)) {
			struct wl_cur atv = wl_ber_take(&rdn, WL_BER_UNIV, WL_BER_SEQUENCE);
			attribute(o, &atv);
		}
	}
}

/* A parsed Name as encoded: OpenSSL keeps the certificate's own encoding. */
static void name_der(const struct x509_out *o, const X509_NAME *name, const char *count_field)
{
	const unsigned char *der = NULL;
	size_t n = 0;
	if (!name || !X509_NAME_get0_der(name, &der, &n))
		return;
	struct wl_cur c = wl_cur_make(der, n);
	struct wl_cur seq = wl_ber_take(&c, WL_BER_UNIV, WL_BER_SEQUENCE);
	rdn_sequence(o, &seq, count_field);
}

void wl_x509_name(struct wl_msg *m, const X509_NAME *name, const char *what)
{
	struct x509_out o = { m, 1, what };
	name_der(&o, name, "x509if.rdnSequence");
}

/* ---- GeneralName (RFC 5280 4.2.1.6) ---- */

enum { GN_RFC822 = 1, GN_DNS = 2, GN_DIRNAME = 4, GN_URI = 6, GN_IP = 7, GN_RID = 8 };

/* One GeneralName; index_field (if any) carries its CHOICE index. DNS names and
 * addresses are default fields, the rest only with full. */
static void general_name(const struct x509_out *o, struct wl_cur *c, const char *index_field)
{
	struct wl_ber h;
	struct wl_cur v = wl_ber_tlv(c, &h);
	if (!wl_ok(c) || h.cls != WL_BER_CTX || h.tag > GN_RID) {
		wl_invalid(c);
		return;
	}
	if (o->full && index_field)
		wl_f_uint(o->m, index_field, h.tag);
	if (h.tag == GN_DNS)
		f_cur_str(o, "x509ce.dNSName", &v);
	else if (h.tag == GN_IP && wl_left(&v) == 4)
		wl_f_ipv4(o->m, "x509ce.IPAddress.ipv4", v.p);
	else if (h.tag == GN_IP && wl_left(&v) == 16)
		wl_f_ipv6(o->m, "x509ce.IPAddress.ipv6", v.p);
	if (!o->full)
		return;
	if (h.tag == GN_RFC822) {
		f_cur_str(o, "x509ce.rfc822Name", &v);
	} else if (h.tag == GN_URI) {
		f_cur_str(o, "x509ce.uniformResourceIdentifier", &v);
	} else if (h.tag == GN_RID) {
		f_oid(o, "x509ce.registeredID", &v);
	} else if (h.tag == GN_DIRNAME) {   /* explicit: a Name inside */
		struct wl_cur seq = wl_ber_take(&v, WL_BER_UNIV, WL_BER_SEQUENCE);
		wl_f_uint(o->m, "x509ce.directoryName", 0);
		rdn_sequence(o, &seq, "x509if.rdnSequence");
	}
	done(c, &v);
}

/* GeneralNames' value: its length under count_field, then each name. */
static void general_names(const struct x509_out *o, struct wl_cur *v, const char *count_field)
{
	if (o->full)
		wl_f_uint(o->m, count_field, items(*v));
	while (wl_left(v))
		general_name(o, v, "x509ce.GeneralName");
}

/* ---- extensions (RFC 5280 4.2) ---- */


static void ext_basic_constraints(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	if (wl_ber_next_is(&seq, WL_BER_UNIV, WL_BER_BOOLEAN)) {
		struct wl_cur v = wl_ber_take(&seq, WL_BER_UNIV, WL_BER_BOOLEAN);
		int ca = wl_ber_bool(&v);
		if (wl_ok(&v))
			wl_f_bool(o->m, "x509ce.cA", ca);
	}
	if (wl_ber_next_is(&seq, WL_BER_UNIV, WL_BER_INTEGER)) {
		struct wl_cur v = wl_ber_take(&seq, WL_BER_UNIV, WL_BER_INTEGER);
		int ovf = 0;
		uint64_t n = wl_ber_uint(&v, &ovf);
		if (wl_ok(&v) && !ovf)
			wl_f_uint(o->m, "x509ce.pathLenConstraint", n);
	}
	done(c, &seq);
}

/* KeyUsage: the bits' bytes, then each of the nine named bits, set or not. */
static void ext_key_usage(const struct x509_out *o, struct wl_cur *c)
{
	static const char *const bits[] = {   /* names are kept, not copied: whole */
		"x509ce.KeyUsage.digitalSignature", "x509ce.KeyUsage.contentCommitment",
		"x509ce.KeyUsage.keyEncipherment", "x509ce.KeyUsage.dataEncipherment",
		"x509ce.KeyUsage.keyAgreement", "x509ce.KeyUsage.keyCertSign",
		"x509ce.KeyUsage.cRLSign", "x509ce.KeyUsage.encipherOnly",
		"x509ce.KeyUsage.decipherOnly",
	};
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_BITSTRING);
	uint8_t unused = wl_u8(&v);
	if (!wl_ok(&v) || unused > 7) {
		wl_invalid(c);
		return;
	}
	const uint8_t *p = v.p;
	size_t n = wl_left(&v);
	f_cur_bytes(o, "x509ce.KeyUsage", &v);
	for (unsigned i = 0; i < sizeof bits / sizeof bits[0]; i++)
		wl_f_bool(o->m, bits[i], i / 8 < n && (p[i / 8] & (0x80 >> (i % 8))));
}

static void ext_octets(const struct x509_out *o, struct wl_cur *c, const char *field)
{
	struct wl_cur v = wl_ber_take(c, WL_BER_UNIV, WL_BER_OCTETS);
	if (wl_ok(c))
		f_cur_bytes(o, field, &v);
}

/* AuthorityKeyIdentifier: [0] keyIdentifier, [1] authorityCertIssuer,
 * [2] authorityCertSerialNumber, all implicit. */
static void ext_authority_key_id(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	while (wl_left(&seq)) {
		struct wl_ber h;
		struct wl_cur v = wl_ber_tlv(&seq, &h);
		if (!wl_ok(&seq) || h.cls != WL_BER_CTX) {
			wl_invalid(&seq);
			break;
		}
		if (h.tag == 0)
			f_cur_bytes(o, "x509ce.keyIdentifier", &v);
		else if (h.tag == 1)
			general_names(o, &v, "x509ce.authorityCertIssuer");
		else if (h.tag == 2)
			f_cur_bytes(o, "x509ce.authorityCertSerialNumber", &v);
		done(&seq, &v);
	}
	done(c, &seq);
}

static void ext_key_purposes(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	wl_f_uint(o->m, "x509ce.KeyPurposeIDs", items(seq));
	while (wl_left(&seq)) {
		struct wl_cur v = wl_ber_take(&seq, WL_BER_UNIV, WL_BER_OID);
		f_oid(o, "x509ce.KeyPurposeId", &v);
		done(&seq, &v);
	}
	done(c, &seq);
}

/* certificatePolicies: each policy's OID and its qualifiers' OIDs (the
 * qualifiers themselves are pkix1explicit's). */
static void ext_policies(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	wl_f_uint(o->m, "x509ce.CertificatePoliciesSyntax", items(seq));
	while (wl_left(&seq)) {
		struct wl_cur info = take_seq(&seq);
		struct wl_cur id = wl_ber_take(&info, WL_BER_UNIV, WL_BER_OID);
		f_oid(o, "x509ce.policyIdentifier", &id);
		done(&info, &id);
		if (!wl_left(&info)) {
			done(&seq, &info);
			continue;
		}
		struct wl_cur quals = take_seq(&info);
		wl_f_uint(o->m, "x509ce.policyQualifiers", items(quals));
		while (wl_left(&quals)) {
			struct wl_cur q = take_seq(&quals);
			struct wl_cur qid = wl_ber_take(&q, WL_BER_UNIV, WL_BER_OID);
			f_oid(o, "x509ce.id", &qid);
			done(&quals, &qid);
		}
		done(&info, &quals);
		done(&seq, &info);
	}
	done(c, &seq);
}

/* cRLDistributionPoints: [0] distributionPoint (a CHOICE of [0] fullName and
 * [1] nameRelativeToCRLIssuer), [1] reasons, [2] cRLIssuer. */
static void distribution_point(const struct x509_out *o, struct wl_cur *dp)
{
	while (wl_left(dp)) {
		struct wl_ber h;
		struct wl_cur v = wl_ber_tlv(dp, &h);
		if (!wl_ok(dp) || h.cls != WL_BER_CTX) {
			wl_invalid(dp);
			break;
		}
		if (h.tag == 0) {
			struct wl_ber n;
			struct wl_cur name = wl_ber_tlv(&v, &n);
			if (!wl_ok(&v) || n.cls != WL_BER_CTX || n.tag > 1) {
				wl_invalid(dp);
				break;
			}
			wl_f_uint(o->m, "x509ce.distributionPoint", n.tag);
			if (n.tag == 0)
				general_names(o, &name, "x509ce.fullName");
			done(&v, &name);
		} else if (h.tag == 2) {
			general_names(o, &v, "x509ce.cRLIssuer");
		}
		done(dp, &v);
	}
}

static void ext_crl_points(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	wl_f_uint(o->m, "x509ce.CRLDistPointsSyntax", items(seq));
	while (wl_left(&seq)) {
		struct wl_cur dp = take_seq(&seq);
		distribution_point(o, &dp);
		done(&seq, &dp);
	}
	done(c, &seq);
}

/* authorityInfoAccess (RFC 5280 4.2.2.1): pkix1implicit's, but each
 * accessLocation is an x509ce GeneralName (its index is pkix1implicit's). */
static void ext_info_access(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	while (wl_left(&seq)) {
		struct wl_cur ad = take_seq(&seq);
		wl_ber_take(&ad, WL_BER_UNIV, WL_BER_OID);
		general_name(o, &ad, NULL);
		done(&seq, &ad);
	}
	done(c, &seq);
}

static void ext_alt_names(const struct x509_out *o, struct wl_cur *c)
{
	struct wl_cur seq = take_seq(c);
	general_names(o, &seq, "x509ce.GeneralNames");
	done(c, &seq);
}

/* The extensions walked here, by OID; the rest are shown by OID alone. */
static const struct {
	const char *oid;
	void (*walk)(const struct x509_out *, struct wl_cur *);
} ext_walkers[] = {
	{ "2.5.29.14", NULL },  /* subjectKeyIdentifier: an OCTET STRING */
	{ "2.5.29.15", ext_key_usage },
	{ "2.5.29.17", ext_alt_names },
	{ "2.5.29.18", ext_alt_names },
	{ "2.5.29.19", ext_basic_constraints },
	{ "2.5.29.31", ext_crl_points },
	{ "2.5.29.32", ext_policies },
	{ "2.5.29.35", ext_authority_key_id },
	{ "2.5.29.37", ext_key_purposes },
	{ "1.3.6.1.5.5.7.1.1", ext_info_access },
};

static void extension_value(const struct x509_out *o, const char *oid, const ASN1_OCTET_STRING *data)
{
	struct wl_cur c = wl_cur_make(ASN1_STRING_get0_data(data), (size_t)ASN1_STRING_length(data));
	for (size_t i = 0; i < sizeof ext_walkers / sizeof ext_walkers[0]; i++) {
		if (strcmp(oid, ext_walkers[i].oid) != 0)
			continue;
		if (ext_walkers[i].walk)
			ext_walkers[i].walk(o, &c);
		else
			ext_octets(o, &c, "x509ce.SubjectKeyIdentifier");
		if (!wl_ok(&c) || wl_left(&c))
			wl_note(o->m, WL_ERROR, "malformed: %s: its extension %s is not valid DER "
				"of its type", o->what, oid);
	}
}

static void extensions(const struct x509_out *o, X509 *c)
{
	int n = X509_get_ext_count(c);
	if (n <= 0)
		return;
	wl_f_uint(o->m, "x509af.extensions", (uint64_t)n);
	for (int i = 0; i < n; i++) {
		X509_EXTENSION *e = X509_get_ext(c, i);
		char oid[WL_BER_OID_TEXT];
		if (OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(e), 1) <= 0)
			continue;
		wl_f_cstr(o->m, "x509af.extension.id", oid);
		if (X509_EXTENSION_get_critical(e))  /* DER leaves out the default FALSE */
			wl_f_bool(o->m, "x509af.critical", 1);
		extension_value(o, oid, X509_EXTENSION_get_data(e));
	}
}

void wl_x509_alt_names(struct wl_msg *m, X509 *c, int full, const char *what)
{
	struct x509_out o = { m, 0, what };
	if (full)
		return;   /* wl_x509_cert() has shown them among the extensions */
	int at = X509_get_ext_by_NID(c, NID_subject_alt_name, -1);
	const ASN1_OCTET_STRING *data = at >= 0 ? X509_EXTENSION_get_data(X509_get_ext(c, at)) : NULL;
	if (data)
		extension_value(&o, "2.5.29.17", data);
}

/* ---- the TBSCertificate's other parts ---- */

/* The serial as tshark shows it: the DER INTEGER's content octets as they
 * are, with the leading 00 that keeps a positive number's top bit clear;
 * OpenSSL keeps only the magnitude. It refuses INTEGERs that are not
 * minimal, so encoding the parsed one again gives the certificate's bytes. */
static void serial_number(struct wl_msg *m, const ASN1_INTEGER *serial)
{
	unsigned char *der = NULL;
	int n = serial ? i2d_ASN1_INTEGER(serial, &der) : 0;
	const unsigned char *p = der;
	long len = 0;
	int tag = 0, cls = 0;
	if (n > 0 && !(ASN1_get_object(&p, &len, &tag, &cls, n) & 0x80) && tag == V_ASN1_INTEGER)
		wl_f_bytes(m, "x509af.serialNumber", p, (size_t)len);
	OPENSSL_free(der);
}

/* Time: the CHOICE's index under field, and a UTCTime as tshark writes it
 * ("2026-11-25 17:55:57 (UTC)"; RFC 5280 4.1.2.5.1: YY below 50 is 20YY). */
static void validity_time(const struct x509_out *o, const char *field, const ASN1_TIME *t)
{
	if (!t)
		return;
	int type = ASN1_STRING_type(t);
	if (type != V_ASN1_UTCTIME && type != V_ASN1_GENERALIZEDTIME)
		return;
	wl_f_uint(o->m, field, type == V_ASN1_GENERALIZEDTIME);
	const char *s = (const char *)ASN1_STRING_get0_data(t);
	if (type != V_ASN1_UTCTIME || ASN1_STRING_length(t) != 13 || s[12] != 'Z')
		return;
	for (int i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return;
	wl_f_strf(o->m, "x509af.utcTime", "%s%.2s-%.2s-%.2s %.2s:%.2s:%.2s (UTC)",
		  s[0] < '5' ? "20" : "19", s, s + 2, s + 4, s + 6, s + 8, s + 10);
}

void wl_x509_algorithm(struct wl_msg *m, const ASN1_OBJECT *alg)
{
	f_obj(m, "x509af.algorithm.id", alg);
}

static void algorithm(const struct x509_out *o, const X509_ALGOR *a)
{
	const ASN1_OBJECT *obj = NULL;
	if (a) {
		X509_ALGOR_get0(&obj, NULL, NULL, a);
		f_obj(o->m, "x509af.algorithm.id", obj);
	}
}

static void public_key(const struct x509_out *o, X509 *c)
{
	X509_PUBKEY *pub = X509_get_X509_PUBKEY(c);
	const unsigned char *key = NULL;
	int n = 0;
	X509_ALGOR *alg = NULL;
	if (!pub || !X509_PUBKEY_get0_param(NULL, &key, &n, &alg, pub))
		return;
	algorithm(o, alg);
	wl_f_bytes(o->m, "x509af.subjectPublicKey", key, (size_t)n);
}

static void signature(const struct x509_out *o, X509 *c)
{
	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *alg = NULL;
	X509_get0_signature(&sig, &alg, c);
	algorithm(o, alg);
	if (sig)
		wl_f_bytes(o->m, "x509af.encrypted", ASN1_STRING_get0_data(sig),
			   (size_t)ASN1_STRING_length(sig));
}

static void full_fields(const struct x509_out *o, X509 *c)
{
	long version = X509_get_version(c);
	if (version != X509_VERSION_1)   /* DER leaves out the default v1 */
		wl_f_int(o->m, "x509af.version", version);
	algorithm(o, X509_get0_tbs_sigalg(c));
	wl_f_uint(o->m, "x509af.issuer", 0);   /* Name's one alternative, rdnSequence */
	name_der(o, X509_get_issuer_name(c), "x509if.rdnSequence");
	validity_time(o, "x509af.notBefore", X509_get0_notBefore(c));
	validity_time(o, "x509af.notAfter", X509_get0_notAfter(c));
	wl_f_uint(o->m, "x509af.subject", 0);
	name_der(o, X509_get_subject_name(c), "x509af.rdnSequence");
	public_key(o, c);
	extensions(o, c);
	signature(o, c);
}

void wl_x509_cert(struct wl_msg *m, X509 *c, int full, const char *what)
{
	struct x509_out o = { m, full, what };
	serial_number(m, X509_get0_serialNumber(c));
	if (full)
		full_fields(&o, c);
}
