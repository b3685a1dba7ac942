/* ipfields.c - the packet's network addresses as fields of the IP, TCP and
 * UDP messages. A file of its own: below ip.c, tcp.c and udp.c, which all
 * call it, and apart from msg.c, whose field builders inline better alone. */
#include "core.h"

void wl__ip_fields(struct wl_ctx *ctx, struct wl_msg *m)
{
	if (ctx->ip_af == 4) {
		wl_f_ipv4(m, "ip.src", ctx->ip_src);
		wl_f_ipv4(m, "ip.dst", ctx->ip_dst);
	} else if (ctx->ip_af == 6) {
		wl_f_ipv6(m, "ipv6.src", ctx->ip_src);
		wl_f_ipv6(m, "ipv6.dst", ctx->ip_dst);
	}
}
