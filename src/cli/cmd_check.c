/* cmd_check.c - `wirelab check`: stored captures against their expected
 * traces. For each X.pcap: X.trace (text) and X.jsonl (JSON Lines), dissected
 * with pinned settings (no colour, UTC, X.keylog as TLS key log if present);
 * a mismatch prints a unified diff and makes the exit status 1. */

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wirelab.h"

static const char check_usage[] =
	"usage: wirelab check [--update] [DIR|FILE.pcap ...]\n"
	"Re-dissects each stored capture and compares with X.trace and X.jsonl beside it\n"
	"(default DIR: pcaps). A mismatch prints a unified diff; exit status 1.\n"
	"  --update   rewrite the expected files from the current output\n";

static char *slurp_dissection(const char *pcap, int json, const char *keylog, size_t *len, char *err,
			      size_t errlen)
{
	struct wl_view v;
	wl_view_init(&v);
	v.render.color = 0;
	v.render.format = json ? WL_OUT_JSON : WL_OUT_TEXT;
	v.dissect.keylog = keylog;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct wl_run_result res;
	int rc = wl_dissect_file(pcap, &v, f, &res, err, errlen);
	fclose(f);
	if (rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

static int write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Prints `diff -u expected actual` (diff from diffutils). */
static void print_diff(const char *expected, const char *actual, size_t alen)
{
	char tmp[] = "/tmp/wirelab-check-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return;
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(tmp);
		return;
	}
	fwrite(actual, 1, alen, f);
	fclose(f);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execlp("diff", "diff", "-u", "--label", expected, "--label", "actual", expected, tmp,
		       (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
	unlink(tmp);
}

static int check_one(const char *pcap, int update)
{
	size_t base_len = strlen(pcap);
	const char *dot = strrchr(pcap, '.');
	if (dot)
		base_len = (size_t)(dot - pcap);
	char keylog[4096], exp_path[4096];
	snprintf(keylog, sizeof keylog, "%.*s.keylog", (int)base_len, pcap);
	struct stat st;
	const char *kl = stat(keylog, &st) == 0 ? keylog : NULL;
	int bad = 0;
	for (int json = 0; json < 2; json++) {
		snprintf(exp_path, sizeof exp_path, "%.*s.%s", (int)base_len, pcap, json ? "jsonl" : "trace");
		char err[512];
		size_t alen = 0, elen = 0;
		char *actual = slurp_dissection(pcap, json, kl, &alen, err, sizeof err);
		if (!actual) {
			printf("FAIL %s: %s\n", pcap, err);
			return 1;
		}
		if (update) {
			if (write_file(exp_path, actual, alen) < 0) {
				printf("FAIL %s: cannot write %s\n", pcap, exp_path);
				bad = 1;
			}
			free(actual);
			continue;
		}
		char *expected = slurp_file(exp_path, &elen);
		if (!expected) {
			printf("FAIL %s: no %s (run wirelab check --update %s)\n", pcap, exp_path, pcap);
			bad = 1;
		} else if (elen != alen || memcmp(expected, actual, alen) != 0) {
			printf("FAIL %s: differs from %s\n", pcap, exp_path);
			print_diff(exp_path, actual, alen);
			bad = 1;
		}
		free(expected);
		free(actual);
	}
	if (!bad)
		printf("%s %s\n", update ? "updated" : "ok  ", pcap);
	return bad;
}

static int is_capture(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".pcap") == 0) ||
	       (n > 7 && strcmp(name + n - 7, ".pcapng") == 0);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int check_dir(const char *dir, int update, unsigned *count)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, by_name);
	if (n < 0) {
		printf("FAIL %s: cannot read the folder\n", dir);
		return 1;
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		if (is_capture(ents[i]->d_name)) {
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
			bad |= check_one(path, update);
			(*count)++;
		}
		free(ents[i]);
	}
	free(ents);
	return bad;
}

int wl_cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "update", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int update = 0, opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+uh", longopts, NULL)) != -1) {
		if (opt == 'u')
			update = 1;
		else if (opt == 'h') {
			fputs(check_usage, stdout);
			return WL_EXIT_OK;
		} else {
			fputs(check_usage, stderr);
			return WL_EXIT_USAGE;
		}
	}
	setenv("TZ", "UTC", 1);
	int bad = 0;
	unsigned count = 0;
	if (optind >= argc) {
		bad = check_dir("pcaps", update, &count);
	}
	for (int i = optind; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			wl_err("check: no such file or folder: %s", argv[i]);
			return WL_EXIT_USAGE;
		}
		if (S_ISDIR(st.st_mode))
			bad |= check_dir(argv[i], update, &count);
		else {
			bad |= check_one(argv[i], update);
			count++;
		}
	}
	printf("%u captures checked, %s\n", count, bad ? "some differ" : "all match");
	return bad ? WL_EXIT_FAIL : WL_EXIT_OK;
}
