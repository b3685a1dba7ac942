/* ldap_client.c - the LDAP exchanges, real clients on OpenLDAP's libldap:
 *   ldap-search  anonymous bind; search ou=users, subtree, (objectclass=person),
 *                attributes [sn]; then the whole tree, printed as LDIF the way
 *                ldapsearch prints it; unbind.
 *   ldap-bind    simple bind as cn=admin with the right password and Who-am-I,
 *                then with a wrong one (invalidCredentials, 49); unbind.
 * LDAPNOINIT=1 keeps libldap away from /etc/ldap/ldap.conf and ~/.ldaprc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldap.h>
#include <openssl/evp.h>

#include "drive.h"
#include "ldap_lab.h"

static LDAP *lab_connect(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	char url[320];
	LDAP *ld = NULL;
	int v3 = LDAP_VERSION3;
	setenv("LDAPNOINIT", "1", 1);
	snprintf(url, sizeof url, "ldap://%s:%u", cfg->host, cfg->port);
	if (ldap_initialize(&ld, url) != LDAP_SUCCESS || !ld) {
		wl_drive_fail(res, "ldap_initialize(%s) failed", url);
		return NULL;
	}
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &v3);
	return ld;
}

static int simple_bind(LDAP *ld, const char *dn, const char *pw, FILE *out)
{
	struct berval cred = { pw ? strlen(pw) : 0, (char *)(pw ? pw : "") };
	int rc = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
	if (rc != LDAP_SUCCESS)
		fprintf(out, "ldap_bind: %s (%d)\n", ldap_err2string(rc), rc);
	return rc;
}

/* A value as LDIF writes it: plain when safe, else base64 after "::". */
static void ldif_value(FILE *out, const char *attr, const struct berval *v)
{
	int safe = v->bv_len == 0 || (v->bv_val[0] != ' ' && v->bv_val[0] != ':' && v->bv_val[0] != '<');
	for (ber_len_t i = 0; safe && i < v->bv_len; i++) {
		unsigned char c = (unsigned char)v->bv_val[i];
		safe = c >= 0x20 && c < 0x7f;
	}
	if (safe) {
		fprintf(out, "%s: %.*s\n", attr, (int)v->bv_len, v->bv_val);
		return;
	}
	size_t n = v->bv_len > 3000 ? 3000 : v->bv_len;
	unsigned char b64[4100];
	EVP_EncodeBlock(b64, (const unsigned char *)v->bv_val, (int)n);
	fprintf(out, "%s:: %s\n", attr, b64);
}

/* Runs one search and prints the entries as LDIF; the entry count, or -1. */
static int search(LDAP *ld, const char *base, const char *filter, char **attrs, FILE *out)
{
	LDAPMessage *res = NULL;
	int rc = ldap_search_ext_s(ld, base, LDAP_SCOPE_SUBTREE, filter, attrs, 0, NULL, NULL, NULL,
				   0, &res);
	fprintf(out, "# base <%s> with scope subtree\n# filter: %s\n# requesting: %s\n#\n\n", base, filter,
		attrs ? attrs[0] : "ALL");
	if (rc != LDAP_SUCCESS) {
		fprintf(out, "ldap_search_ext: %s (%d)\n", ldap_err2string(rc), rc);
		ldap_msgfree(res);
		return -1;
	}
	int n = 0;
	for (LDAPMessage *e = ldap_first_entry(ld, res); e; e = ldap_next_entry(ld, e)) {
		char *dn = ldap_get_dn(ld, e);
		fprintf(out, "dn: %s\n", dn ? dn : "");
		ldap_memfree(dn);
		BerElement *ber = NULL;
		for (char *a = ldap_first_attribute(ld, e, &ber); a; a = ldap_next_attribute(ld, e, ber)) {
			struct berval **vals = ldap_get_values_len(ld, e, a);
			for (int i = 0; vals && vals[i]; i++)
				ldif_value(out, a, vals[i]);
			ldap_value_free_len(vals);
			ldap_memfree(a);
		}
		ber_free(ber, 0);
		fprintf(out, "\n");
		n++;
	}
	fprintf(out, "# numEntries: %d\n\n", n);
	ldap_msgfree(res);
	return n;
}

static int run_search(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	LDAP *ld = lab_connect(cfg, res);
	if (!ld)
		return -1;
	FILE *out = cfg->out;
	fprintf(out, "$ ldapsearch -x -H ldap://%s:%u -b %s '(objectclass=person)' sn\n", cfg->host,
		cfg->port, WL_LDAP_USERS);
	int a = -1, b = -1;
	if (simple_bind(ld, NULL, NULL, out) == LDAP_SUCCESS) {
		char *sn[] = { "sn", NULL };
		a = search(ld, WL_LDAP_USERS, "(objectclass=person)", sn, out);
		fprintf(out, "$ ldapsearch -x -H ldap://%s:%u -b %s\n", cfg->host, cfg->port, WL_LDAP_SUFFIX);
		b = search(ld, WL_LDAP_SUFFIX, "(objectclass=*)", NULL, out);
	}
	ldap_unbind_ext_s(ld, NULL, NULL);
	if (a <= 0 || b <= 0)
		return wl_drive_fail(res, "the searches of %s failed", WL_LDAP_SUFFIX);
	wl_drive_fact(res, "anonymous searches: %d persons under ou=users, %d entries in the tree", a, b);
	res->ok = 1;
	return 0;
}

static int run_bind(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	LDAP *ld = lab_connect(cfg, res);
	if (!ld)
		return -1;
	FILE *out = cfg->out;
	fprintf(out, "$ ldapwhoami -x -H ldap://%s:%u -D %s -w %s\n", cfg->host, cfg->port, WL_LDAP_ADMIN,
		WL_LDAP_ADMINPW);
	int good = simple_bind(ld, WL_LDAP_ADMIN, WL_LDAP_ADMINPW, out);
	if (good == LDAP_SUCCESS) {
		struct berval *who = NULL;
		if (ldap_whoami_s(ld, &who, NULL, NULL) == LDAP_SUCCESS && who)
			fprintf(out, "%.*s\n", (int)who->bv_len, who->bv_val);
		ber_bvfree(who);
	}
	fprintf(out, "$ ldapwhoami -x -H ldap://%s:%u -D %s -w wrongpass\n", cfg->host, cfg->port,
		WL_LDAP_ADMIN);
	int bad = simple_bind(ld, WL_LDAP_ADMIN, "wrongpass", out);
	ldap_unbind_ext_s(ld, NULL, NULL);
	if (good != LDAP_SUCCESS)
		return wl_drive_fail(res, "bind as %s failed: %s", WL_LDAP_ADMIN, ldap_err2string(good));
	if (bad != LDAP_INVALID_CREDENTIALS)
		return wl_drive_fail(res, "a wrong password gave %d, not invalidCredentials (49)", bad);
	wl_drive_fact(res, "binds: right password success (0), wrong password invalidCredentials (49)");
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_ldap_search = {
	.name = "ldap-search", .desc = "libldap: anonymous bind, searches of ou=users and of the whole tree",
	.server = "ldap", .port = WL_LDAP_PORT, .bpf = "tcp port %u", .run = run_search,
};

const struct wl_driver wl_driver_ldap_bind = {
	.name = "ldap-bind", .desc = "libldap: simple bind as cn=admin, Who-am-I, a wrong password (49)",
	.server = "ldap", .port = WL_LDAP_PORT, .bpf = "tcp port %u", .run = run_bind,
};
