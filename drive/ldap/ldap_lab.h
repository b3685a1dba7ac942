/* ldap_lab.h - the lab directory's settings, shared by its server
 * (srv_ldap.c) and the exchanges that talk to it (ldap_client.c). */
#ifndef WL_LDAP_LAB_H
#define WL_LDAP_LAB_H

#define WL_LDAP_PORT 3389
#define WL_LDAP_SUFFIX "dc=localdomain,dc=loc"
#define WL_LDAP_ADMIN "cn=admin," WL_LDAP_SUFFIX
#define WL_LDAP_ADMINPW "labadmin"
#define WL_LDAP_USERS "ou=users," WL_LDAP_SUFFIX

#endif
