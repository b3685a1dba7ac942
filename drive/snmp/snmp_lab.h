/* snmp_lab.h - the lab SNMP agent's settings, shared by its server
 * (srv_snmp.c) and the exchanges that talk to it (snmp_client.c). */
#ifndef WL_SNMP_LAB_H
#define WL_SNMP_LAB_H

#include <stddef.h>

#define WL_SNMP_PORT 1161
#define WL_SNMP_COMMUNITY "public"
#define WL_SNMP_ENGINE "lab-snmpd"          /* engine ID 80001f88046c61622d736e6d7064 */
#define WL_SNMP_USER "labuser"
#define WL_SNMP_AUTHPASS "labauthpass"      /* SHA, at least 8 characters */
#define WL_SNMP_PRIVPASS "labprivpass"      /* AES */
#define WL_SNMP_WRONGPASS "wrongpassword"   /* what the wrong-password exchanges send */

/* The agent's SNMPv3 users, with net-snmp's algorithm names (createUser, -a,
 * -x); priv NULL: authNoPriv. The first two are snmp-v3's; the rest are the
 * algorithm matrix of snmp-v3-algorithms: every authentication hash, every
 * privacy protocol, and AES-192/256 under a hash shorter than the key, with
 * both key extensions (net-snmp's AES-192/256 and Cisco's AES-192-C/256-C). */
struct wl_snmp_lab_user {
	const char *name, *auth, *authpass, *priv, *privpass;
};

static const struct wl_snmp_lab_user wl_snmp_lab_users[] = {
	{ WL_SNMP_USER, "SHA", WL_SNMP_AUTHPASS, "AES", WL_SNMP_PRIVPASS },
	{ "labuser256", "SHA-256", "labauthpass256", "AES-256", "labprivpass256" },
	{ "md5-des", "MD5", "md5-des-auth", "DES", "md5-des-priv" },
	{ "md5-aes", "MD5", "md5-aes-auth", "AES", "md5-aes-priv" },
	{ "sha224-des", "SHA-224", "sha224-des-auth", "DES", "sha224-des-priv" },
	{ "sha224-aes192", "SHA-224", "sha224-aes192-auth", "AES-192", "sha224-aes192-priv" },
	{ "sha384-aes192c", "SHA-384", "sha384-aes192c-auth", "AES-192-C", "sha384-aes192c-priv" },
	{ "sha512-aes256c", "SHA-512", "sha512-aes256c-auth", "AES-256-C", "sha512-aes256c-priv" },
	{ "sha-aes256", "SHA", "sha-aes256-auth", "AES-256", "sha-aes256-priv" },
	{ "sha-aes256c", "SHA", "sha-aes256c-auth", "AES-256-C", "sha-aes256c-priv" },
	{ "md5-aes192", "MD5", "md5-aes192-auth", "AES-192", "md5-aes192-priv" },
	{ "md5-aes192c", "MD5", "md5-aes192c-auth", "AES-192-C", "md5-aes192c-priv" },
	{ "sha512-auth", "SHA-512", "sha512-auth-pass", NULL, NULL },
};

#define WL_SNMP_LAB_USERS (sizeof wl_snmp_lab_users / sizeof wl_snmp_lab_users[0])

#endif
