/* fuzz_pcapng.c - the pcapng reader (capture/pcapng.c) alone, from memory:
 * every packet, comment and interface name it hands out is read to its last byte (ASan sees a
 * length past its block), the interface ids are checked against the section,
 * the key log is read and searched as the TLS dissector searches it; an input of odd length goes through a BPF filter too,
 * compiled per link type. The engine behind it is fuzz_pcap's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture.h"
#include "pcapng.h"
#include "dissect/proto/tls/tls_crypt.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (!wl__pcapng_magic(d, n))
		return 0;  /* pcap is libpcap's: fuzz_pcap */
	char err[512];
	struct wl_source *src = wl_source_offline_mem(d, n, err, sizeof err);
	if (!src)
		return 0;
	/* an unknown first link type refuses the filter: then it reads unfiltered */
	if (n & 1)
		wl_source_filter(src, "udp or tcp port 53", err, sizeof err);
	struct wl_pkt p;
	volatile uint8_t sum = 0;
	while (wl_source_next(src, &p) == 1) {
		for (uint32_t i = 0; i < p.caplen; i++)
			sum = (uint8_t)(sum + p.data[i]);
		if (p.ncomments > WL_PKT_MAX_COMMENTS || p.interface_id >= WL_PCAPNG_MAX_IFACES ||
		    p.interface_id >= wl_source_interfaces(src))
			abort();
		for (unsigned c = 0; c < p.ncomments; c++)
			for (uint32_t i = 0; i < p.comments[c].len; i++)
				sum = (uint8_t)(sum + (uint8_t)p.comments[c].text[i]);
		for (uint32_t i = 0; p.if_name.text && i < p.if_name.len; i++)
			sum = (uint8_t)(sum + (uint8_t)p.if_name.text[i]);
		for (uint32_t i = 0; p.if_descr.text && i < p.if_descr.len; i++)
			sum = (uint8_t)(sum + (uint8_t)p.if_descr.text[i]);
		if (p.section == 0 || p.if_name.len > 1024 || p.if_descr.len > 1024)
			abort();
		if (p.ts_ns < 0)
			abort();
	}
	size_t klen;
	const uint8_t *k = wl_source_tls_keylog(src, &klen);
	if (klen > WL_PCAPNG_MAX_KEYLOG)
		abort();
	for (size_t i = 0; i < klen; i++)
		sum = (uint8_t)(sum + k[i]);
	/* a client random the input may hold: its first 32 bytes */
	uint8_t crand[32] = { 0 }, secret[TLS_MAX_SECRET];
	for (size_t i = 0; i < 32 && i < n; i++)
		crand[i] = d[i];
	if (k && (tls_keylog_find_mem(k, klen, "CLIENT_RANDOM", crand, secret) > TLS_MAX_SECRET ||
		  tls_keylog_find_mem(k, klen, "SERVER_TRAFFIC_SECRET_0", crand, secret) > TLS_MAX_SECRET))
		abort();
	(void)sum;
	wl_source_close(src);
	return 0;
}
