/* outbuf.c - buffered output and the value formatting both renderers share:
 * integers without printf, JSON escaping, hex, ISO 8601 times. */
#include <float.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "outbuf.h"

void wl_ob_flush(struct wl_obuf *b)
{
	if (b->len && !b->failed && fwrite(b->buf, 1, b->len, b->f) != b->len)
		b->failed = 1;
	b->len = 0;
}

void wl_ob_write_slow(struct wl_obuf *b, const void *p, size_t n)
{
	const char *s = p;
	while (n) {
		if (b->len == sizeof b->buf)
			wl_ob_flush(b);
		size_t k = sizeof b->buf - b->len;
		if (k > n)
			k = n;
		memcpy(b->buf + b->len, s, k);
		b->len += k;
		s += k;
		n -= k;
	}
}

void wl_ob_str(struct wl_obuf *b, const char *s)
{
	wl_ob_write(b, s, strlen(s));
}

void wl_ob_u64(struct wl_obuf *b, uint64_t v)
{
	wl_ob_done(b, wl_put_u64(wl_ob_room(b, 20), v));
}

void wl_ob_i64(struct wl_obuf *b, int64_t v)
{
	if (v < 0) {
		wl_ob_putc(b, '-');
		wl_ob_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		wl_ob_u64(b, (uint64_t)v);
	}
}

void wl_ob_printf(struct wl_obuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	wl_ob_write(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The output below without printf, when d is the double nearest a decimal
 * k / 10^j (j <= 9) of at most 15 significant digits, as the times made from
 * nanoseconds are: no shorter decimal reads back as d (two decimals of at
 * most 15 digits never round to one double), so the loop stops at
 * P = max(9, the digits of k) and prints k's digits in %.Pg's shape.
 * Returns the end, or NULL for any other d (zero too: "-0"). */
static char *double_decimal(char *p, double d)
{
#if FLT_EVAL_METHOD == 0   /* the check below needs one rounding per operation */
	double a = d < 0 ? -d : d, scale = 1;
	uint64_t k = 0;
	int j = 0;
	if (!(a >= 1e-9 && a < 1e15))
		return NULL;
	for (;; j++, scale *= 10) {
		if (j > 9)
			return NULL;
		k = (uint64_t)(a * scale + 0.5);
		if (k >= 1000000000000000u)
			return NULL;
		if ((double)k / scale == a)  /* exact k, correctly rounded quotient */
			break;
	}
	char g[20];
	int len = (int)(wl_put_u64(g, k) - g), x = len - 1 - j, sig = len;
	while (sig > 1 && g[sig - 1] == '0')
		sig--;
	int prec = sig > 9 ? sig : 9;
	if (d < 0)
		*p++ = '-';
	if (x < -4 || x >= prec) {   /* %g's exponent form: 1.7e+09, 2e-05 */
		*p++ = g[0];
		if (sig > 1) {
			*p++ = '.';
			memcpy(p, g + 1, (size_t)sig - 1);
			p += sig - 1;
		}
		*p++ = 'e';
		*p++ = x < 0 ? '-' : '+';
		unsigned e = (unsigned)(x < 0 ? -x : x);
		if (e < 10)
			*p++ = '0';
		return wl_put_u64(p, e);
	}
	if (x < 0) {                 /* 0.000123 */
		memcpy(p, "0.0000", (size_t)(1 - x));
		p += 1 - x;
		memcpy(p, g, (size_t)sig);
		return p + sig;
	}
	memcpy(p, g, (size_t)x + 1); /* 123.456, 1700000000.00002 */
	p += x + 1;
	if (sig > x + 1) {
		*p++ = '.';
		memcpy(p, g + x + 1, (size_t)(sig - x - 1));
		p += sig - x - 1;
	}
	return p;
#else
	(void)p;
	(void)d;
	return NULL;
#endif
}

void wl_ob_double(struct wl_obuf *b, double d)
{
	char *p = wl_ob_room(b, 40);
	char *end = double_decimal(p, d);
	if (end) {
		wl_ob_done(b, end);
		return;
	}
	char s[40];
	int n = snprintf(s, sizeof s, "%.9g", d);
	for (int prec = 10; prec <= 17 && strtod(s, NULL) != d; prec++)
		n = snprintf(s, sizeof s, "%.*g", prec, d);
	if (n > 0)
		wl_ob_write(b, s, (size_t)n < sizeof s ? (size_t)n : sizeof s - 1);
}

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* The bytes a JSON string holds as they are: ASCII from space up, but " and \\ */
static inline int json_plain(uint8_t c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Eight bytes at once: nonzero if any is below 0x20, 0x80 or above, '"' or
 * '\\' (the classic has-zero-byte test on the word and its xors). */
static inline uint64_t json_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	uint64_t quote = w ^ (ones * '"'), bslash = w ^ (ones * '\\');
	uint64_t low = (w - ones * 0x20) & ~w;
	uint64_t q = (quote - ones) & ~quote, bs = (bslash - ones) & ~bslash;
	return (low | q | bs | w) & highs;
}

/* Copies the run of plain bytes at the start of p[0..n) to o (room for n)
 * and returns its length: each word is stored as it is tested, so a clean
 * string is one pass and no second copy. */
static size_t json_copy_plain(char *o, const uint8_t *p, size_t n)
{
	size_t j = 0;
	uint64_t w;
	for (; j + 8 <= n; j += 8) {
		memcpy(&w, p + j, 8);
		memcpy(o + j, &w, 8);
		if (json_special8(w))
			break;
	}
	if (j + 8 > n && n >= 8) {   /* the tail as the last word, overlapping */
		memcpy(&w, p + n - 8, 8);
		if (!json_special8(w)) {
			memcpy(o + n - 8, &w, 8);
			return n;
		}
	}
	for (; j < n && json_plain(p[j]); j++)
		o[j] = (char)p[j];
	return j;
}

void wl_ob_json_esc(struct wl_obuf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		if (json_plain(c)) {
			if (sizeof b->buf - b->len < 64)  /* not a run of a few bytes */
				wl_ob_flush(b);
			size_t room = sizeof b->buf - b->len, k = n - i < room ? n - i : room;
			size_t run = json_copy_plain(b->buf + b->len, p + i, k);
			b->len += run;
			i += run;
			continue;
		}
		if (c == '"' || c == '\\') {
			wl_ob_putc(b, '\\');
			wl_ob_putc(b, (char)c);
			i++;
		} else if (c < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			if (c == '\n')
				wl_ob_write(b, "\\n", 2);
			else if (c == '\r')
				wl_ob_write(b, "\\r", 2);
			else if (c == '\t')
				wl_ob_write(b, "\\t", 2);
			else
				wl_ob_write(b, e, 6);
			i++;
		} else {
			size_t l = utf8_len(p + i, n - i);
			if (l) {
				wl_ob_write(b, p + i, l);
				i += l;
			} else {
				wl_ob_write(b, "\\ufffd", 6);
				i++;
			}
		}
	}
}

/* "00".."ff": a byte's two digits in one copy */
static const char hex_pairs[513] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void wl_ob_hex(struct wl_obuf *b, const uint8_t *p, size_t n)
{
	while (n) {
		if (sizeof b->buf - b->len < 64)
			wl_ob_flush(b);
		size_t k = (sizeof b->buf - b->len) / 2;
		if (k > n)
			k = n;
		char *o = b->buf + b->len;
		for (size_t i = 0; i < k; i++)
			memcpy(o + 2 * i, hex_pairs + p[i] * 2, 2);
		b->len += 2 * k;
		p += k;
		n -= k;
	}
}

void wl_ob_iso_time(struct wl_obuf *b, int64_t ns)
{
	int64_t sec = ns / 1000000000LL, frac = ns % 1000000000LL;
	if (frac < 0) {
		frac += 1000000000LL;
		sec--;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&t, &tm)) {
		wl_ob_str(b, "invalid");
		return;
	}
	int year = tm.tm_year + 1900;
	if (year < 0 || year > 9999) {
		wl_ob_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d.%09" PRId64 "Z", year,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
		return;
	}
	/* by hand: one per time field of every certificate, NTP and SMB message */
	char iso[] = "0000-00-00T00:00:00.000000000Z";
	const int part[6] = { year, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
	static const unsigned char end[6] = { 4, 7, 10, 13, 16, 19 };  /* one past each */
	for (int i = 0; i < 6; i++)
		for (int v = part[i], k = end[i] - 1; v; v /= 10, k--)
			iso[k] = (char)('0' + v % 10);
	for (int k = 28; frac; frac /= 10, k--)
		iso[k] = (char)('0' + frac % 10);
	wl_ob_write(b, iso, sizeof iso - 1);
}

/* decimals as a constant: the divisions become multiplications (a message's
 * time is written on every JSON line) */
static inline __attribute__((always_inline)) void secs_fixed(struct wl_obuf *b, int64_t ns, int64_t div,
							      int64_t scale, int decimals)
{
	int64_t v = (ns + div / 2) / div;
	wl_ob_u64(b, (uint64_t)(v / scale));
	char tmp[12];
	int64_t f = v % scale;
	tmp[0] = '.';
	for (int i = decimals; i >= 1; i--) {
		tmp[i] = (char)('0' + f % 10);
		f /= 10;
	}
	wl_ob_write(b, tmp, (size_t)decimals + 1);
}

void wl_ob_secs(struct wl_obuf *b, int64_t ns, int decimals)
{
	if (ns < 0) {
		wl_ob_putc(b, '-');
		ns = -ns;
	}
	if (decimals == 6) {
		secs_fixed(b, ns, 1000, 1000000, 6);
		return;
	}
	int64_t div = 1;
	for (int i = decimals; i < 9; i++)
		div *= 10;
	int64_t v = (ns + div / 2) / div;
	int64_t scale = 1;
	for (int i = 0; i < decimals; i++)
		scale *= 10;
	wl_ob_u64(b, (uint64_t)(v / scale));
	if (decimals) {
		char tmp[12];
		int64_t f = v % scale;
		for (int i = decimals - 1; i >= 0; i--) {
			tmp[i] = (char)('0' + f % 10);
			f /= 10;
		}
		wl_ob_putc(b, '.');
		wl_ob_write(b, tmp, (size_t)decimals);
	}
}

/* 0..255 as three digits each: dotted quads without division */
static const char octet_digits[769] =
	"000001002003004005006007008009010011012013014015016017018019020021022023024025"
	"026027028029030031032033034035036037038039040041042043044045046047048049050051"
	"052053054055056057058059060061062063064065066067068069070071072073074075076077"
	"078079080081082083084085086087088089090091092093094095096097098099100101102103"
	"104105106107108109110111112113114115116117118119120121122123124125126127128129"
	"130131132133134135136137138139140141142143144145146147148149150151152153154155"
	"156157158159160161162163164165166167168169170171172173174175176177178179180181"
	"182183184185186187188189190191192193194195196197198199200201202203204205206207"
	"208209210211212213214215216217218219220221222223224225226227228229230231232233"
	"234235236237238239240241242243244245246247248249250251252253254255";

char *wl_put_ipv4(char *p, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i], k = v >= 100 ? 3 : v >= 10 ? 2 : 1;
		/* three bytes copied (in bounds of both), the k digits kept */
		memcpy(p, octet_digits + v * 3 + 3 - k, 3);
		p += k;
		*p++ = '.';
	}
	return p - 1;
}

void wl_ob_ipv4(struct wl_obuf *b, const uint8_t a[4])
{
	wl_ob_done(b, wl_put_ipv4(wl_ob_room(b, 16), a));
}

/* An IPv6 address as glibc's inet_ntop writes it (RFC 5952's shape: the
 * first longest run of two or more zero groups as "::", lowercase hex, and
 * ::a.b.c.d / ::ffff:a.b.c.d for the IPv4-compatible and -mapped forms), in
 * a tenth of its time: inet_ntop formats each group with sprintf. */
void wl_ob_ipv6(struct wl_obuf *b, const uint8_t a[16])
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1, cur_len = 0;
	for (int i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (!w[i]) {
			if (cur < 0)
				cur = i, cur_len = 0;
			cur_len++;
		} else if (cur >= 0) {
			if (best < 0 || cur_len > best_len)
				best = cur, best_len = cur_len;
			cur = -1;
		}
	}
	if (cur >= 0 && (best < 0 || cur_len > best_len))
		best = cur, best_len = cur_len;
	if (best >= 0 && best_len < 2)
		best = -1;
	char tmp[48];
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				tmp[n++] = ':';
			continue;
		}
		if (i)
			tmp[n++] = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			wl_ob_write(b, tmp, n);
			wl_ob_ipv4(b, a + 12);
			return;
		}
		unsigned v = w[i];
		if (v >= 0x1000)
			tmp[n++] = hex[v >> 12];
		if (v >= 0x100)
			tmp[n++] = hex[v >> 8 & 15];
		if (v >= 0x10)
			tmp[n++] = hex[v >> 4 & 15];
		tmp[n++] = hex[v & 15];
	}
	if (best >= 0 && best + best_len == 8)
		tmp[n++] = ':';
	wl_ob_write(b, tmp, n);
}

void wl_ob_field_text(struct wl_obuf *b, const struct wl_msg *m, const struct wl_field *f, int redact)
{
	const char *pool = wl_msg_pool(m, 0);
	switch (f->type) {
	case WL_FT_UINT: wl_ob_u64(b, f->v.u); break;
	case WL_FT_INT: wl_ob_i64(b, f->v.i); break;
	case WL_FT_HEX: wl_ob_printf(b, "0x%" PRIx64, f->v.u); break;
	case WL_FT_BOOL: wl_ob_str(b, f->v.u ? "1" : "0"); break;
	case WL_FT_DOUBLE: wl_ob_double(b, f->v.d); break;
	case WL_FT_STR:
		if ((f->flags & WL_FIELD_SECRET) && redact)
			wl_ob_str(b, "********");
		else
			wl_ob_json_esc(b, pool + f->v.off, f->len);
		break;
	case WL_FT_BYTES: wl_ob_hex(b, (const uint8_t *)pool + f->v.off, f->len); break;
	case WL_FT_IPV4:
		wl_ob_ipv4(b, (const uint8_t *)pool + f->v.off);
		break;
	case WL_FT_IPV6:
		wl_ob_ipv6(b, (const uint8_t *)pool + f->v.off);
		break;
	case WL_FT_TIME: wl_ob_iso_time(b, f->v.i); break;
	default: break;
	}
}
