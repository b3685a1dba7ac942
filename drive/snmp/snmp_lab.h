/* snmp_lab.h - the lab SNMP agent's settings, shared by its server
 * (srv_snmp.c) and the exchanges that talk to it (snmp_client.c). */
#ifndef WL_SNMP_LAB_H
#define WL_SNMP_LAB_H

#define WL_SNMP_PORT 1161
#define WL_SNMP_COMMUNITY "public"
#define WL_SNMP_ENGINE "lab-snmpd"          /* engine ID 80001f88046c61622d736e6d7064 */
#define WL_SNMP_USER "labuser"
#define WL_SNMP_AUTHPASS "labauthpass"      /* SHA, at least 8 characters */
#define WL_SNMP_PRIVPASS "labprivpass"      /* AES */

#endif
