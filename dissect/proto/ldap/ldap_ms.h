/* ldap_ms.h - what Microsoft's Active Directory carries inside LDAP and
 * CLDAP, for the LDAP dissector: the DC locator's filter values (NtVer,
 * DomainSid, DomainGuid) and the netlogon attribute's answer
 * (NETLOGON_SAM_LOGON_RESPONSE_EX), as [MS-ADTS] 6.3.1 defines them, under
 * tshark's field names (mscldap.*, ldap.sid, ldap.guid). */
#ifndef WL_LDAP_MS_H
#define WL_LDAP_MS_H

#include <stddef.h>

#include "wl.h"

/* An equality assertion's value when its attribute is one of the locator's:
 * emits the fields (the flag bits only when verbose) and a one-line summary;
 * 1 when handled, 0 when the value is an ordinary one (ldap.assertionValue). */
int wl_ldap_ms_assertion(struct wl_msg *m, struct wl_cur attr, struct wl_cur value, int verbose, char *summary,
			 size_t n);

/* The value of a CLDAP searchResEntry's netlogon attribute: 1 when it was a
 * NETLOGON_SAM_LOGON_RESPONSE_EX (or its user-unknown twin) and its fields
 * were emitted, with the summary for a note; 0 when it is something else. */
int wl_ldap_ms_netlogon(struct wl_msg *m, struct wl_cur value, int verbose, char *summary, size_t n);

#endif
