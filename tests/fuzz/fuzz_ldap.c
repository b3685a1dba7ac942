/* fuzz_ldap.c - LDAP on arbitrary bytes: as a TCP stream to port 389, split
 * into segments whose size comes from the first byte, with the second byte
 * choosing the direction; and as one CLDAP datagram. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 2)
		return 0;
	size_t seg = (size_t)d[0] + 1;
	int dir = d[1] & 1;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 40000, 389);
	wlt_tcp_send_split(&t, dir, d + 2, n - 2, seg);
	wlt_tcp_send_split(&t, !dir, d + 2, n - 2, seg / 2 + 1);
	wlt_udp(&t, dir, 40001, 389, d + 2, n - 2);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
