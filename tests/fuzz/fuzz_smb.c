/* fuzz_smb.c - libFuzzer target for the SMB dissector: the input is one TCP
 * stream from the client to port 445, cut into two segments at a point taken
 * from the first byte, then the same bytes as the server's answer, and as a
 * NetBIOS datagram on udp 138. */
#include <stddef.h>
#include <stdint.h>

#include "wltest.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (n < 1)
		return 0;
	size_t cut = d[0] % n;
	const uint8_t *p = d + 1;
	size_t len = n - 1;
	if (cut > len)
		cut = len;
	struct wlt t;
	wlt_init(&t, NULL);
	wlt_tcp_open(&t, 50000, 445);
	wlt_tcp_send(&t, WL_C2S, p, cut);
	wlt_tcp_send(&t, WL_C2S, p + cut, len - cut);
	wlt_tcp_send(&t, WL_S2C, p, len);
	wlt_udp(&t, WL_C2S, 138, 138, p, len);
	wlt_finish(&t);
	wlt_free(&t);
	return 0;
}
