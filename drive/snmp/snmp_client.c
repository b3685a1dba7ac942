/* snmp_client.c - the SNMP exchanges, real clients on net-snmp's library:
 *   snmp-get   v2c and v1 GET of SNMPv2-MIB::sysDescr.0, then a GET of a name
 *              the agent does not have (v2c: noSuchObject, v1: noSuchName);
 *   snmp-walk  the system subtree with GETNEXT (v1) and GETBULK (v2c);
 *   snmp-v3    an authPriv GET (SHA, AES) after the engine discovery.
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

static netsnmp_session *open_session(const struct wl_drive_cfg *cfg, long version)
{
	netsnmp_session s;
	char peer[320];
	snmp_sess_init(&s);
	snprintf(peer, sizeof peer, "udp:%s:%u", cfg->host, cfg->port);
	s.peername = peer;
	s.version = version;
	s.timeout = 1000000;
	s.retries = 2;
	if (version != SNMP_VERSION_3) {
		s.community = (u_char *)WL_SNMP_COMMUNITY;
		s.community_len = strlen(WL_SNMP_COMMUNITY);
		return snmp_open(&s);
	}
	s.securityName = (char *)WL_SNMP_USER;
	s.securityNameLen = strlen(WL_SNMP_USER);
	s.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
	s.securityAuthProto = usmHMACSHA1AuthProtocol;
	s.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
	s.securityAuthKeyLen = USM_AUTH_KU_LEN;
	s.securityPrivProto = usmAESPrivProtocol;
	s.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
	s.securityPrivKeyLen = USM_PRIV_KU_LEN;
	if (generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen, (const u_char *)WL_SNMP_AUTHPASS,
			strlen(WL_SNMP_AUTHPASS), s.securityAuthKey, &s.securityAuthKeyLen) != SNMPERR_SUCCESS ||
	    generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen, (const u_char *)WL_SNMP_PRIVPASS,
			strlen(WL_SNMP_PRIVPASS), s.securityPrivKey, &s.securityPrivKeyLen) != SNMPERR_SUCCESS)
		return NULL;
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

static int run_v3(const struct wl_drive_cfg *cfg, struct wl_drive_result *res)
{
	client_init(cfg);
	FILE *out = cfg->out;
	netsnmp_session *ss = open_session(cfg, SNMP_VERSION_3);
	if (!ss)
		return wl_drive_fail(res, "cannot open an SNMPv3 session to %s:%u", cfg->host, cfg->port);
	fprintf(out, "$ snmpget -v3 -l authPriv -u %s -a SHA -A ... -x AES -X ... %s:%u %s SNMPv2-MIB::sysName.0\n",
		WL_SNMP_USER, cfg->host, cfg->port, SYSDESCR);
	oid a[MAX_OID_LEN], b[MAX_OID_LEN];
	size_t al = MAX_OID_LEN, bl = MAX_OID_LEN;
	int ok = snmp_parse_oid(SYSDESCR, a, &al) && snmp_parse_oid("SNMPv2-MIB::sysName.0", b, &bl);
	if (ok) {
		netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET), *resp = NULL;
		snmp_add_null_var(pdu, a, al);
		snmp_add_null_var(pdu, b, bl);
		int st = snmp_synch_response(ss, pdu, &resp);
		ok = st == STAT_SUCCESS && resp && resp->errstat == SNMP_ERR_NOERROR;
		if (ok)
			for (netsnmp_variable_list *v = resp->variables; v; v = v->next_variable)
				print_var(out, v);
		else
			fprintf(out, "snmpget: %s\n", st == STAT_TIMEOUT ? "Timeout" : snmp_api_errstring(ss->s_snmp_errno));
		if (resp)
			snmp_free_pdu(resp);
	}
	snmp_close(ss);
	if (!ok)
		return wl_drive_fail(res, "SNMPv3 authPriv GET as %s failed", WL_SNMP_USER);
	wl_drive_fact(res, "v3 user %s, SHA authentication, AES privacy", WL_SNMP_USER);
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
	.name = "snmp-v3", .desc = "net-snmp: SNMPv3 authPriv GET (SHA, AES) with engine discovery",
	.server = "snmp", .port = WL_SNMP_PORT, .bpf = "udp port %u", .run = run_v3,
};
