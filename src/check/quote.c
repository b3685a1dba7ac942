/* quote.c - options joined into one line as a POSIX shell reads them back
 * (`--keylog 'my keys.log'`): the expected files' headers, the reports
 * and the JSON header reader all print them, so the quoting is said once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int shell_safe(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,+@%-", *s))
			return 0;
	return 1;
}

char *wl_join_options(const char *const *opts, size_t nopts)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (size_t i = 0; i < nopts; i++) {
		if (i)
			fputc(' ', f);
		if (shell_safe(opts[i])) {
			fputs(opts[i], f);
			continue;
		}
		fputc('\'', f);
		for (const char *s = opts[i]; *s; s++) {
			if (*s == '\'')
				fputs("'\\''", f);  /* end the quote, an escaped quote, quote again */
			else
				fputc(*s, f);
		}
		fputc('\'', f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
