/* snmp_client.c - the SNMP exchanges, real clients on net-snmp's library:
 *   snmp-get   v2c and v1 GET of SNMPv2-MIB::sysDescr.0, then a GET of a name
 *              the agent does not have (v2c: noSuchObject, v1: noSuchName);
 *   snmp-walk  the system subtree with GETNEXT (v1) and GETBULK (v2c);
 *   snmp-v3    authPriv GETs after the engine discovery: SHA/AES-128, then
 *              SHA-256/AES-256, then SHA-256 with a wrong authentication password;
 *   snmp-v3-algorithms  one authPriv GET per user of the lab's algorithm matrix;
 *   snmp-v3-wrongpass   a wrong authentication password, a wrong privacy
 *              password and an unknown user: the agent's three reports.
 * The v3 exchanges leave the users they spoke as in <state>/snmp/client/
 * snmp_users, so the trace checks each HMAC and decrypts each PDU.
 * Lines are printed as snmpget/snmpwalk print them. net-snmp is kept out of
 * /etc/snmp and /var/lib/snmp: no configuration files, the persistent folder
 * under <state>/snmp/client, MIBs only from the project's dissect/mibs.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "drive.h"
#include "snmp_lab.h"

#ifndef WL_MIB_DIR
#define WL_MIB_DIR "dissect/proto/snmp/mibs"
#endif

#define SYSDESCR "SNMPv2-MIB::sysDescr.0"
#define SYSTEM_OID "1.3.6.1.2.1.1"
#define MISSING "SNMPv2-MIB::system.99.0"   /* no such object under system */

struct snmp_lib {
	pthread_once_t once;
	char persist[4096];
};

static struct snmp_lib lib = { PTHREAD_ONCE_INIT, "" };

static void lib_init(void)
{
	const char *dir = getenv("WIRELAB_MIBDIRS");
	if (!dir || !*dir)
		dir = WL_MIB_DIR;
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, lib.persist);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_CONFIGURATION_DIR, lib.persist);
	netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, dir);
	/* init_mib() takes its module list from $MIBS only (or a long default) */
	setenv("MIBS", "SNMPv2-MIB:IF-MIB:SNMP-USER-BASED-SM-MIB:SNMP-MPD-MIB", 1);
	init_snmp("wirelab");
}

static void client_init(const struct wl_drive_cfg *cfg)
{
	if (!lib.persist[0]) {
		char certs[4200];
		wl_state_path(lib.persist, sizeof lib.persist, cfg->state_dir, "snmp", "client");
		snprintf(certs, sizeof certs, "%s/cert_indexes", lib.persist);
		wl_mkdirs(certs, 0700);  /* else net-snmp announces it creates them */
	}
	pthread_once(&lib.once, lib_init);
}

static void session_base(netsnmp_session *s, const struct wl_drive_cfg *cfg, char *peer, size_t pn, long version)
{
	snmp_sess_init(s);
	snprintf(peer, pn, "udp:%s:%u", cfg->host, cfg->port);
	s->peername = peer;
	s->version = version;
	s->timeout = 1000000;
	s->retries = 2;
}

static netsnmp_session *open_session(const struct wl_drive_cfg *cfg, long version)
{
	netsnmp_session s;
	char peer[320];
	session_base(&s, cfg, peer, sizeof peer, version);
	s.community = (u_char *)WL_SNMP_COMMUNITY;
	s.community_len = strlen(WL_SNMP_COMMUNITY);
	return snmp_open(&s);
}

/* net-snmp's algorithm names (as -a and -x take them) to its protocol OIDs. */
#define OIDN(x) x, sizeof x / sizeof x[0]
static const struct {
	const char *name;
	oid *o;
	size_t len;
} auth_oids[] = {
	{ "MD5", OIDN(usmHMACMD5AuthProtocol) }, { "SHA", OIDN(usmHMACSHA1AuthProtocol) },
	{ "SHA-224", OIDN(usmHMAC128SHA224AuthProtocol) }, { "SHA-256", OIDN(usmHMAC192SHA256AuthProtocol) },
	{ "SHA-384", OIDN(usmHMAC256SHA384AuthProtocol) }, { "SHA-512", OIDN(usmHMAC384SHA512AuthProtocol) },
}, priv_oids[] = {
	{ "DES", OIDN(usmDESPrivProtocol) }, { "AES", OIDN(usmAESPrivProtocol) },
	{ "AES-192", OIDN(usmAES192PrivProtocol) }, { "AES-256", OIDN(usmAES256PrivProtocol) },
	{ "AES-192-C", OIDN(usmAES192CiscoPrivProtocol) }, { "AES-256-C", OIDN(usmAES256CiscoPrivProtocol) },
};

/* An SNMPv3 session as user u, with its algorithms by net-snmp's names; a
 * password given in authpass/privpass replaces the user's (the wrong ones). */
static netsnmp_session *open_v3(const struct wl_drive_cfg *cfg, const char *name, const struct wl_snmp_lab_user *u,
				const char *authpass, const char *privpass)
{
	netsnmp_session s;
	char peer[320];
	session_base(&s, cfg, peer, sizeof peer, SNMP_VERSION_3);
	if (privpass)
		s.retries = 0;  /* snmpd drops what it cannot decrypt, no report comes: one try */
	s.securityName = (char *)name;
	s.securityNameLen = strlen(name);
	s.securityLevel = u->priv ? SNMP_SEC_LEVEL_AUTHPRIV : SNMP_SEC_LEVEL_AUTHNOPRIV;
	size_t al = 0, pl = 0;
	oid *ao = NULL, *po = NULL;
	for (size_t i = 0; i < sizeof auth_oids / sizeof auth_oids[0]; i++)
		if (!strcmp(auth_oids[i].name, u->auth)) {
			ao = auth_oids[i].o;
			al = auth_oids[i].len;
		}
	for (size_t i = 0; u->priv && i < sizeof priv_oids / sizeof priv_oids[0]; i++)
		if (!strcmp(priv_oids[i].name, u->priv)) {
			po = priv_oids[i].o;
			pl = priv_oids[i].len;
		}
	if (!ao || (u->priv && !po))
		return NULL;
	s.securityAuthProto = ao;
	s.securityAuthProtoLen = al;
	s.securityAuthKeyLen = USM_AUTH_KU_LEN;
	const char *ap = authpass ? authpass : u->authpass;
	if (generate_Ku(ao, (u_int)al, (const u_char *)ap, strlen(ap), s.securityAuthKey, &s.securityAuthKeyLen) !=
	    SNMPERR_SUCCESS)
		return NULL;
	if (u->priv) {
		const char *pp = privpass ? privpass : u->privpass;
		s.securityPrivProto = po;
		s.securityPrivProtoLen = pl;
		s.securityPrivKeyLen = USM_PRIV_KU_LEN;
		if (generate_Ku(ao, (u_int)al, (const u_char *)pp, strlen(pp), s.securityPrivKey,
				&s.securityPrivKeyLen) != SNMPERR_SUCCESS)
			return NULL;
	}
	return snmp_open(&s);
}

static void print_var(FILE *out, const netsnmp_variable_list *v)
{
	char buf[2048];
	snprint_variable(buf, sizeof buf, v->name, v->name_length, v);
	fprintf(out, "%s\n", buf);
}

/* One request; the response's variables are printed. 1 = answered, 0 = error
 * status (printed as snmpget does), -1 = no answer. */
static int request(netsnmp_session *ss, int type, const oid *o, size_t len, FILE *out,
		   netsnmp_pdu **keep)
{
	netsnmp_pdu *pdu = snmp_pdu_create(type), *resp = NULL;
	if (type == SNMP_MSG_GETBULK) {
		pdu->non_repeaters = 0;
		pdu->max_repetitions = 10;
	}
	snmp_add_null_var(pdu, o, len);
	int st = snmp_synch_response(ss, pdu, &resp);
	if (st != STAT_SUCCESS || !resp) {
		fprintf(out, "Timeout: No Response from %s.\n", ss->peername);
		if (resp)
			snmp_free_pdu(resp);
		return -1;
	}
	int r = 1;
	if (resp->errstat != SNMP_ERR_NOERROR) {
		fprintf(out, "Error in packet\nReason: %s\n", snmp_errstring((int)resp->errstat));
		if (resp->variables) {
			char name[512];
			snprint_objid(name, sizeof name, resp->variables->name, resp->variables->name_length);
			fprintf(out, "Failed object: %s\n", name);
		}
		r = 0;
	} else if (!keep) {
		for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable)
			print_var(out, v);
	}
	if (keep && r == 1)
		*keep = resp;
	else
		snmp_free_pdu(resp);
	return r;
}

static int get_one(netsnmp_session *ss, const char *name, FILE *out, struct wl_drive_result *res)
{
	oid o[MAX_OID_LEN];
	size_t len = MAX_OID_LEN;
	if (!snmp_parse_oid(name, o, &len))
		return wl_drive_fail(res, "%s: unknown object name (MIB modules missing?)", name);
	return request(ss, SNMP_MSG_GET, o, len, out, NULL);
}

static int run_get(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	netsnmp_session *v2 = open_session(cfg, SNMP_VERSION_2c), *v1 = open_session(cfg, SNMP_VERSION_1);
	int ok = v2 && v1;
	if (ok) {
		fprintf(out, "$ snmpget -v2c -c public %s:%u %s\n", cfg->host, cfg->port, SYSDESCR);
		ok = get_one(v2, SYSDESCR, out, res) == 1;
	}
	if (ok) {
		fprintf(out, "$ snmpget -v1 -c public %s:%u %s\n", cfg->host, cfg->port, SYSDESCR);
		ok = get_one(v1, SYSDESCR, out, res) == 1;
	}
	if (ok) {
		fprintf(out, "$ snmpget -v2c -c public %s:%u %s\n", cfg->host, cfg->port, MISSING);
		ok = get_one(v2, MISSING, out, res) == 1;  /* answered, with noSuchObject */
		fprintf(out, "$ snmpget -v1 -c public %s:%u %s\n", cfg->host, cfg->port, MISSING);
		ok = ok && get_one(v1, MISSING, out, res) == 0;  /* v1: error noSuchName */
	}
	if (v2)
		snmp_close(v2);
	if (v1)
		snmp_close(v1);
	if (!ok)
		return res->reason[0] ? -1 : wl_drive_fail(res, "the agent at %s:%u did not answer as expected",
							    cfg->host, cfg->port);
	wl_drive_fact(res, "gets: v2c and v1 sysDescr.0, a missing name (noSuchObject / noSuchName)");
	res->ok = 1;
	return 0;
}

/* Walks the system subtree with GETNEXT or GETBULK; the number of objects. */
static int walk(netsnmp_session *ss, int type, FILE *out)
{
	oid root[MAX_OID_LEN], cur[MAX_OID_LEN];
	size_t rootlen = MAX_OID_LEN, curlen;
	if (!read_objid(SYSTEM_OID, root, &rootlen))
		return -1;
	memcpy(cur, root, rootlen * sizeof(oid));
	curlen = rootlen;
	int n = 0;
	for (int rounds = 0; rounds < 500; rounds++) {
		/* a short pause per step: a busy capture thread keeps up with the walk */
		struct timespec pause = { 0, 3 * 1000000L };
		nanosleep(&pause, NULL);
		netsnmp_pdu *resp = NULL;
		int r = request(ss, type, cur, curlen, out, &resp);
		if (r < 0)
			return -1;
		if (r == 0)
			return n;  /* v1: noSuchName past the end of the MIB */
		int more = 0;
		for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable) {
			if (v->type == SNMP_ENDOFMIBVIEW || v->type == SNMP_NOSUCHOBJECT ||
			    v->type == SNMP_NOSUCHINSTANCE ||
			    netsnmp_oid_is_subtree(root, rootlen, v->name, v->name_length) != 0) {
				more = 0;
				break;
			}
			print_var(out, v);
			n++;
			memcpy(cur, v->name, v->name_length * sizeof(oid));
			curlen = v->name_length;
			more = 1;
		}
		snmp_free_pdu(resp);
		if (!more)
			return n;
	}
	return n;
}

static int run_walk(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	netsnmp_session *v1 = open_session(cfg, SNMP_VERSION_1), *v2 = open_session(cfg, SNMP_VERSION_2c);
	int a = -1, b = -1;
	if (v1 && v2) {
		fprintf(out, "$ snmpwalk -v1 -c public %s:%u system\n", cfg->host, cfg->port);
		a = walk(v1, SNMP_MSG_GETNEXT, out);
		fprintf(out, "$ snmpbulkwalk -v2c -c public -Cr10 %s:%u system\n", cfg->host, cfg->port);
		b = walk(v2, SNMP_MSG_GETBULK, out);
	}
	if (v1)
		snmp_close(v1);
	if (v2)
		snmp_close(v2);
	if (a <= 0 || b <= 0)
		return wl_drive_fail(res, "the walk of system at %s:%u failed", cfg->host, cfg->port);
	wl_drive_fact(res, "walk of system: %d objects by GETNEXT (v1), %d by GETBULK (v2c)", a, b);
	res->ok = a == b;
	if (!res->ok)
		return wl_drive_fail(res, "the two walks differ: %d and %d objects", a, b);
	return 0;
}

/* The lab's users in <state>/snmp/client/snmp_users, one a line, for the
 * trace: Wireshark snmp_users records where tshark means the same by them,
 * else wirelab's colon form (net-snmp's AES-192/256 extend a short key the
 * Blumenthal way, which tshark 4.0 has no name for). */
static int users_file(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	static const struct {
		const char *netsnmp, *uat;
		size_t hash;    /* bytes of the hash; 0: any */
	} auth[] = { { "MD5", "MD5", 16 }, { "SHA", "SHA1", 20 }, { "SHA-224", "SHA2-224", 28 },
		     { "SHA-256", "SHA2-256", 32 }, { "SHA-384", "SHA2-384", 48 }, { "SHA-512", "SHA2-512", 64 } },
	  priv[] = { { "DES", "DES", 0 }, { "AES", "AES", 0 }, { "AES-192-C", "AES192", 0 }, { "AES-256-C", "AES256", 0 },
		     { "AES-192", "AES192", 24 }, { "AES-256", "AES256", 32 } };
	char path[4096], text[8192];
	size_t o = 0;
	if (wl_state_path(path, sizeof path, cfg->state_dir, "snmp", "client") < 0)
		return -1;
	size_t dl = strlen(path);
	snprintf(path + dl, sizeof path - dl, "/snmp_users");
	o = (size_t)snprintf(text, sizeof text, "# the lab agent's SNMPv3 users (drive/snmp/snmp_lab.h)\n");
	for (size_t i = 0; i < WL_SNMP_LAB_USERS && o < sizeof text; i++) {
		const struct wl_snmp_lab_user *u = &wl_snmp_lab_users[i];
		size_t a = 0, p = 0;
		while (a < sizeof auth / sizeof auth[0] && strcmp(auth[a].netsnmp, u->auth))
			a++;
		while (u->priv && p < sizeof priv / sizeof priv[0] && strcmp(priv[p].netsnmp, u->priv))
			p++;
		if (a == sizeof auth / sizeof auth[0] || (u->priv && p == sizeof priv / sizeof priv[0]))
			continue;
		int as_tshark = !u->priv || auth[a].hash >= priv[p].hash;
		if (as_tshark)
			o += (size_t)snprintf(text + o, sizeof text - o, "\"\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"\n", u->name,
					      auth[a].uat, u->authpass, u->priv ? priv[p].uat : "DES",
					      u->priv ? u->privpass : "");
		else
			o += (size_t)snprintf(text + o, sizeof text - o, "%s:%s:%s:%s:%s\n", u->name, u->auth,
					      u->authpass, u->priv, u->privpass);
	}
	size_t pl = strlen(path);
	if (o >= sizeof text || pl >= sizeof res->snmp_users || wl_write_file(path, text, 0600) < 0)
		return -1;
	memcpy(res->snmp_users, path, pl + 1);
	return 0;
}

static const struct wl_snmp_lab_user *lab_user(const char *name)
{
	for (size_t i = 0; i < WL_SNMP_LAB_USERS; i++)
		if (!strcmp(wl_snmp_lab_users[i].name, name))
			return &wl_snmp_lab_users[i];
	return NULL;
}

/* One v3 GET as snmpget runs it: the line it would be typed as, then what it
 * prints. 1 answered, 0 refused (the reason printed), -1 no session. */
static int v3_get(const struct wl_drive_cfg *cfg, const char *name, const struct wl_snmp_lab_user *u,
		  const char *authpass, const char *privpass, const char *const *oids, size_t noids, FILE *out)
{
	fprintf(out, "$ snmpget -v3 -l %s -u %s -a %s -A %s", u->priv ? "authPriv" : "authNoPriv", name, u->auth,
		authpass ? authpass : "...");
	if (u->priv)
		fprintf(out, " -x %s -X %s", u->priv, privpass ? privpass : "...");
	fprintf(out, " %s:%u", cfg->host, cfg->port);
	for (size_t i = 0; i < noids; i++)
		fprintf(out, " %s", oids[i]);
	fprintf(out, "\n");
	netsnmp_session *ss = open_v3(cfg, name, u, authpass, privpass);
	if (!ss) {
		fprintf(out, "snmpget: cannot open the session\n");
		return -1;
	}
	netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
	for (size_t i = 0; i < noids; i++) {
		oid o[MAX_OID_LEN];
		size_t ol = MAX_OID_LEN;
		if (snmp_parse_oid(oids[i], o, &ol))
			snmp_add_null_var(pdu, o, ol);
	}
	int st = snmp_synch_response(ss, pdu, &resp);
	int ok = st == STAT_SUCCESS && resp && resp->errstat == SNMP_ERR_NOERROR;
	if (ok)
		for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable)
			print_var(out, v);
	else
		fprintf(out, "snmpget: %s\n", st == STAT_TIMEOUT ? "Timeout" : snmp_api_errstring(ss->s_snmp_errno));
	if (resp)
		snmp_free_pdu(resp);
	/* net-snmp keeps the user (and its keys) per engine ID for the process:
	 * drop it, so the next session's passwords are the ones it is given */
	struct usmUser *kept = ss->securityEngineIDLen ?
		usm_get_user(ss->securityEngineID, ss->securityEngineIDLen, (char *)name) : NULL;
	if (kept) {   /* usm_remove_user returns the list's head: NULL when it empties */
		usm_remove_user(kept);
		usm_free_user(kept);
	}
	snmp_close(ss);
	return ok ? 1 : 0;
}

static const char *const v3_oids[] = { SYSDESCR, "SNMPv2-MIB::sysName.0" };

static int run_v3(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	const struct wl_snmp_lab_user *sha = lab_user(WL_SNMP_USER), *sha256 = lab_user("labuser256");
	if (users_file(cfg, res) < 0)
		return wl_drive_fail(res, "cannot write %s/snmp/client/snmp_users", cfg->state_dir);
	int a = v3_get(cfg, sha->name, sha, NULL, NULL, v3_oids, 2, out);
	int b = v3_get(cfg, sha256->name, sha256, NULL, NULL, v3_oids, 2, out);
	int c = v3_get(cfg, sha256->name, sha256, WL_SNMP_WRONGPASS, NULL, v3_oids + 1, 1, out);
	if (a != 1)
		return wl_drive_fail(res, "SNMPv3 authPriv GET as %s (SHA, AES) failed", sha->name);
	if (b != 1)
		return wl_drive_fail(res, "SNMPv3 authPriv GET as %s (SHA-256, AES-256) failed", sha256->name);
	if (c != 0)
		return wl_drive_fail(res, "a wrong password for %s was %s", sha256->name,
				     c > 0 ? "accepted" : "not sent");
	wl_drive_fact(res, "v3 users %s (SHA, AES) and %s (SHA-256, AES-256); a wrong password refused",
		      sha->name, sha256->name);
	res->ok = 1;
	return 0;
}

/* The matrix: every user after the first two, one GET each. */
static int run_v3_algorithms(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	if (users_file(cfg, res) < 0)
		return wl_drive_fail(res, "cannot write %s/snmp/client/snmp_users", cfg->state_dir);
	unsigned n = 0, good = 0;
	for (size_t i = 2; i < WL_SNMP_LAB_USERS; i++, n++) {
		const struct wl_snmp_lab_user *u = &wl_snmp_lab_users[i];
		if (v3_get(cfg, u->name, u, NULL, NULL, v3_oids + 1, 1, out) == 1)
			good++;
		else
			wl_drive_fail(res, "SNMPv3 GET as %s (%s, %s) failed", u->name, u->auth, u->priv ? u->priv : "no privacy");
	}
	wl_drive_fact(res, "v3 algorithm matrix: %u of %u users answered", good, n);
	res->ok = good == n;
	return res->ok ? 0 : -1;
}

/* The agent's reports: usmStatsWrongDigests, usmStatsDecryptionErrors,
 * usmStatsUnknownUserNames. */
static int run_v3_wrongpass(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	const struct wl_snmp_lab_user *u = lab_user("labuser256");
	if (users_file(cfg, res) < 0)
		return wl_drive_fail(res, "cannot write %s/snmp/client/snmp_users", cfg->state_dir);
	int a = v3_get(cfg, u->name, u, WL_SNMP_WRONGPASS, NULL, v3_oids + 1, 1, out);
	int b = v3_get(cfg, u->name, u, NULL, WL_SNMP_WRONGPASS, v3_oids + 1, 1, out);
	int c = v3_get(cfg, "nosuchuser", u, NULL, NULL, v3_oids + 1, 1, out);
	int d = v3_get(cfg, u->name, u, NULL, NULL, v3_oids + 1, 1, out);
	if (a != 0 || b != 0 || c != 0)
		return wl_drive_fail(res, "a wrong password or user was not refused (%d %d %d)", a, b, c);
	if (d != 1)
		return wl_drive_fail(res, "the right passwords of %s were refused after the wrong ones", u->name);
	wl_drive_fact(res, "refused: wrong authentication password, wrong privacy password, unknown user; then the right passwords work");
	res->ok = 1;
	return 0;
}

const struct wl_driver wl_driver_snmp_get = {
	.name = "snmp-get", .desc = "net-snmp: v2c and v1 GET of sysDescr.0 and of a missing name",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_get,
};

const struct wl_driver wl_driver_snmp_walk = {
	.name = "snmp-walk", .desc = "net-snmp: walk of system by GETNEXT (v1) and GETBULK (v2c)",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_walk,
};

const struct wl_driver wl_driver_snmp_v3 = {
	.name = "snmp-v3", .desc = "net-snmp: SNMPv3 authPriv GETs (SHA/AES, SHA-256/AES-256), a wrong password",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_v3,
};

const struct wl_driver wl_driver_snmp_v3_algorithms = {
	.name = "snmp-v3-algorithms", .desc = "net-snmp: an SNMPv3 GET for every auth hash and privacy protocol",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_v3_algorithms,
};

const struct wl_driver wl_driver_snmp_v3_wrongpass = {
	.name = "snmp-v3-wrongpass", .desc = "net-snmp: SNMPv3 with a wrong auth password, a wrong privacy password, an unknown user",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_v3_wrongpass,
};
