/* fuzz_ldap.c - LDAP on arbitrary bytes: as a TCP stream to port 389 in two
 * segments split at a point taken from the first byte (the second byte picks
 * the direction), the same bytes the other way in one segment, then FIN; and
 * as one CLDAP datagram. One engine serves every input (a new connection per
 * input), so an input costs its own work, not an engine's set-up. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void forget_msgs(struct wlt *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->msgs[i].text);
		free(t->msgs[i].fields);
		free(t->msgs[i].notes);
	}
	t->n = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct wlt t;
	static int ready;
	static uint16_t port = 1024;
	if (n < 2)
		return 0;
	if (!ready) {
		wlt_init(&t, NULL);
		ready = 1;
	}
	size_t len = n - 2, cut = len * d[0] / 255;
	int dir = d[1] & 1;
	const uint8_t *p = d + 2;
	port = (uint16_t)(port >= 65000 ? 1024 : port + 1);
	wlt_tcp_open(&t, port, 389);
	wlt_tcp_send(&t, dir, p, cut);
	wlt_tcp_send(&t, dir, p + cut, len - cut);
	wlt_tcp_send(&t, !dir, p, len);
	wlt_tcp_close(&t);
	wlt_udp(&t, dir, port, 389, p, len);
	forget_msgs(&t);
	return 0;
}
