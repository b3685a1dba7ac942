/* digits.h - decimal integers written fast: the JSON, -T fields and the
 * dissectors' texts are mostly numbers. The tables are in fmt.c. */
#ifndef WL_DIGITS_H
#define WL_DIGITS_H

#include <stdint.h>
#include <string.h>

/* "00".."99", and 0 then 10^1..10^19 (the bounds wl_digits_u64 tests). */
extern const char wl_digit_pairs[201];
extern const uint64_t wl_pow10[20];
/* Decimal digits in v, without a loop: bit length times log10(2) is the
 * count or one short, and one compare says which. */
static inline unsigned wl_digits_u64(uint64_t v)
{
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;
	return t + (v >= wl_pow10[t]);
}
/* v in decimal at p (room for 20 bytes); returns the end. Integers are most
 * of the JSON: written from the last digit, in 32-bit arithmetic once the
 * rest fits (ports, lengths and sequence numbers always do). */
static inline char *wl_put_u64(char *p, uint64_t v)
{
	char *end = p + wl_digits_u64(v), *q = end;
	for (; v > UINT32_MAX; v /= 100) {
		q -= 2;
		memcpy(q, wl_digit_pairs + v % 100 * 2, 2);
	}
	uint32_t w = (uint32_t)v;
	for (; w >= 10000; w /= 10000) {  /* four at a time: half the divisions */
		uint32_t c = w % 10000;
		q -= 4;
		memcpy(q, wl_digit_pairs + c / 100 * 2, 2);
		memcpy(q + 2, wl_digit_pairs + c % 100 * 2, 2);
	}
	if (w >= 100) {
		q -= 2;
		memcpy(q, wl_digit_pairs + w % 100 * 2, 2);
		w /= 100;
	}
	if (w >= 10)
		memcpy(q - 2, wl_digit_pairs + w * 2, 2);
	else
		q[-1] = (char)('0' + w);
	return end;
}

#endif
