/* dfilter.c - Wireshark 4.0 display filters (wireshark-filter(4)): lexer,
 * recursive-descent parser with a depth limit, type checking against the
 * field registry, and the evaluator over a wl_qframe.
 *
 *   expr   := and { ("||" | "or") and }
 *   and    := not { ("&&" | "and") not }
 *   not    := ("!" | "not") not | "(" expr ")" | test
 *   test   := ["any" | "all"] value [ relop value | ["not"] "in" set ]
 *   value  := sum { "&" sum }                       bitwise AND
 *   sum    := prod { ("+" | "-") prod }
 *   prod   := atom { ("*" | "/" | "%") atom }
 *   atom   := WORD [slice] | STRING | CHAR | FUNC "(" value {"," value} ")" [slice]
 *           | "{" value "}"
 *   set    := "{" elem { [","] elem } "}"            elem := value [".." value]
 *
 * Semantics as tshark 4.0: a test holds when any occurrence of the field
 * satisfies it; "!=" (all_ne) when no occurrence equals, "~=" and "!=="
 * (any_ne) when some occurrence differs, "===" (all_eq) when all equal;
 * every test implies that its field exists; "matches" is PCRE2, caseless
 * unless the pattern says (?-i). AND and OR are n-ary nodes, so evaluation
 * recursion is bounded by the parse depth, which is bounded by
 * WL_DF_MAX_DEPTH.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qpriv.h"

#define MAX_LITERAL 16384   /* bytes of one literal */
#define MAX_SET 4096        /* elements of one set */
#define MAX_ARGS 16         /* arguments of a function */
#define MAX_SLICE 16        /* ranges of one slice */
#define MAX_VALUES 4096     /* values one node makes per frame */

/* ---- tokens ---- */

enum tok {
	T_EOF, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_COMMA, T_DOTDOT,
	T_AND, T_OR, T_NOT, T_REL, T_IN, T_ANY, T_ALL, T_BITAND, T_PLUS, T_MINUS, T_STAR,
	T_SLASH, T_PERCENT, T_WORD, T_STRING, T_CHAR, T_HASH,
};

enum relop {
	OP_EQ, OP_ALL_NE, OP_ALL_EQ, OP_ANY_NE, OP_GT, OP_GE, OP_LT, OP_LE, OP_CONTAINS,
	OP_MATCHES,
};

static const char *const op_text[] = {
	[OP_EQ] = "==", [OP_ALL_NE] = "!=", [OP_ALL_EQ] = "===", [OP_ANY_NE] = "!==",
	[OP_GT] = ">", [OP_GE] = ">=", [OP_LT] = "<", [OP_LE] = "<=",
	[OP_CONTAINS] = "contains", [OP_MATCHES] = "matches",
};

/* English operators and keywords. */
static const struct {
	const char *word;
	uint8_t tok, op;
} keywords[] = {
	{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 },
	{ "eq", T_REL, OP_EQ }, { "any_eq", T_REL, OP_EQ }, { "ne", T_REL, OP_ALL_NE },
	{ "all_ne", T_REL, OP_ALL_NE }, { "all_eq", T_REL, OP_ALL_EQ }, { "any_ne", T_REL, OP_ANY_NE },
	{ "gt", T_REL, OP_GT }, { "ge", T_REL, OP_GE }, { "lt", T_REL, OP_LT }, { "le", T_REL, OP_LE },
	{ "contains", T_REL, OP_CONTAINS }, { "matches", T_REL, OP_MATCHES },
	{ "bitwise_and", T_BITAND, 0 }, { "in", T_IN, 0 }, { "any", T_ANY, 0 }, { "all", T_ALL, 0 },
};

/* Symbols, longest first. */
static const struct {
	const char *s;
	uint8_t tok, op;
} symbols[] = {
	{ "===", T_REL, OP_ALL_EQ }, { "!==", T_REL, OP_ANY_NE }, { "==", T_REL, OP_EQ },
	{ "!=", T_REL, OP_ALL_NE }, { "~=", T_REL, OP_ANY_NE }, { ">=", T_REL, OP_GE },
	{ "<=", T_REL, OP_LE }, { "&&", T_AND, 0 }, { "||", T_OR, 0 }, { "..", T_DOTDOT, 0 },
	{ ">", T_REL, OP_GT }, { "<", T_REL, OP_LT }, { "~", T_REL, OP_MATCHES },
	{ "!", T_NOT, 0 }, { "&", T_BITAND, 0 }, { "(", T_LPAREN, 0 }, { ")", T_RPAREN, 0 },
	{ "{", T_LBRACE, 0 }, { "}", T_RBRACE, 0 }, { "[", T_LBRACKET, 0 }, { ",", T_COMMA, 0 },
	{ "+", T_PLUS, 0 }, { "*", T_STAR, 0 }, { "/", T_SLASH, 0 }, { "%", T_PERCENT, 0 },
	{ "#", T_HASH, 0 },
};

struct token {
	uint8_t tok, op;
	uint8_t raw;             /* r"..." */
	size_t pos, len;         /* in the filter text */
	char *str;               /* T_STRING: decoded bytes (T_CHAR: the value in num) */
	size_t slen;
	uint64_t num;
};

/* ---- the tree ---- */

enum vkind { VK_FIELD, VK_LIT, VK_FUNC, VK_ARITH };
enum litkind { LK_WORD, LK_STRING, LK_CHAR };
enum func { F_LEN, F_COUNT, F_UPPER, F_LOWER, F_STRING, F_MAX, F_MIN, F_ABS };
enum arith { A_ADD, A_SUB, A_MUL, A_DIV, A_MOD, A_AND };

static const struct {
	const char *name;
	uint8_t func, min, max;
} functions[] = {
	{ "len", F_LEN, 1, 1 }, { "count", F_COUNT, 1, 1 }, { "upper", F_UPPER, 1, 1 },
	{ "lower", F_LOWER, 1, 1 }, { "string", F_STRING, 1, 1 }, { "max", F_MAX, 1, MAX_ARGS },
	{ "min", F_MIN, 1, MAX_ARGS }, { "abs", F_ABS, 1, 1 },
};

enum rkind { R_LEN, R_TO_END, R_END };   /* [i:j], [i:], [i-j] (j inclusive); [i] is [i:1] */

struct range {
	int64_t start, arg;      /* R_LEN: the length; R_END: the end offset */
	uint8_t kind;
};

struct vnode {
	uint8_t kind, type;      /* enum vkind, enum wl_qtype once checked */
	uint8_t litkind, func, op, nargs;
	uint8_t nslice;
	uint8_t is_hexbyte;      /* a hex literal <= 0xff (may become one byte) */
	size_t pos, len;
	int field;
	struct wl_qval lit;      /* VK_LIT after conversion */
	const char *text;        /* VK_LIT: the word, or the decoded string */
	size_t tlen;
	struct vnode *arg[MAX_ARGS];
	struct range slice[MAX_SLICE];
};

enum tkind { N_AND, N_OR, N_NOT, N_TEST, N_EXISTS };

struct setelem {
	struct vnode *lo, *hi;
};

struct tnode {
	uint8_t kind, op, all, in;
	unsigned nkids;
	struct tnode **kids;
	struct vnode *lhs, *rhs;
	struct setelem *set;
	unsigned nset;
	pcre2_code *re;
	size_t pos, len;
};

/* ---- the filter ---- */

struct block {
	struct block *next;
	size_t used, cap;
	max_align_t data[];
};

struct wl_dfilter {
	char *text;
	struct tnode *root;
	struct block *mem;
	const char **protos;     /* wl_dfilter_protocols, with TLS for decrypted flows */
	const char **protos_clear;   /* the same without TLS when only they needed it */
	pcre2_code **res;
	unsigned nres, res_cap;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	int makes_values;        /* it makes values (slices, upper(), string()) */
	int below_apps;          /* wl_dfilter_below_apps */
	int oom;                 /* a node could not be made */
	/* evaluation scratch: a stack of values and of bytes */
	struct wl_qval *vals;
	unsigned nvals, vals_cap;
	char *bytes;
	size_t nbytes, bytes_cap;
};

struct parser {
	struct wl_dfilter *df;
	const struct wl_qreg *reg;
	const char *s;
	size_t n, pos;
	struct token tk;         /* the current token */
	int have_tk;
	int depth;
	char *err;
	size_t errlen;
	int failed;
};

static void *take(struct wl_dfilter *df, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct block *b = df->mem;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = malloc(sizeof *b + cap);
		if (!b) {
			df->oom = 1;   /* wl_dfilter_compile fails the filter */
			return NULL;
		}
		b->used = 0;
		b->cap = cap;
		b->next = df->mem;
		df->mem = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

/* ---- errors: the reason, the filter, a caret line under the culprit ---- */

/* Display columns of s[0..n): code points, control characters shown as a space. */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

__attribute__((format(printf, 4, 5)))
static void fail_at(struct parser *p, size_t pos, size_t len, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = 1;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (char *c = msg; *c; c++)   /* the filter's own control characters stay off the lines */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	if (pos > p->n)
		pos = p->n;
	if (len > p->n - pos)
		len = p->n - pos;
	/* a window of the filter around the position, on one line */
	size_t from = pos > 60 ? pos - 60 : 0, to = p->n - pos > 100 ? pos + 100 : p->n;
	while (from > 0 && ((unsigned char)p->s[from] & 0xc0) == 0x80)
		from--;
	while (to < p->n && ((unsigned char)p->s[to] & 0xc0) == 0x80)
		to++;
	char line[1024];
	size_t k = 0;
	for (size_t i = from; i < to && k + 1 < sizeof line; i++)
		line[k++] = (unsigned char)p->s[i] < 0x20 ? ' ' : p->s[i];
	line[k] = '\0';
	char caret[512];
	size_t c = 0, pad = columns(p->s + from, pos - from);
	for (size_t i = 0; i < pad && c + 1 < sizeof caret; i++)
		caret[c++] = ' ';
	size_t width = len ? columns(p->s + pos, len) : 1;
	for (size_t i = 0; i < width && c + 1 < sizeof caret; i++)
		caret[c++] = i ? '~' : '^';
	caret[c] = '\0';
	snprintf(p->err, p->errlen, "%s\n    %s%s\n    %s", msg, from ? "..." : "", line, caret);
}

/* ---- lexer ---- */

static int is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c >= 0x80;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void put_utf8(char *d, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		d[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		d[(*n)++] = (char)(0xc0 | cp >> 6);
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		d[(*n)++] = (char)(0xe0 | cp >> 12);
		d[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		d[(*n)++] = (char)(0xf0 | cp >> 18);
		d[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3f));
		d[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* One escape after a backslash at s[i] (i is past the backslash); appends
 * its bytes to d. Returns the index after it, or 0 after an error. */
static size_t escape(struct parser *p, size_t i, char *d, size_t *dn)
{
	static const char simple_in[] = "'\"\\abfnrtv", simple_out[] = "'\"\\\a\b\f\n\r\t\v";
	size_t start = i - 1;
	if (i >= p->n) {
		fail_at(p, start, 1, "A string ends with a lone backslash.");
		return 0;
	}
	char c = p->s[i];
	const char *k = c ? strchr(simple_in, c) : NULL;
	if (k) {
		d[(*dn)++] = simple_out[k - simple_in];
		return i + 1;
	}
	if (c >= '0' && c <= '7') {
		unsigned v = 0;
		size_t j = i;
		for (; j < p->n && j < i + 3 && p->s[j] >= '0' && p->s[j] <= '7'; j++)
			v = v * 8 + (unsigned)(p->s[j] - '0');
		if (v > 0xff) {
			fail_at(p, start, j - start, "\\%.*s is not a valid octal escape (more than 255).",
				(int)(j - i), p->s + i);
			return 0;
		}
		d[(*dn)++] = (char)v;
		return j;
	}
	if (c == 'x') {
		unsigned v = 0;
		size_t j = i + 1;
		for (; j < p->n && j < i + 3 && hexval(p->s[j]) >= 0; j++)
			v = v * 16 + (unsigned)hexval(p->s[j]);
		if (j == i + 1) {
			fail_at(p, start, 2, "\\x needs one or two hexadecimal digits.");
			return 0;
		}
		d[(*dn)++] = (char)v;
		return j;
	}
	if (c == 'u' || c == 'U') {
		size_t want = c == 'u' ? 4 : 8, j = i + 1;
		uint32_t cp = 0;
		for (; j < p->n && j < i + 1 + want && hexval(p->s[j]) >= 0; j++)
			cp = cp * 16 + (uint32_t)hexval(p->s[j]);
		/* C's rule, as tshark 4.0: no code point below U+00A0 but $ @ `, no surrogate */
		if (j != i + 1 + want || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp < 0xa0 && cp != 0x24 && cp != 0x40 && cp != 0x60)) {
			fail_at(p, start, j - start, "\\%.*s is not a valid universal character name",
				(int)(j - i), p->s + i);
			return 0;
		}
		put_utf8(d, dn, cp);
		return j;
	}
	size_t cl = 1;
	while (i + cl < p->n && ((unsigned char)p->s[i + cl] & 0xc0) == 0x80)
		cl++;
	fail_at(p, start, cl + 1, "\\%.*s is not a valid character escape sequence", (int)cl, p->s + i);
	return 0;
}

/* "..." or r"..." starting at quote index q. */
static int lex_string(struct parser *p, size_t start, size_t q, int raw, struct token *t)
{
	size_t i = q + 1;
	/* decoded text is never longer than the source (\u makes <= 4 bytes of 6) */
	size_t cap = 0;
	while (i + cap < p->n && p->s[i + cap] != '"') {
		if (p->s[i + cap] == '\\')
			cap++;
		cap++;
	}
	char *d = take(p->df, cap + 1);
	if (!d) {
		fail_at(p, start, 1, "Out of memory.");
		return -1;
	}
	size_t dn = 0;
	for (;;) {
		if (i >= p->n) {
			fail_at(p, start, p->n - start, "The string is not closed: a \" is missing.");
			return -1;
		}
		char c = p->s[i];
		if (c == '"')
			break;
		if (c == '\\' && raw) {
			/* a raw string keeps its backslashes; \" does not end it */
			d[dn++] = '\\';
			if (i + 1 < p->n)
				d[dn++] = p->s[i + 1];
			i += 2;
		} else if (c == '\\') {
			i = escape(p, i + 1, d, &dn);
			if (!i)
				return -1;
		} else {
			d[dn++] = c;
			i++;
		}
		if (dn > MAX_LITERAL) {
			fail_at(p, start, i - start, "The string is longer than %d bytes.", MAX_LITERAL);
			return -1;
		}
	}
	d[dn] = '\0';
	t->tok = T_STRING;
	t->raw = (uint8_t)raw;
	t->str = d;
	t->slen = dn;
	t->pos = start;
	t->len = i + 1 - start;
	p->pos = i + 1;
	return 0;
}

/* 'c', '\n', '\x0a', '\012': an integer. */
static int lex_char(struct parser *p, size_t start, struct token *t)
{
	char d[8];
	size_t dn = 0, i = start + 1;
	if (i < p->n && p->s[i] == '\\') {
		i = escape(p, i + 1, d, &dn);
		if (!i)
			return -1;
	} else if (i < p->n && p->s[i] != '\'') {
		d[dn++] = p->s[i++];
	}
	if (dn != 1 || i >= p->n || p->s[i] != '\'') {
		size_t end = i;
		while (end < p->n && p->s[end] != '\'' && end - start < 16)
			end++;
		fail_at(p, start, end + 1 - start, "%.*s is not a valid character constant.",
			(int)(end + 1 - start), p->s + start);
		return -1;
	}
	t->tok = T_CHAR;
	t->num = (unsigned char)d[0];
	t->pos = start;
	t->len = i + 1 - start;
	p->pos = i + 1;
	return 0;
}

static int prev_is_value(const struct parser *p, uint8_t prev)
{
	(void)p;
	return prev == T_WORD || prev == T_STRING || prev == T_CHAR || prev == T_RPAREN ||
	       prev == T_RBRACE;
}

static int lex(struct parser *p, struct token *t, uint8_t prev)
{
	memset(t, 0, sizeof *t);
	while (p->pos < p->n && isspace((unsigned char)p->s[p->pos]))
		p->pos++;
	size_t start = p->pos;
	t->pos = start;
	if (start >= p->n) {
		t->tok = T_EOF;
		return 0;
	}
	const char *s = p->s + start;
	size_t left = p->n - start;
	if (s[0] == '"')
		return lex_string(p, start, start, 0, t);
	if ((s[0] == 'r' || s[0] == 'R') && left > 1 && s[1] == '"')
		return lex_string(p, start, start + 1, 1, t);
	if (s[0] == '\'')
		return lex_char(p, start, t);
	if (s[0] == '$' || s[0] == '@') {
		fail_at(p, start, 1, "\"%c\": field references and raw fields are not supported.", s[0]);
		return -1;
	}
	/* "-" is subtraction after a value ("A -B", "A - B"), else part of a word */
	if (s[0] == '-' && (prev_is_value(p, prev) || left == 1 || isspace((unsigned char)s[1]))) {
		t->tok = T_MINUS;
		t->len = 1;
		p->pos++;
		return 0;
	}
	/* a word never starts with '/': it is division ("a / 2"; CIDR is inside a word) */
	if (!is_word_char((unsigned char)s[0]) || s[0] == '/' || (s[0] == '.' && left > 1 && s[1] == '.')) {
		for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
			size_t k = strlen(symbols[i].s);
			if (k <= left && memcmp(s, symbols[i].s, k) == 0) {
				t->tok = symbols[i].tok;
				t->op = symbols[i].op;
				t->len = k;
				p->pos += k;
				return 0;
			}
		}
		size_t cl = 1;
		while (cl < left && ((unsigned char)s[cl] & 0xc0) == 0x80)
			cl++;
		fail_at(p, start, cl, "\"%.*s\" was unexpected in this context.", (int)cl, s);
		return -1;
	}
	size_t k = 0;
	while (k < left && is_word_char((unsigned char)s[k]) && !(s[k] == '.' && k + 1 < left && s[k + 1] == '.'))
		k++;
	if (k > MAX_LITERAL) {
		fail_at(p, start, k, "A word longer than %d bytes.", MAX_LITERAL);
		return -1;
	}
	t->tok = T_WORD;
	t->len = k;
	p->pos += k;
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strlen(keywords[i].word) == k && memcmp(keywords[i].word, s, k) == 0) {
			t->tok = keywords[i].tok;
			t->op = keywords[i].op;
		}
	return 0;
}

static struct token *peek(struct parser *p)
{
	if (!p->have_tk && !p->failed) {
		uint8_t prev = p->tk.tok;
		if (lex(p, &p->tk, prev) < 0)
			p->tk.tok = T_EOF;
		p->have_tk = 1;
	}
	return &p->tk;
}

static void next(struct parser *p)
{
	peek(p);
	p->have_tk = 0;
}

static void unexpected(struct parser *p, const struct token *t)
{
	if (t->tok == T_EOF)
		fail_at(p, p->n, 0, "Unexpected end of filter expression.");
	else
		fail_at(p, t->pos, t->len, "\"%.*s\" was unexpected in this context.", (int)t->len,
			p->s + t->pos);
}

/* ---- parser ---- */

static int enter(struct parser *p, size_t pos)
{
	if (++p->depth > WL_DF_MAX_DEPTH) {
		fail_at(p, pos, 1, "The filter nests deeper than %d levels.", WL_DF_MAX_DEPTH);
		return -1;
	}
	return 0;
}

static struct vnode *new_vnode(struct parser *p, uint8_t kind, size_t pos, size_t len)
{
	struct vnode *v = take(p->df, sizeof *v);
	if (!v) {
		fail_at(p, pos, len, "Out of memory.");
		return NULL;
	}
	v->kind = kind;
	v->pos = pos;
	v->len = len;
	v->field = -1;
	return v;
}

static struct vnode *parse_value(struct parser *p);

static int64_t parse_offset(struct parser *p, const char *s, size_t n, size_t pos, int *ok)
{
	char tmp[32];
	if (n == 0 || n >= sizeof tmp) {
		fail_at(p, pos, n, "\"%.*s\" is not a valid slice offset.", (int)(n > 20 ? 20 : n), s);
		*ok = 0;
		return 0;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *end;
	errno = 0;
	long long v = strtoll(tmp, &end, 10);
	if (*end || errno || v > INT32_MAX || v < INT32_MIN) {
		fail_at(p, pos, n, "\"%s\" is not a valid slice offset.", tmp);
		*ok = 0;
		return 0;
	}
	*ok = 1;
	return v;
}

/* [i:j] [i-j] [i] [:j] [i:] and lists of them: read from the raw text. */
static int parse_slice(struct parser *p, struct vnode *v)
{
	struct token *t = peek(p);
	size_t i = t->pos + 1, start = t->pos;
	p->have_tk = 0;
	for (;;) {
		while (i < p->n && isspace((unsigned char)p->s[i]))
			i++;
		size_t a = i;
		if (i < p->n && (p->s[i] == '-' || p->s[i] == '+'))
			i++;
		while (i < p->n && isdigit((unsigned char)p->s[i]))
			i++;
		size_t alen = i - a;
		char sep = i < p->n ? p->s[i] : '\0';
		int64_t s1 = 0, s2 = 0;
		int ok = 1;
		if (alen)
			s1 = parse_offset(p, p->s + a, alen, a, &ok);
		if (!ok)
			return -1;
		struct range r = { s1, 1, R_LEN };
		if (sep == ':' || (sep == '-' && alen)) {
			i++;
			size_t b = i;
			if (i < p->n && p->s[i] == '-')
				i++;
			while (i < p->n && isdigit((unsigned char)p->s[i]))
				i++;
			if (i > b) {
				s2 = parse_offset(p, p->s + b, i - b, b, &ok);
				if (!ok)
					return -1;
			} else if (sep == '-') {
				fail_at(p, b, 1, "A slice [i-j] needs its end offset.");
				return -1;
			}
			if (sep == ':' && i == b)
				r.kind = R_TO_END;
			else if (sep == ':')
				r.arg = s2;
			else {
				r.kind = R_END;
				r.arg = s2;
			}
			if (sep == ':' && i > b && s2 < 0) {
				fail_at(p, b, i - b, "A slice length cannot be negative.");
				return -1;
			}
		} else if (!alen) {
			fail_at(p, a, 1, "A slice needs an offset: [i:j], [i-j], [i], [:j] or [i:].");
			return -1;
		}
		if (v->nslice == MAX_SLICE) {
			fail_at(p, start, i - start, "A slice has more than %d ranges.", MAX_SLICE);
			return -1;
		}
		v->slice[v->nslice++] = r;
		while (i < p->n && isspace((unsigned char)p->s[i]))
			i++;
		if (i < p->n && p->s[i] == ',') {
			i++;
			continue;
		}
		if (i < p->n && p->s[i] == ']') {
			p->pos = i + 1;
			v->len = p->pos - v->pos;
			return 0;
		}
		fail_at(p, i, 1, "A slice is not closed: a ] is missing.");
		return -1;
	}
}

static struct vnode *parse_function(struct parser *p, const struct token *name, unsigned fi)
{
	struct vnode *v = new_vnode(p, VK_FUNC, name->pos, name->len);
	if (!v)
		return NULL;
	v->func = functions[fi].func;
	next(p);  /* ( */
	if (peek(p)->tok == T_RPAREN) {
		fail_at(p, name->pos, name->len, "%s() needs %s argument.", functions[fi].name,
			functions[fi].min > 1 ? "more than one" : "an");
		return NULL;
	}
	for (;;) {
		if (v->nargs == functions[fi].max) {
			fail_at(p, peek(p)->pos, peek(p)->len, "%s() takes at most %u argument%s.",
				functions[fi].name, functions[fi].max, functions[fi].max > 1 ? "s" : "");
			return NULL;
		}
		struct vnode *a = parse_value(p);
		if (!a)
			return NULL;
		v->arg[v->nargs++] = a;
		struct token *t = peek(p);
		if (t->tok == T_COMMA) {
			next(p);
			continue;
		}
		if (t->tok == T_RPAREN) {
			v->len = t->pos + 1 - v->pos;
			next(p);
			break;
		}
		unexpected(p, t);
		return NULL;
	}
	if (peek(p)->tok == T_LBRACKET && parse_slice(p, v) < 0)
		return NULL;
	return v;
}

static struct vnode *parse_atom(struct parser *p)
{
	struct token *t = peek(p);
	if (p->failed)
		return NULL;
	if (t->tok == T_LBRACE) {
		size_t pos = t->pos;
		if (enter(p, pos) < 0)
			return NULL;
		next(p);
		struct vnode *v = parse_value(p);
		if (!v)
			return NULL;
		if (peek(p)->tok != T_RBRACE) {
			unexpected(p, peek(p));
			return NULL;
		}
		next(p);
		p->depth--;
		return v;
	}
	if (t->tok == T_STRING || t->tok == T_CHAR) {
		struct vnode *v = new_vnode(p, VK_LIT, t->pos, t->len);
		if (!v)
			return NULL;
		v->litkind = t->tok == T_STRING ? LK_STRING : LK_CHAR;
		v->text = t->str;
		v->tlen = t->slen;
		v->lit.n.u = t->num;
		next(p);
		return v;
	}
	if (t->tok != T_WORD) {
		unexpected(p, t);
		return NULL;
	}
	struct token w = *t;
	next(p);
	if (peek(p)->tok == T_LPAREN) {
		for (unsigned i = 0; i < sizeof functions / sizeof functions[0]; i++)
			if (strlen(functions[i].name) == w.len && memcmp(functions[i].name, p->s + w.pos, w.len) == 0) {
				if (enter(p, w.pos) < 0)
					return NULL;
				struct vnode *v = parse_function(p, &w, i);
				p->depth--;
				return v;
			}
		fail_at(p, w.pos, w.len, "The function '%.*s' does not exist.", (int)w.len, p->s + w.pos);
		return NULL;
	}
	struct vnode *v = new_vnode(p, VK_LIT, w.pos, w.len);
	if (!v)
		return NULL;
	v->litkind = LK_WORD;
	v->text = p->s + w.pos;
	v->tlen = w.len;
	int id = wl__qreg_find(p->reg, v->text, v->tlen);
	if (id >= 0) {
		v->kind = VK_FIELD;
		v->field = id;
	}
	struct token *n = peek(p);
	if (n->tok == T_HASH) {
		fail_at(p, n->pos, n->len, "The layer operator (#) is not supported.");
		return NULL;
	}
	if (n->tok == T_LBRACKET && parse_slice(p, v) < 0)
		return NULL;
	return v;
}

static struct vnode *binary(struct parser *p, uint8_t op, struct vnode *a, struct vnode *b)
{
	struct vnode *v = new_vnode(p, VK_ARITH, a->pos, b->pos + b->len - a->pos);
	if (!v)
		return NULL;
	v->op = op;
	v->arg[0] = a;
	v->arg[1] = b;
	v->nargs = 2;
	return v;
}

static struct vnode *parse_prod(struct parser *p)
{
	struct vnode *a = parse_atom(p);
	while (a) {
		uint8_t tok = peek(p)->tok, op;
		if (tok == T_STAR)
			op = A_MUL;
		else if (tok == T_SLASH)
			op = A_DIV;
		else if (tok == T_PERCENT)
			op = A_MOD;
		else
			break;
		next(p);
		struct vnode *b = parse_atom(p);
		a = b ? binary(p, op, a, b) : NULL;
	}
	return a;
}

static struct vnode *parse_sum(struct parser *p)
{
	struct vnode *a = parse_prod(p);
	while (a) {
		uint8_t tok = peek(p)->tok;
		if (tok != T_PLUS && tok != T_MINUS)
			break;
		next(p);
		struct vnode *b = parse_prod(p);
		a = b ? binary(p, tok == T_PLUS ? A_ADD : A_SUB, a, b) : NULL;
	}
	return a;
}

static struct vnode *parse_value(struct parser *p)
{
	if (enter(p, peek(p)->pos) < 0)
		return NULL;
	struct vnode *a = parse_sum(p);
	while (a && peek(p)->tok == T_BITAND) {
		next(p);
		struct vnode *b = parse_sum(p);
		a = b ? binary(p, A_AND, a, b) : NULL;
	}
	p->depth--;
	return a;
}

static struct tnode *new_tnode(struct parser *p, uint8_t kind, size_t pos)
{
	struct tnode *t = take(p->df, sizeof *t);
	if (!t)
		fail_at(p, pos, 1, "Out of memory.");
	else
		t->kind = kind;
	return t;
}

static int parse_set(struct parser *p, struct tnode *t)
{
	struct token *tk = peek(p);
	if (tk->tok != T_LBRACE) {
		unexpected(p, tk);
		return -1;
	}
	next(p);
	struct setelem *e = NULL;
	unsigned cap = 0;
	for (;;) {
		tk = peek(p);
		if (tk->tok == T_RBRACE && t->nset) {
			next(p);
			return 0;
		}
		if (t->nset && tk->tok == T_COMMA) {
			next(p);
			tk = peek(p);
		}
		if (t->nset == MAX_SET) {
			fail_at(p, tk->pos, tk->len, "A set has more than %d elements.", MAX_SET);
			return -1;
		}
		struct vnode *lo = parse_atom(p), *hi = NULL;
		if (!lo)
			return -1;
		if (peek(p)->tok == T_DOTDOT) {
			next(p);
			if (!(hi = parse_atom(p)))
				return -1;
		}
		if (t->nset == cap) {
			unsigned nc = cap ? cap * 2 : 8;
			struct setelem *ne = take(p->df, nc * sizeof *ne);
			if (!ne)
				return -1;
			if (e)
				memcpy(ne, e, t->nset * sizeof *e);
			e = ne;
			cap = nc;
			t->set = e;
		}
		e[t->nset++] = (struct setelem){ lo, hi };
	}
}

static struct tnode *parse_test(struct parser *p)
{
	struct token *tk = peek(p);
	size_t pos = tk->pos;
	int all = -1;
	if (tk->tok == T_ANY || tk->tok == T_ALL) {
		all = tk->tok == T_ALL;
		next(p);
	}
	struct vnode *lhs = parse_value(p);
	if (!lhs)
		return NULL;
	struct tnode *t = new_tnode(p, N_EXISTS, pos);
	if (!t)
		return NULL;
	t->lhs = lhs;
	t->pos = pos;
	tk = peek(p);
	int negate = 0;
	if (tk->tok == T_NOT) {   /* "not in" */
		size_t npos = tk->pos, nlen = tk->len;
		next(p);
		if (peek(p)->tok != T_IN) {
			fail_at(p, npos, nlen, "\"%.*s\" was unexpected in this context.", (int)nlen, p->s + npos);
			return NULL;
		}
		negate = 1;
		tk = peek(p);
	}
	if (tk->tok == T_REL || tk->tok == T_IN) {
		t->kind = N_TEST;
		t->in = tk->tok == T_IN;
		t->op = tk->tok == T_IN ? OP_EQ : tk->op;
		if (all == 1)
			t->op = t->op == OP_EQ ? OP_ALL_EQ : t->op == OP_ANY_NE ? OP_ALL_NE : t->op;
		else if (all == 0 && t->op == OP_ALL_NE)
			t->op = OP_ANY_NE;
		else if (all == 0 && t->op == OP_ALL_EQ)
			t->op = OP_EQ;
		t->all = all == 1;
		t->pos = tk->pos;
		t->len = tk->len;
		next(p);
		if (t->in ? parse_set(p, t) < 0 : !(t->rhs = parse_value(p)))
			return NULL;
		if (peek(p)->tok == T_REL) {  /* "a == b == c" */
			tk = peek(p);
			fail_at(p, t->rhs ? t->rhs->pos : tk->pos, t->rhs ? t->rhs->len : tk->len,
				"Left side of \"%.*s\" expression must be a field or function, not %.*s.",
				(int)tk->len, p->s + tk->pos, t->rhs ? (int)t->rhs->len : 0,
				t->rhs ? p->s + t->rhs->pos : "");
			return NULL;
		}
	} else if (all >= 0) {
		fail_at(p, pos, lhs->pos + lhs->len - pos, "\"%s\" needs a comparison after it.",
			all ? "all" : "any");
		return NULL;
	}
	if (negate) {
		struct tnode *n = new_tnode(p, N_NOT, pos);
		if (!n || !(n->kids = take(p->df, sizeof *n->kids)))
			return NULL;
		n->kids[0] = t;
		n->nkids = 1;
		return n;
	}
	return t;
}

static struct tnode *parse_or(struct parser *p);

static struct tnode *parse_not(struct parser *p)
{
	struct token *tk = peek(p);
	if (p->failed)
		return NULL;
	if (enter(p, tk->pos) < 0)
		return NULL;
	struct tnode *r;
	if (tk->tok == T_NOT) {
		size_t pos = tk->pos;
		next(p);
		struct tnode *k = parse_not(p);
		r = k ? new_tnode(p, N_NOT, pos) : NULL;
		if (r && !(r->kids = take(p->df, sizeof *r->kids)))
			r = NULL;
		if (r) {
			r->kids[0] = k;
			r->nkids = 1;
		}
	} else if (tk->tok == T_LPAREN) {
		next(p);
		r = parse_or(p);
		if (r && peek(p)->tok != T_RPAREN) {
			unexpected(p, peek(p));
			r = NULL;
		}
		if (r)
			next(p);
	} else {
		r = parse_test(p);
	}
	p->depth--;
	return r;
}

/* AND and OR chains become one node with all their operands. */
static struct tnode *parse_chain(struct parser *p, uint8_t tok, uint8_t kind,
				 struct tnode *(*sub)(struct parser *))
{
	struct tnode *first = sub(p);
	if (!first || peek(p)->tok != tok)
		return first;
	struct tnode *t = new_tnode(p, kind, first->pos);
	unsigned cap = 4;
	if (!t || !(t->kids = take(p->df, cap * sizeof *t->kids)))
		return NULL;
	t->kids[t->nkids++] = first;
	while (peek(p)->tok == tok) {
		next(p);
		struct tnode *k = sub(p);
		if (!k)
			return NULL;
		if (t->nkids == cap) {
			struct tnode **nk = take(p->df, cap * 2 * sizeof *nk);
			if (!nk)
				return NULL;
			memcpy(nk, t->kids, cap * sizeof *nk);
			t->kids = nk;
			cap *= 2;
		}
		t->kids[t->nkids++] = k;
	}
	return t;
}

static struct tnode *parse_and(struct parser *p)
{
	return parse_chain(p, T_AND, N_AND, parse_not);
}

static struct tnode *parse_or(struct parser *p)
{
	return parse_chain(p, T_OR, N_OR, parse_and);
}

/* ---- literals: converted to the type of the other side ---- */

static const char *qtype_name(uint8_t t)
{
	static const char *const names[] = {
		[QT_NONE] = "nothing", [QT_UINT] = "Unsigned integer", [QT_INT] = "Signed integer",
		[QT_BOOL] = "Boolean", [QT_DOUBLE] = "Floating point", [QT_RELTIME] = "Time offset",
		[QT_ABSTIME] = "Date and time", [QT_STR] = "Character string",
		[QT_BYTES] = "Byte sequence", [QT_IPV4] = "IPv4 address", [QT_IPV6] = "IPv6 address",
		[QT_PROTO] = "Protocol",
	};
	return t < sizeof names / sizeof names[0] ? names[t] : "?";
}

static int word_is(const struct vnode *v, const char *w)
{
	return strlen(w) == v->tlen && memcmp(v->text, w, v->tlen) == 0;
}

/* Integers as tshark reads them: decimal, 0x hex, 0 octal, 0b binary, a sign. */
static int parse_integer(struct parser *p, struct vnode *v, int is_signed)
{
	char tmp[80];
	if (v->tlen >= sizeof tmp)
		goto bad;
	memcpy(tmp, v->text, v->tlen);
	tmp[v->tlen] = '\0';
	const char *s = tmp;
	int neg = 0;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) {
		base = 2;
		s += 2;
	} else if (s[0] == '0' && s[1]) {
		base = 8;
		s++;
	}
	if (!*s)
		goto bad;
	uint64_t u = 0;
	for (; *s; s++) {
		int d = hexval((unsigned char)*s);
		if (d < 0 || d >= base)
			goto bad;
		if (u > (UINT64_MAX - (unsigned)d) / (unsigned)base) {
			fail_at(p, v->pos, v->len, "\"%s\" causes an integer overflow.", tmp);
			return -1;
		}
		u = u * (unsigned)base + (unsigned)d;
	}
	v->is_hexbyte = base == 16 && !neg && u <= 0xff;
	if (is_signed) {
		if (u > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
			fail_at(p, v->pos, v->len, "\"%s\" causes an integer overflow.", tmp);
			return -1;
		}
		v->lit.type = QT_INT;
		v->lit.n.i = neg ? (int64_t)(0 - u) : (int64_t)u;
	} else {
		v->lit.type = QT_UINT;
		v->lit.n.u = u;
		if (neg && u) {  /* as tshark: accepted, and no unsigned value equals it */
			if (u > (uint64_t)INT64_MAX + 1) {
				fail_at(p, v->pos, v->len, "\"%s\" causes an integer overflow.", tmp);
				return -1;
			}
			v->lit.type = QT_INT;
			v->lit.n.i = (int64_t)(0 - u);
		}
	}
	return 0;
bad:
	fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid number.", (int)v->tlen, v->text);
	return -1;
}

/* Seconds with up to 9 decimals to ns, exactly; a sign; 1e3 forms via strtod. */
static int parse_seconds(struct parser *p, struct vnode *v)
{
	char tmp[80];
	if (v->tlen == 0 || v->tlen >= sizeof tmp)
		goto bad;
	memcpy(tmp, v->text, v->tlen);
	tmp[v->tlen] = '\0';
	const char *s = tmp;
	int neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	uint64_t sec = 0, frac = 0;
	int digits = 0, nd = 0;
	for (; isdigit((unsigned char)*s); s++, nd++) {
		if (sec > UINT64_MAX / 10 / 1000000000u)
			goto bad;
		sec = sec * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++, nd++)
			if (digits < 9) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				digits++;
			}
	if (*s || !nd) {
		char *end;
		double d = strtod(tmp, &end);
		if (*end || !isfinite(d) || fabs(d) > 9e9)
			goto bad;
		v->lit.type = QT_RELTIME;
		v->lit.n.i = (int64_t)llround(d * 1e9);
		return 0;
	}
	for (; digits < 9; digits++)
		frac *= 10;
	v->lit.type = QT_RELTIME;
	v->lit.n.i = (int64_t)(sec * 1000000000u + frac) * (neg ? -1 : 1);
	return 0;
bad:
	fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid time offset (seconds).", (int)v->tlen, v->text);
	return -1;
}

/* "2020-07-04T12:34:56[.frac][Z|+hh:mm]" or "Sep 26, 2004 23:18:04.954975 [UTC]". */
static int parse_abstime(struct parser *p, struct vnode *v)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char tmp[128];
	if (v->tlen >= sizeof tmp)
		goto bad;
	memcpy(tmp, v->text, v->tlen);
	tmp[v->tlen] = '\0';
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *rest = NULL;
	int utc = 0;
	long off = 0;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	char mname[4];
	if (sscanf(tmp, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3) {
		rest = tmp + n;
		if (*rest == 'T' || *rest == ' ')
			rest++;
		int k = 0;
		if (*rest && sscanf(rest, "%2d:%2d%n", &h, &mi, &k) == 2) {
			rest += k;
			if (*rest == ':' && sscanf(rest + 1, "%2d%n", &sec, &k) == 1)
				rest += 1 + k;
		}
	} else if (sscanf(tmp, "%3s %d, %d %d:%d:%d%n", mname, &d, &y, &h, &mi, &sec, &n) == 6) {
		mo = 0;
		for (int i = 0; i < 12; i++)
			if (strcmp(mname, mon[i]) == 0)
				mo = i + 1;
		if (!mo)
			goto bad;
		rest = tmp + n;
	} else {
		goto bad;
	}
	int64_t frac = 0;
	if (*rest == '.') {
		int digits = 0;
		for (rest++; isdigit((unsigned char)*rest); rest++)
			if (digits++ < 9)
				frac = frac * 10 + (*rest - '0');
		for (; digits < 9; digits++)
			frac *= 10;
	}
	while (*rest == ' ')
		rest++;
	if (strcmp(rest, "Z") == 0 || strcmp(rest, "UTC") == 0) {
		utc = 1;
	} else if ((*rest == '+' || *rest == '-') && isdigit((unsigned char)rest[1])) {
		int oh = 0, om = 0;
		if (sscanf(rest + 1, "%2d:%2d", &oh, &om) < 1 && sscanf(rest + 1, "%2d%2d", &oh, &om) < 1)
			goto bad;
		off = (oh * 3600L + om * 60L) * (*rest == '-' ? -1 : 1);
		utc = 1;
	} else if (*rest) {
		goto bad;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		goto bad;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	time_t t = utc ? timegm(&tm) - off : mktime(&tm);
	v->lit.type = QT_ABSTIME;
	v->lit.n.i = (int64_t)t * 1000000000 + frac;
	return 0;
bad:
	fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid absolute time. Example: \"Nov 12, 1999 08:55:44.123\" "
		"or \"2011-07-04 12:34:56\"", (int)v->tlen, v->text);
	return -1;
}

/* aa:bb:cc, aa-bb-cc, aa.bb.cc, aabbcc, or one byte as 0xaa. */
static int parse_bytes(struct parser *p, struct vnode *v)
{
	uint8_t *d = take(p->df, v->tlen / 2 + 1);
	if (!d)
		return -1;
	size_t n = 0, i = 0;
	const char *s = v->text;
	char sep = 0;
	while (i < v->tlen) {
		int hi = hexval((unsigned char)s[i]);
		int lo = i + 1 < v->tlen ? hexval((unsigned char)s[i + 1]) : -1;
		if (hi < 0)
			goto bad;
		if (lo < 0) {   /* a single digit between separators */
			d[n++] = (uint8_t)hi;
			i++;
		} else {
			d[n++] = (uint8_t)(hi * 16 + lo);
			i += 2;
		}
		if (i < v->tlen) {
			char c = s[i];
			if (c == ':' || c == '-' || c == '.') {
				if (sep && c != sep)
					goto bad;
				sep = c;
				i++;
				if (i == v->tlen)
					goto bad;
			} else if (sep) {
				goto bad;
			}
		}
	}
	v->lit.type = QT_BYTES;
	v->lit.p = d;
	v->lit.len = (uint32_t)n;
	return 0;
bad:
	fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid byte string.", (int)v->tlen, v->text);
	return -1;
}

static int parse_ip(struct parser *p, struct vnode *v, int six)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	if (v->tlen >= sizeof tmp)
		goto bad;
	memcpy(tmp, v->text, v->tlen);
	tmp[v->tlen] = '\0';
	unsigned bits = six ? 128 : 32;
	char *slash = strchr(tmp, '/');
	if (slash) {
		*slash = '\0';
		char *end;
		errno = 0;
		unsigned long b = strtoul(slash + 1, &end, 10);
		if (*end || end == slash + 1 || errno) {
			fail_at(p, v->pos, v->len, "\"%s\" is not a valid netmask.", slash + 1);
			return -1;
		}
		if (b > bits) {
			fail_at(p, v->pos, v->len, "Netmask bits in a CIDR %s address should be <= %u, not %lu",
				six ? "IPv6" : "IPv4", bits, b);
			return -1;
		}
		bits = (unsigned)b;
	}
	uint8_t *a = take(p->df, 16);
	if (!a)
		return -1;
	/* inet_pton's IPv4 is strict dotted decimal: no hostnames are looked up */
	if (inet_pton(six ? AF_INET6 : AF_INET, tmp, a) != 1)
		goto bad;
	v->lit.type = six ? QT_IPV6 : QT_IPV4;
	v->lit.p = a;
	v->lit.len = six ? 16 : 4;
	v->lit.prefix = (uint8_t)bits;
	return 0;
bad:
	fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid %s address (names are not looked up).",
		(int)v->tlen, v->text, six ? "IPv6" : "IPv4");
	return -1;
}

/* Gives literal v the type want (the other side's). */
static int convert_literal(struct parser *p, struct vnode *v, uint8_t want, const char *field)
{
	if (v->litkind == LK_CHAR) {
		if (want == QT_UINT || want == QT_INT || want == QT_BOOL || want == QT_DOUBLE) {
			v->lit.type = want == QT_DOUBLE ? QT_DOUBLE : want == QT_INT ? QT_INT : QT_UINT;
			if (want == QT_DOUBLE)
				v->lit.n.d = (double)v->lit.n.u;
			v->type = v->lit.type;
			return 0;
		}
		fail_at(p, v->pos, v->len, "A character constant cannot be compared with %s (%s).", field,
			qtype_name(want));
		return -1;
	}
	if (v->litkind == LK_STRING) {
		if (want == QT_STR || want == QT_BYTES || want == QT_PROTO) {
			v->lit.type = want == QT_STR ? QT_STR : QT_BYTES;
			v->lit.p = (const uint8_t *)v->text;
			v->lit.len = (uint32_t)v->tlen;
			v->type = v->lit.type;
			return 0;
		}
		if (want == QT_ABSTIME) {
			if (parse_abstime(p, v) < 0)
				return -1;
			v->type = QT_ABSTIME;
			return 0;
		}
		fail_at(p, v->pos, v->len, "%s cannot be converted from a string (\"%.*s\").",
			qtype_name(want), (int)(v->tlen > 64 ? 64 : v->tlen), v->text);
		return -1;
	}
	int rc = 0;
	switch (want) {
	case QT_UINT:
	case QT_INT:
		rc = parse_integer(p, v, want == QT_INT);
		break;
	case QT_BOOL:
		if (word_is(v, "True") || word_is(v, "TRUE") || word_is(v, "true")) {
			v->lit.type = QT_UINT;
			v->lit.n.u = 1;
		} else if (word_is(v, "False") || word_is(v, "FALSE") || word_is(v, "false")) {
			v->lit.type = QT_UINT;
			v->lit.n.u = 0;
		} else if ((rc = parse_integer(p, v, 0)) == 0) {
			v->lit.n.u = v->lit.n.u != 0;
		}
		v->lit.type = QT_BOOL;
		break;
	case QT_DOUBLE: {
		char tmp[80], *end;
		if (v->tlen >= sizeof tmp) {
			fail_at(p, v->pos, v->len, "\"%.*s\" is not a valid number.", 20, v->text);
			return -1;
		}
		memcpy(tmp, v->text, v->tlen);
		tmp[v->tlen] = '\0';
		v->lit.n.d = strtod(tmp, &end);
		v->lit.type = QT_DOUBLE;
		if (*end || end == tmp) {
			fail_at(p, v->pos, v->len, "\"%s\" is not a valid number.", tmp);
			return -1;
		}
		break;
	}
	case QT_RELTIME:
		rc = parse_seconds(p, v);
		break;
	case QT_ABSTIME:
		fail_at(p, v->pos, v->len, "A date and time must be a quoted string (\"2020-07-04 12:34:56\").");
		return -1;
	case QT_STR:   /* an unquoted word compared with a string is that text */
		v->lit.type = QT_STR;
		v->lit.p = (const uint8_t *)v->text;
		v->lit.len = (uint32_t)v->tlen;
		break;
	case QT_BYTES:
	case QT_PROTO:
		/* a hex integer up to 0xff stands for one byte: frame[4] == 0xff */
		if (v->tlen > 2 && v->text[0] == '0' && (v->text[1] == 'x' || v->text[1] == 'X')) {
			if ((rc = parse_integer(p, v, 0)) < 0)
				return -1;
			if (v->lit.n.u > 0xff) {
				fail_at(p, v->pos, v->len, "Only a hex integer up to 0xff stands for a byte; "
					"write bytes as aa:bb:cc.");
				return -1;
			}
			uint8_t *b = take(p->df, 1);
			if (!b)
				return -1;
			b[0] = (uint8_t)v->lit.n.u;
			v->lit.type = QT_BYTES;
			v->lit.p = b;
			v->lit.len = 1;
			break;
		}
		rc = parse_bytes(p, v);
		break;
	case QT_IPV4:
	case QT_IPV6:
		rc = parse_ip(p, v, want == QT_IPV6);
		break;
	default:
		fail_at(p, v->pos, v->len, "%.*s cannot be compared.", (int)v->tlen, v->text);
		return -1;
	}
	v->type = v->lit.type;
	return rc;
}

/* ---- type checking ---- */

static int numeric(uint8_t t)
{
	return t == QT_UINT || t == QT_INT || t == QT_BOOL || t == QT_DOUBLE || t == QT_RELTIME;
}

static int stringlike(uint8_t t)
{
	return t == QT_STR || t == QT_BYTES || t == QT_PROTO;
}

static int compatible(uint8_t a, uint8_t b)
{
	if (a == b)
		return 1;
	if (numeric(a) && numeric(b))
		return 1;
	return (a == QT_BYTES || a == QT_PROTO) && (b == QT_BYTES || b == QT_PROTO || b == QT_STR);
}

static const char *node_text(struct parser *p, const struct vnode *v, int *len)
{
	*len = (int)(v->len > 80 ? 80 : v->len);
	return p->s + v->pos;
}

static void unknown_name(struct parser *p, const struct vnode *v)
{
	const char *near[4];
	unsigned n = 0;
	char name[256];
	size_t k = v->tlen < sizeof name - 1 ? v->tlen : sizeof name - 1;
	memcpy(name, v->text, k);
	name[k] = '\0';
	if (isalpha((unsigned char)name[0]) || name[0] == '_')
		n = wl_qreg_nearest(p->reg, name, near, 4);
	char hint[400] = "";
	size_t h = 0;
	for (unsigned i = 0; i < n && h < sizeof hint; i++) {
		int w = snprintf(hint + h, sizeof hint - h, "%s%s", i ? ", " : "; did you mean ", near[i]);
		if (w < 0)
			break;
		h += (size_t)w;
	}
	if (n && h < sizeof hint)
		snprintf(hint + h, sizeof hint - h, "?");
	fail_at(p, v->pos, v->len, "\"%s\" is neither a field nor a protocol name%s", name, hint);
}

static int check_value(struct parser *p, struct vnode *v, uint8_t want);

/* A value that must stand for itself (a field, function or arithmetic). */
static int check_operand(struct parser *p, struct vnode *v)
{
	if (v->kind == VK_LIT) {
		if (v->litkind == LK_WORD)
			unknown_name(p, v);
		else {
			int n;
			const char *t = node_text(p, v, &n);
			fail_at(p, v->pos, v->len, "%.*s is neither a field nor a protocol name.", n, t);
		}
		return -1;
	}
	return check_value(p, v, QT_NONE);
}

static int check_func(struct parser *p, struct vnode *v)
{
	for (unsigned i = 0; i < v->nargs; i++) {
		struct vnode *a = v->arg[i];
		if (a->kind == VK_LIT && (v->func != F_MAX && v->func != F_MIN)) {
			return check_operand(p, a);
		}
		if (a->kind != VK_LIT && check_value(p, a, QT_NONE) < 0)
			return -1;
	}
	uint8_t t0 = v->arg[0]->type;
	switch (v->func) {
	case F_LEN:
		if (!stringlike(t0) && t0 != QT_STR) {
			fail_at(p, v->arg[0]->pos, v->arg[0]->len, "len() needs a string, byte or protocol field.");
			return -1;
		}
		v->type = QT_UINT;
		break;
	case F_COUNT:
		if (v->arg[0]->kind != VK_FIELD) {
			fail_at(p, v->arg[0]->pos, v->arg[0]->len, "count() needs a field.");
			return -1;
		}
		v->type = QT_UINT;
		break;
	case F_UPPER:
	case F_LOWER:
		if (t0 != QT_STR) {
			fail_at(p, v->arg[0]->pos, v->arg[0]->len, "%s() needs a string field.",
				v->func == F_UPPER ? "upper" : "lower");
			return -1;
		}
		v->type = QT_STR;
		break;
	case F_STRING:
		if (t0 == QT_STR || t0 == QT_BYTES || t0 == QT_PROTO) {
			fail_at(p, v->arg[0]->pos, v->arg[0]->len, "string() converts a field that is not a string or bytes.");
			return -1;
		}
		v->type = QT_STR;
		break;
	case F_ABS:
		if (!numeric(t0)) {
			fail_at(p, v->arg[0]->pos, v->arg[0]->len, "abs() needs a number.");
			return -1;
		}
		v->type = t0 == QT_UINT || t0 == QT_BOOL ? QT_UINT : t0;
		break;
	case F_MAX:
	case F_MIN: {
		uint8_t t = QT_NONE;
		for (unsigned i = 0; i < v->nargs; i++)
			if (v->arg[i]->kind != VK_LIT)
				t = t == QT_NONE ? v->arg[i]->type : t;
		if (t == QT_NONE) {
			fail_at(p, v->pos, v->len, "%s() needs a field among its arguments.",
				v->func == F_MAX ? "max" : "min");
			return -1;
		}
		for (unsigned i = 0; i < v->nargs; i++) {
			struct vnode *a = v->arg[i];
			if (a->kind == VK_LIT && convert_literal(p, a, t, "the other arguments") < 0)
				return -1;
			if (!compatible(a->type, t) || (!numeric(t) && a->type != t)) {
				fail_at(p, a->pos, a->len, "The arguments of %s() must all have the same type.",
					v->func == F_MAX ? "max" : "min");
				return -1;
			}
		}
		v->type = t;
		break;
	}
	}
	return 0;
}

static int check_slice(struct parser *p, struct vnode *v)
{
	if (!v->nslice)
		return 0;
	if (!stringlike(v->type)) {
		int n;
		const char *t = node_text(p, v, &n);
		fail_at(p, v->pos, v->len, "\"%.*s\" is a %s: only strings, bytes and protocols can be sliced.",
			n, t, qtype_name(v->type));
		return -1;
	}
	v->type = QT_BYTES;
	p->df->makes_values = 1;
	return 0;
}

/* Types v; a literal takes the type want. */
static int check_value(struct parser *p, struct vnode *v, uint8_t want)
{
	switch (v->kind) {
	case VK_FIELD: {
		const struct wl_qfield *f = wl__qreg_get(p->reg, v->field);
		v->type = f->type;
		return check_slice(p, v);
	}
	case VK_LIT:
		if (want == QT_NONE)
			return check_operand(p, v);
		return convert_literal(p, v, want, "the field");
	case VK_FUNC:
		if (check_func(p, v) < 0)
			return -1;
		if (v->func == F_UPPER || v->func == F_LOWER || v->func == F_STRING)
			p->df->makes_values = 1;
		return check_slice(p, v);
	case VK_ARITH: {
		struct vnode *a = v->arg[0], *b = v->arg[1];
		if (a->kind == VK_LIT && b->kind == VK_LIT) {
			if (want == QT_NONE)
				return check_operand(p, a);
			if (convert_literal(p, a, want, "the field") < 0 || convert_literal(p, b, want, "the field") < 0)
				return -1;
		} else if (a->kind == VK_LIT) {
			if (check_value(p, b, QT_NONE) < 0 || check_value(p, a, b->type) < 0)
				return -1;
		} else {
			if (check_value(p, a, QT_NONE) < 0 || check_value(p, b, a->type) < 0)
				return -1;
		}
		if (!numeric(a->type) || !numeric(b->type)) {
			fail_at(p, v->pos, v->len, "Arithmetic needs numbers, not %s.",
				qtype_name(numeric(a->type) ? b->type : a->type));
			return -1;
		}
		if (v->op == A_AND && (a->type == QT_DOUBLE || b->type == QT_DOUBLE)) {
			fail_at(p, v->pos, v->len, "A bitwise AND needs integers.");
			return -1;
		}
		v->type = a->type == QT_DOUBLE || b->type == QT_DOUBLE ? QT_DOUBLE :
			  a->type == QT_RELTIME || b->type == QT_RELTIME ? QT_RELTIME :
			  a->type == QT_INT || b->type == QT_INT ? QT_INT : QT_UINT;
		return 0;
	}
	}
	return -1;
}

static int compile_regex(struct parser *p, struct tnode *t)
{
	struct vnode *r = t->rhs;
	if (r->kind != VK_LIT || r->litkind != LK_STRING) {
		fail_at(p, r->pos, r->len, "The right side of \"matches\" must be a quoted string (a PCRE2 pattern).");
		return -1;
	}
	int code;
	PCRE2_SIZE off;
	t->re = pcre2_compile((PCRE2_SPTR)r->text, r->tlen,
			      PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
			      &code, &off, NULL);
	if (!t->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof msg);
		fail_at(p, r->pos, r->len, "Regex compilation error: %s (at offset %zu of the pattern).",
			(const char *)msg, (size_t)off);
		return -1;
	}
	struct wl_dfilter *df = p->df;
	if (df->nres == df->res_cap) {
		unsigned cap = df->res_cap ? df->res_cap * 2 : 4;
		pcre2_code **nr = realloc(df->res, cap * sizeof *nr);
		if (!nr) {
			pcre2_code_free(t->re);
			t->re = NULL;
			fail_at(p, r->pos, r->len, "Out of memory.");
			return -1;
		}
		df->res = nr;
		df->res_cap = cap;
	}
	df->res[df->nres++] = t->re;
	return 0;
}

static int check_test(struct parser *p, struct tnode *t)
{
	struct vnode *l = t->lhs;
	if (t->kind == N_EXISTS) {
		if (l->kind == VK_FUNC) {
			fail_at(p, l->pos, l->len, "You cannot test whether a function is present.");
			return -1;
		}
		if (check_operand(p, l) < 0)
			return -1;
		if (l->kind == VK_ARITH && l->op != A_AND) {
			fail_at(p, l->pos, l->len, "An arithmetic expression is not a test: compare it with something.");
			return -1;
		}
		return 0;
	}
	if (l->kind == VK_LIT) {
		int n;
		const char *txt = node_text(p, l, &n);
		if (l->litkind == LK_WORD && isalpha((unsigned char)l->text[0]) &&
		    !(l->tlen == 1 || memchr(l->text, ':', l->tlen))) {
			unknown_name(p, l);
			return -1;
		}
		fail_at(p, l->pos, l->len, "Left side of \"%s\" expression must be a field or function, not %.*s.",
			t->in ? "in" : op_text[t->op], n, txt);
		return -1;
	}
	if (check_value(p, l, QT_NONE) < 0)
		return -1;
	uint8_t lt = l->type;
	if (t->op == OP_CONTAINS && !stringlike(lt)) {
		int n;
		const char *txt = node_text(p, l, &n);
		fail_at(p, l->pos, l->len, "%.*s (type=%s) cannot participate in contains comparison.", n, txt,
			qtype_name(lt));
		return -1;
	}
	if (t->op == OP_MATCHES) {
		if (!stringlike(lt)) {
			int n;
			const char *txt = node_text(p, l, &n);
			fail_at(p, l->pos, l->len, "%.*s (type=%s) cannot participate in matches comparison; "
				"string() converts it.", n, txt, qtype_name(lt));
			return -1;
		}
		return compile_regex(p, t);
	}
	if ((t->op >= OP_GT && t->op <= OP_LE) && (lt == QT_PROTO)) {
		fail_at(p, l->pos, l->len, "A protocol can be compared only with == or contains.");
		return -1;
	}
	if (t->in) {
		for (unsigned i = 0; i < t->nset; i++) {
			struct vnode *e[2] = { t->set[i].lo, t->set[i].hi };
			for (int k = 0; k < 2 && e[k]; k++) {
				if (check_value(p, e[k], lt) < 0)
					return -1;
				if (!compatible(lt, e[k]->type)) {
					fail_at(p, e[k]->pos, e[k]->len, "This set element is not of the field's type (%s).",
						qtype_name(lt));
					return -1;
				}
			}
			if (e[1] && !(numeric(lt) || lt == QT_IPV4 || lt == QT_IPV6 || lt == QT_ABSTIME)) {
				fail_at(p, e[0]->pos, e[1]->pos + e[1]->len - e[0]->pos,
					"A range needs numbers, addresses or times.");
				return -1;
			}
		}
		return 0;
	}
	struct vnode *r = t->rhs;
	if (check_value(p, r, lt) < 0)
		return -1;
	/* a hex byte may stand for one byte: frame[4] == 0xff */
	if ((lt == QT_BYTES || lt == QT_PROTO) && r->kind == VK_LIT && r->litkind == LK_WORD &&
	    r->lit.type == QT_BYTES && t->op == OP_CONTAINS) {
		/* already bytes */
	}
	if (!compatible(lt, r->type)) {
		int n1, n2;
		const char *a = node_text(p, l, &n1), *b = node_text(p, r, &n2);
		fail_at(p, l->pos, r->pos + r->len - l->pos, "%.*s and %.*s are not of compatible types.",
			n1, a, n2, b);
		return -1;
	}
	if (r->kind == VK_LIT && r->lit.type == QT_IPV4 && r->lit.prefix < 32 && t->op >= OP_GT && t->op <= OP_LE) {
		fail_at(p, r->pos, r->len, "A network (CIDR) can be compared only with == or !=.");
		return -1;
	}
	return 0;
}

static int check(struct parser *p, struct tnode *t)
{
	if (t->kind == N_TEST || t->kind == N_EXISTS)
		return check_test(p, t);
	for (unsigned i = 0; i < t->nkids; i++)
		if (check(p, t->kids[i]) < 0)
			return -1;
	return 0;
}

/* ---- which dissectors can make a frame match (wl_opts.only) ---- */

/* Dissectors whose flows another one's output depends on: ftp-data flows are
 * announced by the FTP control connection. */
static const struct { const char *needs, *also; } proto_deps[] = {
	{ "ftp-data", "ftp" },
};

/* A bitmask over reg->owners: the owners that can make the node true;
 * ~0 when any frame may. */
typedef uint64_t ownerset;
#define ANY_OWNER (~(ownerset)0)

static ownerset owner_bit(const struct wl_qreg *reg, const char *owner)
{
	if (!owner)
		return ANY_OWNER;
	for (unsigned i = 0; reg->owners[i] && i < 63; i++)
		if (strcmp(reg->owners[i], owner) == 0)
			return (ownerset)1 << i;
	return ANY_OWNER;
}

static ownerset value_owners(const struct wl_qreg *reg, const struct vnode *v)
{
	switch (v->kind) {
	case VK_FIELD: {
		const struct wl_qfield *f = wl__qreg_get(reg, v->field);
		return f->kind == QK_FIELD || f->kind == QK_PROTO ? owner_bit(reg, f->owner) : ANY_OWNER;
	}
	case VK_LIT:
		return ANY_OWNER;
	default: {
		/* every argument must exist: any of them narrows it */
		ownerset best = ANY_OWNER;
		for (unsigned i = 0; i < v->nargs; i++) {
			ownerset o = value_owners(reg, v->arg[i]);
			if (o != ANY_OWNER && (best == ANY_OWNER || __builtin_popcountll(o) < __builtin_popcountll(best)))
				best = o;
		}
		return best;
	}
	}
}

static ownerset node_owners(const struct wl_qreg *reg, const struct tnode *t)
{
	switch (t->kind) {
	case N_NOT:
		return ANY_OWNER;
	case N_OR: {
		ownerset o = 0;
		for (unsigned i = 0; i < t->nkids; i++)
			o |= node_owners(reg, t->kids[i]);
		return o;
	}
	case N_AND: {
		ownerset best = ANY_OWNER;
		for (unsigned i = 0; i < t->nkids; i++) {
			ownerset o = node_owners(reg, t->kids[i]);
			if (__builtin_popcountll(o) < __builtin_popcountll(best))
				best = o;
		}
		return best;
	}
	default: {
		ownerset o = value_owners(reg, t->lhs);
		/* all_ne and any_ne hold for absent right-hand fields too: keep both */
		if (t->rhs && t->rhs->kind != VK_LIT) {
			ownerset r = value_owners(reg, t->rhs);
			if (__builtin_popcountll(r) < __builtin_popcountll(o))
				o = r;
		}
		return o;
	}
	}
}

/* ---- filters on the layers below the applications ---- */

/* Core fields that follow from the applications all the same: the list of
 * protocols, and a TCP conversation's completeness, which an FTP data
 * connection's expectation changes (its SYN does not count, as in tshark). */
static int follows_apps(const char *name)
{
	return strcmp(name, "frame.protocols") == 0 || strncmp(name, "tcp.completeness", 16) == 0;
}

static int header_field(const struct wl_qfield *f)
{
	if (f->owner || follows_apps(f->name))
		return 0;
	return wl__qreg_header_proto(f->name, strcspn(f->name, "."));
}

static int value_below_apps(const struct wl_qreg *reg, const struct vnode *v)
{
	if (!v)
		return 1;
	if (v->kind == VK_FIELD)
		return header_field(wl__qreg_get(reg, v->field));
	for (unsigned i = 0; i < v->nargs; i++)
		if (!value_below_apps(reg, v->arg[i]))
			return 0;
	return 1;
}

static int node_below_apps(const struct wl_qreg *reg, const struct tnode *t)
{
	for (unsigned i = 0; i < t->nkids; i++)
		if (!node_below_apps(reg, t->kids[i]))
			return 0;
	for (unsigned i = 0; i < t->nset; i++)
		if (!value_below_apps(reg, t->set[i].lo) || !value_below_apps(reg, t->set[i].hi))
			return 0;
	return value_below_apps(reg, t->lhs) && value_below_apps(reg, t->rhs);
}

static int set_protocols(struct parser *p)
{
	const struct wl_qreg *reg = p->reg;
	ownerset o = node_owners(reg, p->df->root);
	if (o == ANY_OWNER)
		return 0;
	for (size_t i = 0; i < sizeof proto_deps / sizeof proto_deps[0]; i++)
		if (o & owner_bit(reg, proto_deps[i].needs))
			o |= owner_bit(reg, proto_deps[i].also);
	/* any of them may be inside TLS (decrypted with a key log): such a flow is TLS's */
	int tls_inner = !(o & owner_bit(reg, "tls"));
	o |= owner_bit(reg, "tls");
	unsigned n = (unsigned)__builtin_popcountll(o), k = 0, kc = 0;
	p->df->protos = calloc(n + 1, sizeof *p->df->protos);
	p->df->protos_clear = calloc(n + 1, sizeof *p->df->protos_clear);
	if (!p->df->protos || !p->df->protos_clear)
		return -1;
	for (unsigned i = 0; reg->owners[i] && i < 63; i++) {
		if (!(o >> i & 1))
			continue;
		p->df->protos[k++] = reg->owners[i];
		if (!tls_inner || strcmp(reg->owners[i], "tls") != 0)
			p->df->protos_clear[kc++] = reg->owners[i];
	}
	return 0;
}

/* ---- compile ---- */

static int valid_utf8(const unsigned char *s, size_t n, size_t *bad)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!k || i + k > n || (k == 2 && c < 0xc2)) {
			*bad = i;
			return 0;
		}
		uint32_t cp = k == 1 ? c : c & (0x3f >> (k - 1));
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80) {
				*bad = i;
				return 0;
			}
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			*bad = i;
			return 0;
		}
		i += k;
	}
	return 1;
}

struct wl_dfilter *wl_dfilter_compile(const struct wl_qreg *reg, const char *text, char *err,
				      size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	size_t n = strnlen(text, WL_DF_MAX_TEXT + 1);
	if (n > WL_DF_MAX_TEXT) {
		snprintf(err, errlen, "The filter is longer than %d bytes.", WL_DF_MAX_TEXT);
		return NULL;
	}
	struct wl_dfilter *df = calloc(1, sizeof *df);
	if (!df || !(df->text = strndup(text, n))) {
		free(df);
		snprintf(err, errlen, "Out of memory.");
		return NULL;
	}
	struct parser p = { .df = df, .reg = reg, .s = df->text, .n = n, .err = err, .errlen = errlen };
	size_t bad;
	if (!valid_utf8((const unsigned char *)df->text, n, &bad)) {
		fail_at(&p, bad, 1, "The filter is not valid UTF-8 (byte %zu).", bad);
	} else if (peek(&p)->tok == T_EOF && !p.failed) {
		fail_at(&p, 0, 0, "The filter is empty.");
	} else {
		df->root = parse_or(&p);
		if (df->root && peek(&p)->tok != T_EOF)
			unexpected(&p, peek(&p));
		if (df->root && !p.failed)
			check(&p, df->root);
		if (df->oom)
			fail_at(&p, 0, 0, "Out of memory.");
		if (!p.failed && !df->root)
			fail_at(&p, 0, 0, "The filter could not be parsed.");
		if (!p.failed)
			p.df->below_apps = node_below_apps(reg, p.df->root);
		if (!p.failed && set_protocols(&p) < 0)
			fail_at(&p, 0, 0, "Out of memory.");
	}
	if (!p.failed) {
		df->md = pcre2_match_data_create(16, NULL);
		df->mctx = pcre2_match_context_create(NULL);
		if (!df->md || !df->mctx) {
			fail_at(&p, 0, 0, "Out of memory.");
		} else {
			/* a hostile pattern gives up instead of backtracking for ever */
			pcre2_set_match_limit(df->mctx, 1000000);
			pcre2_set_depth_limit(df->mctx, 10000);
		}
	}
	if (p.failed || !df->root) {
		if (!p.failed)
			snprintf(err, errlen, "The filter could not be parsed.");
		wl_dfilter_free(df);
		return NULL;
	}
	return df;
}

void wl_dfilter_free(struct wl_dfilter *df)
{
	if (!df)
		return;
	for (unsigned i = 0; i < df->nres; i++)
		pcre2_code_free(df->res[i]);
	free(df->res);
	pcre2_match_data_free(df->md);
	pcre2_match_context_free(df->mctx);
	while (df->mem) {
		struct block *b = df->mem;
		df->mem = b->next;
		free(b);
	}
	free(df->protos);
	free(df->protos_clear);
	free(df->vals);
	free(df->bytes);
	free(df->text);
	free(df);
}

const char *const *wl_dfilter_protocols(const struct wl_dfilter *df, int decrypting)
{
	return decrypting ? df->protos : df->protos_clear;
}

static void value_fields(const struct vnode *v, void (*cb)(void *arg, int id), void *arg)
{
	if (!v)
		return;
	if (v->kind == VK_FIELD)
		cb(arg, v->field);
	for (unsigned i = 0; i < v->nargs; i++)
		value_fields(v->arg[i], cb, arg);
}

static void node_fields(const struct tnode *t, void (*cb)(void *arg, int id), void *arg)
{
	for (unsigned i = 0; i < t->nkids; i++)
		node_fields(t->kids[i], cb, arg);
	for (unsigned i = 0; i < t->nset; i++) {
		value_fields(t->set[i].lo, cb, arg);
		value_fields(t->set[i].hi, cb, arg);
	}
	value_fields(t->lhs, cb, arg);
	value_fields(t->rhs, cb, arg);
}

void wl_dfilter_fields(const struct wl_dfilter *df, void (*cb)(void *arg, int id), void *arg)
{
	node_fields(df->root, cb, arg);
}

int wl_qreg_below_apps(const struct wl_qreg *reg, const char *name)
{
	int id = wl__qreg_find(reg, name, strlen(name));
	return id >= 0 && header_field(wl__qreg_get(reg, id));
}

int wl_dfilter_below_apps(const struct wl_dfilter *df)
{
	return df->below_apps;
}

const char *wl_dfilter_text(const struct wl_dfilter *df)
{
	return df->text;
}

/* ---- evaluation ---- */

struct eval {
	struct wl_dfilter *df;
	const struct wl_qframe *f;
};

/* Values are made on a stack in df->vals; a node's values are [mark, nvals). */
static int push_val(struct eval *e, const struct wl_qval *v)
{
	struct wl_dfilter *df = e->df;
	if (df->nvals == df->vals_cap) {
		if (df->vals_cap >= MAX_VALUES * 4)
			return -1;
		unsigned cap = df->vals_cap ? df->vals_cap * 2 : 64;
		struct wl_qval *nv = realloc(df->vals, cap * sizeof *nv);
		if (!nv)
			return -1;
		df->vals = nv;
		df->vals_cap = cap;
	}
	df->vals[df->nvals++] = *v;
	return 0;
}

/* Scratch bytes for made values (upper(), string(), slices). They stay put
 * while the frame is evaluated: the buffer grows only between frames. */
static char *scratch(struct eval *e, size_t n)
{
	struct wl_dfilter *df = e->df;
	if (n > df->bytes_cap - df->nbytes)
		return NULL;
	char *p = df->bytes + df->nbytes;
	df->nbytes += n;
	return p;
}

static int collect_cb(void *arg, const struct wl_qval *v)
{
	struct eval *e = arg;
	return push_val(e, v) < 0 ? 1 : 0;
}

static void slice_value(struct eval *e, const struct vnode *n, const struct wl_qval *in)
{
	const uint8_t *src = in->p;
	int64_t len = in->len;
	size_t total = 0;
	for (unsigned i = 0; i < n->nslice; i++)
		total += (size_t)len;
	uint8_t *d = (uint8_t *)scratch(e, total ? total : 1);
	if (!d)
		return;
	size_t k = 0;
	for (unsigned i = 0; i < n->nslice; i++) {
		const struct range *rg = &n->slice[i];
		int64_t s = rg->start, end;
		if (s < 0)
			s += len;
		if (rg->kind == R_TO_END) {
			end = len;
		} else if (rg->kind == R_END) {
			int64_t j = rg->arg < 0 ? rg->arg + len : rg->arg;
			end = j + 1;
		} else {
			end = s + rg->arg;
		}
		/* a slice that reaches past the field does not exist, as in tshark */
		if (s < 0 || end > len || end < s)
			return;
		memcpy(d + k, src + s, (size_t)(end - s));
		k += (size_t)(end - s);
	}
	struct wl_qval v = { .type = QT_BYTES, .p = d, .len = (uint32_t)k };
	push_val(e, &v);
}

static int values(struct eval *e, const struct vnode *n);

static double as_double(const struct wl_qval *v)
{
	switch (v->type) {
	case QT_INT: return (double)v->n.i;
	case QT_DOUBLE: return v->n.d;
	case QT_RELTIME: return (double)v->n.i / 1e9;
	default: return (double)v->n.u;
	}
}

/* Numbers of different kinds compare as the wider kind. */
static int num_cmp(const struct wl_qval *a, const struct wl_qval *b)
{
	if (a->type == QT_DOUBLE || b->type == QT_DOUBLE ||
	    (a->type == QT_RELTIME) != (b->type == QT_RELTIME)) {
		double x = as_double(a), y = as_double(b);
		return x < y ? -1 : x > y;
	}
	int as = a->type == QT_INT || a->type == QT_RELTIME, bs = b->type == QT_INT || b->type == QT_RELTIME;
	if (as && bs)
		return a->n.i < b->n.i ? -1 : a->n.i > b->n.i;
	if (!as && !bs)
		return a->n.u < b->n.u ? -1 : a->n.u > b->n.u;
	if (as)
		return a->n.i < 0 ? -1 : ((uint64_t)a->n.i < b->n.u ? -1 : (uint64_t)a->n.i > b->n.u);
	return b->n.i < 0 ? 1 : (a->n.u < (uint64_t)b->n.i ? -1 : a->n.u > (uint64_t)b->n.i);
}

static void arith_one(struct eval *e, uint8_t op, uint8_t type, const struct wl_qval *a,
		      const struct wl_qval *b)
{
	struct wl_qval r = { .type = type };
	if (type == QT_DOUBLE) {
		double x = as_double(a), y = as_double(b);
		switch (op) {
		case A_ADD: r.n.d = x + y; break;
		case A_SUB: r.n.d = x - y; break;
		case A_MUL: r.n.d = x * y; break;
		case A_DIV: if (y == 0) return; r.n.d = x / y; break;
		case A_MOD: if (y == 0) return; r.n.d = fmod(x, y); break;
		default: return;
		}
	} else {
		/* as tshark: a result that does not fit (21 - 1000 unsigned) is no value */
		uint64_t x = a->n.u, y = b->n.u;
		int sgn = type == QT_INT || type == QT_RELTIME;
		int64_t si;
		switch (op) {
		case A_ADD:
			if (sgn ? __builtin_add_overflow((int64_t)x, (int64_t)y, &si) : __builtin_add_overflow(x, y, &r.n.u))
				return;
			if (sgn)
				r.n.i = si;
			break;
		case A_SUB:
			if (sgn ? __builtin_sub_overflow((int64_t)x, (int64_t)y, &si) : __builtin_sub_overflow(x, y, &r.n.u))
				return;
			if (sgn)
				r.n.i = si;
			break;
		case A_MUL:
			if (sgn ? __builtin_mul_overflow((int64_t)x, (int64_t)y, &si) : __builtin_mul_overflow(x, y, &r.n.u))
				return;
			if (sgn)
				r.n.i = si;
			break;
		case A_AND: r.n.u = x & y; break;
		case A_DIV:
		case A_MOD:
			if (!y || (sgn && (int64_t)y == -1 && (int64_t)x == INT64_MIN))
				return;
			if (sgn)
				r.n.i = op == A_DIV ? (int64_t)x / (int64_t)y : (int64_t)x % (int64_t)y;
			else
				r.n.u = op == A_DIV ? x / y : x % y;
			break;
		}
	}
	push_val(e, &r);
}

static void func_values(struct eval *e, const struct vnode *n, unsigned mark)
{
	struct wl_dfilter *df = e->df;
	if (n->func == F_COUNT) {
		unsigned m = df->nvals;
		values(e, n->arg[0]);
		struct wl_qval c = { .type = QT_UINT, .n.u = df->nvals - m };
		df->nvals = m;
		if (c.n.u)
			push_val(e, &c);
		return;
	}
	if (n->func == F_MAX || n->func == F_MIN) {
		unsigned m = df->nvals;
		for (unsigned i = 0; i < n->nargs; i++)
			values(e, n->arg[i]);
		if (df->nvals == m)
			return;
		struct wl_qval best = df->vals[m];
		for (unsigned i = m + 1; i < df->nvals; i++) {
			int c = num_cmp(&df->vals[i], &best);
			if (!numeric(best.type)) {
				uint32_t l = df->vals[i].len < best.len ? df->vals[i].len : best.len;
				c = memcmp(df->vals[i].p, best.p, l);
				if (!c)
					c = df->vals[i].len < best.len ? -1 : df->vals[i].len > best.len;
			}
			if ((n->func == F_MAX && c > 0) || (n->func == F_MIN && c < 0))
				best = df->vals[i];
		}
		df->nvals = m;
		push_val(e, &best);
		return;
	}
	unsigned m = df->nvals;
	values(e, n->arg[0]);
	unsigned end = df->nvals;
	for (unsigned i = m; i < end; i++) {
		struct wl_qval v = df->vals[i], r = { .type = n->type };
		switch (n->func) {
		case F_LEN:
			r.n.u = v.len;
			break;
		case F_UPPER:
		case F_LOWER: {
			char *d = scratch(e, v.len ? v.len : 1);
			if (!d)
				continue;
			for (uint32_t k = 0; k < v.len; k++)
				d[k] = (char)(n->func == F_UPPER ? toupper(v.p[k]) : tolower(v.p[k]));
			r.p = (const uint8_t *)d;
			r.len = v.len;
			break;
		}
		case F_STRING: {
			struct wl_qbuf b = { 0 };
			const struct wl_qfield *fd = n->arg[0]->kind == VK_FIELD ?
						     wl__qreg_get(e->f->reg, n->arg[0]->field) : NULL;
			struct wl_qfield tmp = { .name = "", .disp = TD_DEC };
			if (v.type == QT_BOOL) {
				wl__qb_str(&b, v.n.u ? "True" : "False");
			} else {
				if (fd && (fd->disp == TD_HEX || fd->disp == TD_OCT))
					tmp = *fd;
				wl__fmt_value(&b, &tmp, &v);
			}
			char *d = b.failed ? NULL : scratch(e, b.n ? b.n : 1);
			if (d && b.n)
				memcpy(d, b.p, b.n);
			r.p = (const uint8_t *)d;
			r.len = d ? (uint32_t)b.n : 0;
			wl__qb_free(&b);
			if (!d)
				continue;
			break;
		}
		case F_ABS:
			r = v;
			if (v.type == QT_INT || v.type == QT_RELTIME)
				r.n.i = v.n.i < 0 ? -v.n.i : v.n.i;
			else if (v.type == QT_DOUBLE)
				r.n.d = fabs(v.n.d);
			break;
		}
		push_val(e, &r);
	}
	/* the results replace the arguments' values */
	unsigned nres = df->nvals - end;
	if (nres)   /* no values yet: vals may still be NULL */
		memmove(df->vals + m, df->vals + end, nres * sizeof *df->vals);
	df->nvals = m + nres;
	(void)mark;
}

/* Pushes the values of n for this frame. */
static int values(struct eval *e, const struct vnode *n)
{
	struct wl_dfilter *df = e->df;
	unsigned mark = df->nvals;
	switch (n->kind) {
	case VK_LIT:
		push_val(e, &n->lit);
		return 0;
	case VK_FIELD:
		wl__frame_values(e->f, n->field, collect_cb, e);
		break;
	case VK_FUNC:
		func_values(e, n, mark);
		break;
	case VK_ARITH: {
		values(e, n->arg[0]);
		unsigned mid = df->nvals;
		values(e, n->arg[1]);
		unsigned end = df->nvals;
		for (unsigned i = mark; i < mid; i++)
			for (unsigned j = mid; j < end; j++)
				arith_one(e, n->op, n->type, &df->vals[i], &df->vals[j]);
		unsigned nres = df->nvals - end;
		if (nres)   /* no values yet: vals may still be NULL */
			memmove(df->vals + mark, df->vals + end, nres * sizeof *df->vals);
		df->nvals = mark + nres;
		return 0;
	}
	}
	if (n->nslice) {
		unsigned end = df->nvals;
		for (unsigned i = mark; i < end; i++)
			if (df->vals[i].p || df->vals[i].type == QT_BYTES || df->vals[i].type == QT_STR)
				slice_value(e, n, &df->vals[i]);
		unsigned nres = df->nvals - end;
		if (nres)   /* no values yet: vals may still be NULL */
			memmove(df->vals + mark, df->vals + end, nres * sizeof *df->vals);
		df->nvals = mark + nres;
	}
	return 0;
}

static int bytes_cmp(const struct wl_qval *a, const struct wl_qval *b)
{
	uint32_t l = a->len < b->len ? a->len : b->len;
	int c = l ? memcmp(a->p, b->p, l) : 0;
	return c ? (c < 0 ? -1 : 1) : (a->len < b->len ? -1 : a->len > b->len);
}

/* IPv4/IPv6 with the right side's CIDR prefix: 0 when inside the network. */
static int addr_cmp(const struct wl_qval *a, const struct wl_qval *b)
{
	unsigned bits = b->prefix, full = bits / 8;
	uint32_t n = a->len < b->len ? a->len : b->len;
	if (bits >= n * 8)
		return bytes_cmp(a, b);
	int c = full ? memcmp(a->p, b->p, full) : 0;
	if (c)
		return c < 0 ? -1 : 1;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
		uint8_t x = a->p[full] & mask, y = b->p[full] & mask;
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int cmp(const struct wl_qval *a, const struct wl_qval *b)
{
	if (numeric(a->type) && numeric(b->type))
		return num_cmp(a, b);
	if (a->type == QT_ABSTIME && b->type == QT_ABSTIME)
		return a->n.i < b->n.i ? -1 : a->n.i > b->n.i;
	if ((a->type == QT_IPV4 || a->type == QT_IPV6) && a->type == b->type)
		return addr_cmp(a, b);
	if (a->type == QT_PROTO || b->type == QT_PROTO)
		return a->type == b->type ? 0 : 1;
	return bytes_cmp(a, b);
}

static int contains(const struct wl_qval *a, const struct wl_qval *b)
{
	if (!b->len)
		return 1;
	if (!a->p || a->len < b->len)
		return 0;
	return memmem(a->p, a->len, b->p, b->len) != NULL;
}

static int matches(struct eval *e, pcre2_code *re, const struct wl_qval *a)
{
	if (!a->p && a->len)
		return 0;
	int rc = pcre2_match(re, a->p ? a->p : (PCRE2_SPTR) "", a->len, 0, 0, e->df->md, e->df->mctx);
	return rc >= 0;
}

static int rel(struct eval *e, const struct tnode *t, const struct wl_qval *a, const struct wl_qval *b)
{
	switch (t->op) {
	case OP_EQ:
	case OP_ALL_EQ:
		return cmp(a, b) == 0;
	case OP_ALL_NE:
	case OP_ANY_NE:
		return cmp(a, b) != 0;
	case OP_GT: return cmp(a, b) > 0;
	case OP_GE: return cmp(a, b) >= 0;
	case OP_LT: return cmp(a, b) < 0;
	case OP_LE: return cmp(a, b) <= 0;
	case OP_CONTAINS: return contains(a, b);
	case OP_MATCHES: return matches(e, t->re, a);
	}
	return 0;
}

static int in_set(struct eval *e, const struct tnode *t, const struct wl_qval *a)
{
	for (unsigned i = 0; i < t->nset; i++) {
		const struct setelem *s = &t->set[i];
		if (!s->hi) {
			if (cmp(a, &s->lo->lit) == 0)
				return 1;
		} else if (cmp(a, &s->lo->lit) >= 0 && cmp(a, &s->hi->lit) <= 0) {
			return 1;
		}
	}
	(void)e;
	return 0;
}

/* all_eq, all_ne and the "all" quantifier: every pair; the others: some pair. */
static int every_pair(const struct tnode *t)
{
	return t->op == OP_ALL_EQ || t->op == OP_ALL_NE || t->all;
}

static int exists_cb(void *arg, const struct wl_qval *v)
{
	(void)arg;
	(void)v;
	return 1;
}

struct one_cmp {
	struct eval *e;
	const struct tnode *t;
};

static int one_cmp_cb(void *arg, const struct wl_qval *v)
{
	struct one_cmp *c = arg;
	return c->t->in ? in_set(c->e, c->t, v) : rel(c->e, c->t, v, &c->t->rhs->lit);
}

static int test(struct eval *e, const struct tnode *t)
{
	struct wl_dfilter *df = e->df;
	/* the common cases without making a list: a field that exists, a field
	 * that some occurrence of matches a constant */
	const struct vnode *l = t->lhs;
	if (l->kind == VK_FIELD && !l->nslice) {
		if (t->kind == N_EXISTS)
			return wl__frame_values(e->f, l->field, exists_cb, NULL);
		if (!every_pair(t) && (t->in || t->rhs->kind == VK_LIT)) {
			struct one_cmp c = { e, t };
			return wl__frame_values(e->f, l->field, one_cmp_cb, &c);
		}
	}
	unsigned mark = df->nvals;
	values(e, t->lhs);
	unsigned lend = df->nvals;
	int r = 0;
	if (t->kind == N_EXISTS) {
		r = lend > mark;
		/* a bitwise AND alone is true when it is not zero */
		if (r && t->lhs->kind == VK_ARITH) {
			r = 0;
			for (unsigned i = mark; i < lend && !r; i++)
				r = df->vals[i].n.u != 0;
		}
	} else if (t->in) {
		int all = every_pair(t);
		r = all && lend > mark;
		for (unsigned i = mark; i < lend; i++) {
			int k = in_set(e, t, &df->vals[i]);
			if (all && !k) {
				r = 0;
				break;
			}
			if (!all && k) {
				r = 1;
				break;
			}
		}
	} else {
		values(e, t->rhs);
		unsigned rend = df->nvals;
		int all = every_pair(t);
		r = all && lend > mark && rend > lend;
		for (unsigned i = mark; i < lend; i++) {
			for (unsigned j = lend; j < rend; j++) {
				int k = rel(e, t, &df->vals[i], &df->vals[j]);
				if (all && !k) {
					r = 0;
					goto done;
				}
				if (!all && k) {
					r = 1;
					goto done;
				}
			}
		}
	}
done:
	df->nvals = mark;
	return r;
}

static int eval(struct eval *e, const struct tnode *t)
{
	switch (t->kind) {
	case N_AND:
		for (unsigned i = 0; i < t->nkids; i++)
			if (!eval(e, t->kids[i]))
				return 0;
		return 1;
	case N_OR:
		for (unsigned i = 0; i < t->nkids; i++)
			if (eval(e, t->kids[i]))
				return 1;
		return 0;
	case N_NOT:
		return !eval(e, t->kids[0]);
	default:
		return test(e, t);
	}
}

/* Scratch for one frame: room for every slice, upper() and string() result,
 * which are at most the frame's bytes and pools a few times over. */
static int reserve_bytes(struct wl_dfilter *df, const struct wl_qframe *f)
{
	size_t need = (size_t)f->fi.caplen * MAX_SLICE + 65536;
	for (unsigned i = 0; i < f->nmsgs; i++)
		for (unsigned j = 0; j < f->msgs[i].nfields; j++)
			need += f->msgs[i].fields[j].len * 2u + 32;
	if (need > df->bytes_cap) {
		char *b = realloc(df->bytes, need);
		if (!b)
			return -1;
		df->bytes = b;
		df->bytes_cap = need;
	}
	df->nbytes = 0;
	return 0;
}

int wl_dfilter_match(struct wl_dfilter *df, const struct wl_qframe *f)
{
	/* a filter that needs some protocol's fields cannot match a frame
	 * without messages (a flow wl_opts.only left undissected) */
	if (!f->nmsgs && df->protos)
		return 0;
	if (df->makes_values && reserve_bytes(df, f) < 0)
		return 0;
	struct eval e = { df, f };
	df->nvals = 0;
	return eval(&e, df->root);
}
