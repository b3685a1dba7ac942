/* fmt.c - vsnprintf for the formats dissectors write their texts and notes
 * with: %s %c %d %i %u %x %X %%, the flags 0 and -, a width, a precision
 * (.N or .*) and the sizes hh h l ll z j t. glibc's vsnprintf was a fifth of
 * the dissecting thread's time (locale and wide-character machinery); any
 * other conversion (%f, %p, +, #, ...) is handed to it, so the result is
 * always exactly what vsnprintf would write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "digits.h"
#include "wl.h"

struct out {
	char *p;
	size_t cap, n;           /* n counts what would be written, as vsnprintf */
};

static void out_mem(struct out *o, const char *s, size_t len)
{
	if (o->n < o->cap) {
		size_t room = o->cap - o->n;
		memcpy(o->p + o->n, s, len < room ? len : room);
	}
	o->n += len;
}

static void out_pad(struct out *o, char c, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out_mem(o, &c, 1);
}

struct spec {
	int left, zero;          /* flags - and 0 */
	int width, prec;         /* -1: none */
	int size;                /* 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 0 int */
	char conv;
};

/* Parses the conversion after '%'; 0 if it is one for vsnprintf. */
static int parse_spec(const char **fp, struct spec *s, va_list *ap)
{
	const char *f = *fp;
	*s = (struct spec){ 0, 0, -1, -1, 0, 0 };
	for (;; f++) {
		if (*f == '-')
			s->left = 1;
		else if (*f == '0')
			s->zero = 1;
		else
			break;
	}
	if (*f == '*')
		return 0;
	for (; *f >= '0' && *f <= '9'; f++)
		s->width = (s->width < 0 ? 0 : s->width) * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			if (s->prec < 0)
				s->prec = -1;
			f++;
		} else {
			for (s->prec = 0; *f >= '0' && *f <= '9'; f++)
				s->prec = s->prec * 10 + (*f - '0');
		}
	}
	if (f[0] == 'h' && f[1] == 'h') {
		s->size = 'H';
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		s->size = 'L';
		f += 2;
	} else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' || *f == 't') {
		s->size = *f++;
	}
	s->conv = *f;
	switch (s->conv) {
	case 's': case 'c': case 'i': case 'd': case 'u': case 'x': case 'X': case '%':
		break;
	default:
		return 0;
	}
	if (s->zero && (s->conv == 's' || s->conv == 'c'))
		return 0;   /* undefined in C; left to the C library */
	*fp = f + 1;
	return 1;
}

static uint64_t arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->size) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (uint64_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

static int64_t arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->size) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (int64_t)va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, intmax_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

/* body (digits or text) with the sign, padded to the width as printf pads. */
static void out_field(struct out *o, const struct spec *s, const char *sign, const char *body,
		      size_t len, int numeric)
{
	size_t slen = strlen(sign);
	size_t zeros = 0;
	if (numeric && s->prec >= 0 && (size_t)s->prec > len)
		zeros = (size_t)s->prec - len;
	size_t total = slen + zeros + len;
	size_t pad = s->width > 0 && (size_t)s->width > total ? (size_t)s->width - total : 0;
	int zero_pad = s->zero && !s->left && numeric && s->prec < 0;
	if (!s->left && !zero_pad)
		out_pad(o, ' ', pad);
	out_mem(o, sign, slen);
	if (zero_pad)
		out_pad(o, '0', pad);
	out_pad(o, '0', zeros);
	out_mem(o, body, len);
	if (s->left)
		out_pad(o, ' ', pad);
}

static const char hex_lower[] = "0123456789abcdef", hex_upper[] = "0123456789ABCDEF";

/* The digits of v ending at end, in hex from hexset or, NULL, in decimal;
 * their count. Constant bases: shifts and multiplications, not a division
 * per digit. */
size_t wl_u64_dec(char *end, uint64_t v)
{
	unsigned n = wl_digits_u64(v);
	wl_put_u64(end - n, v);
	return n;
}

static size_t digits_of(char *end, uint64_t v, const char *hexset)
{
	if (!hexset)
		return wl_u64_dec(end, v);
	char *p = end;
	do {
		*--p = hexset[v & 15];
		v >>= 4;
	} while (v);
	return (size_t)(end - p);
}

const char wl_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

const uint64_t wl_pow10[20] = {
	0, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
	10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
	1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
	10000000000000000000u,
};

static void conv_int(struct out *o, const struct spec *s, va_list *ap)
{
	char digits[24];
	size_t k = 0;
	const char *sign = "";
	uint64_t v;
	if (s->conv == 'd' || s->conv == 'i') {
		int64_t x = arg_signed(s, ap);
		v = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
		sign = x < 0 ? "-" : "";
	} else {
		v = arg_unsigned(s, ap);
	}
	const char *set = s->conv == 'X' ? hex_upper : s->conv == 'x' ? hex_lower : NULL;
	if (v || s->prec != 0)   /* printf writes nothing for 0 at precision 0 */
		k = digits_of(digits + sizeof digits, v, set);
	out_field(o, s, sign, digits + sizeof digits - k, k, 1);
}

static void conv_str(struct out *o, const struct spec *s, va_list *ap)
{
	const char *str = va_arg(*ap, const char *);
	if (!str)
		str = "(null)";
	size_t len = s->prec >= 0 ? strnlen(str, (size_t)s->prec) : strlen(str);
	out_field(o, s, "", str, len, 0);
}

/* v in decimal, or in hex (lower case) zero-padded to min digits. */
static void out_u64(struct out *o, uint64_t v, int hex, size_t min)
{
	char d[24];
	size_t k = digits_of(d + sizeof d, v, hex ? hex_lower : NULL);
	while (k < min)
		d[sizeof d - ++k] = '0';
	out_mem(o, d + sizeof d - k, k);
}

/* The conversions dissectors write most, without flags or width: %s %u %d
 * %x %02x %zu %llu. 1 with *fp past it, 0 for parse_spec. */
static int conv_plain(struct out *o, const char **fp, va_list *ap)
{
	const char *f = *fp;
	switch (f[0]) {
	case 's': {
		const char *str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		out_mem(o, str, strlen(str));
		break;
	}
	case 'u':
		out_u64(o, va_arg(*ap, unsigned), 0, 1);
		break;
	case 'x':
		out_u64(o, va_arg(*ap, unsigned), 1, 1);
		break;
	case 'd': {
		int v = va_arg(*ap, int);
		if (v < 0)
			out_mem(o, "-", 1);
		out_u64(o, v < 0 ? (uint64_t)0 - (uint64_t)(int64_t)v : (uint64_t)v, 0, 1);
		break;
	}
	case '0':
		if (f[1] != '2' || f[2] != 'x')
			return 0;
		out_u64(o, va_arg(*ap, unsigned), 1, 2);
		f += 2;
		break;
	case 'z':
		if (f[1] != 'u')
			return 0;
		out_u64(o, va_arg(*ap, size_t), 0, 1);
		f++;
		break;
	case 'l':
		if (f[1] != 'l' || f[2] != 'u')
			return 0;
		out_u64(o, va_arg(*ap, unsigned long long), 0, 1);
		f += 2;
		break;
	default:
		return 0;
	}
	*fp = f + 1;
	return 1;
}

/* The formatted length, or -1 when fmt needs vsnprintf (out is then garbage). */
static int fmt_fast(struct out *o, const char *fmt, va_list *ap)
{
	while (*fmt) {
		const char *pct = strchr(fmt, '%');
		if (!pct) {
			out_mem(o, fmt, strlen(fmt));
			break;
		}
		out_mem(o, fmt, (size_t)(pct - fmt));
		fmt = pct + 1;
		if (conv_plain(o, &fmt, ap))
			continue;
		struct spec s;
		if (!parse_spec(&fmt, &s, ap))
			return -1;
		if (s.conv == '%') {
			out_mem(o, "%", 1);
		} else if (s.conv == 'c') {
			char c = (char)va_arg(*ap, int);
			out_field(o, &s, "", &c, 1, 0);
		} else if (s.conv == 's') {
			conv_str(o, &s, ap);
		} else {
			conv_int(o, &s, ap);
		}
	}
	return o->n > INT32_MAX ? -1 : (int)o->n;
}

int wl_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct out o = { buf, cap, 0 };
	va_list copy;
	va_copy(copy, ap);
	int n = fmt_fast(&o, fmt, &copy);
	va_end(copy);
	if (n < 0)
		return vsnprintf(buf, cap, fmt, ap);
	if (cap)
		buf[(size_t)n < cap ? (size_t)n : cap - 1] = '\0';
	return n;
}

int wl_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = wl_vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}
