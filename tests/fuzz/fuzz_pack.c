/* The seeds of the run-directory fuzz targets: real run directories
 * packed into their archive (fuzz_rundir.h), each CSV cut to its header
 * and a few rows so that the seeds stay small.
 *
 *   fuzz_pack [-r ROWS] TARGET OUT DIR...
 *
 * The Nth DIR is the Nth directory of TARGET's layout ("-": left empty);
 * every file of the layout found in it is packed. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_rundir.h"

#define MAX_CONTENT (1 << 20)

static void usage(void)
{
	fputs("usage: fuzz_pack [-r ROWS] TARGET OUT DIR...\n", stderr);
	exit(2);
}

/* The length of TEXT's header and first ROWS records (a line break
 * inside quotes is part of its field). */
static size_t csv_prefix(const char *text, size_t len, unsigned long rows)
{
	unsigned long records = 0;
	int quoted = 0;

	for (size_t i = 0; i < len; i++) {
		quoted ^= text[i] == '"';
		if (text[i] == '\n' && !quoted && records++ == rows)
			return i + 1;
	}
	return len;
}

/* PATH whole, or NULL when it is not there. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = malloc(MAX_CONTENT + 2);

	if (!buf)
		exit(3);
	if (!fp) {
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, MAX_CONTENT + 2, fp);
	fclose(fp);
	return buf;
}

int main(int argc, char **argv)
{
	unsigned long rows = 5, records = 0;
	const struct fuzz_layout *l;
	FILE *out;
	int opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r')
			usage();
		rows = strtoul(optarg, NULL, 10);
	}
	if (argc - optind < 3)
		usage();
	if (!(l = fuzz_layout(argv[optind]))) {
		fprintf(stderr, "fuzz_pack: no target %s\n", argv[optind]);
		return 2;
	}
	if ((size_t)(argc - optind - 2) > l->ndirs) {
		fprintf(stderr, "fuzz_pack: %s has %zu directories\n", l->target, l->ndirs);
		return 2;
	}
	if (!(out = fopen(argv[optind + 1], "wb"))) {
		perror(argv[optind + 1]);
		return 1;
	}
	for (size_t d = 0; (int)d < argc - optind - 2; d++) {
		const char *dir = argv[optind + 2 + (int)d];

		for (size_t f = 0; strcmp(dir, "-") != 0 && f < l->nfiles; f++) {
			char path[4096];
			const char *name = l->files[f];
			size_t len, namelen = strlen(name);
			char *text;

			snprintf(path, sizeof(path), "%s/%s", dir, name);
			if (!(text = slurp(path, &len)))
				continue;
			if (namelen > 4 && strcmp(name + namelen - 4, ".csv") == 0)
				len = csv_prefix(text, len, rows);
			if (len > MAX_CONTENT) {
				fprintf(stderr, "fuzz_pack: %s: more than %u bytes\n", path, MAX_CONTENT);
				return 1;
			}
			if (memmem(text, len, FUZZ_SEPARATOR, FUZZ_SEPARATOR_LEN)) {
				fprintf(stderr, "fuzz_pack: %s holds the records' separator\n", path);
				return 1;
			}
			if (records++)
				fwrite(FUZZ_SEPARATOR, 1, FUZZ_SEPARATOR_LEN, out);
			fputc((int)d, out);
			fputc((int)f, out);
			fwrite(text, 1, len, out);
			free(text);
		}
	}
	if (fclose(out) != 0) {
		perror(argv[optind + 1]);
		return 1;
	}
	return 0;
}
