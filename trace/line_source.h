/* Text traces, a line at a time or a block at a time: read in large
 * blocks and cut at newlines in place (getline and stdio cost more than
 * the parsing of a trace line), the usual line of a format parsed where
 * it lies, any other line handed whole to the format's general parser.
 * Used by every text reader: the importers and the text trace format. */
#ifndef MESILAB_LINE_SOURCE_H
#define MESILAB_LINE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compiler.h"

#include "error.h"
#include "trace.h"

struct line_source {
	int fd;
	bool owns_fd;
	const char *name; /* for messages */
	uint64_t line_no;
	char *buf; /* CAP bytes, then spare ones (line_source.c) */
	size_t cap, pos, len;
	size_t nul; /* where the buffer's first NUL byte is, or SIZE_MAX */
	bool eof;
	char *line; /* the current line, NUL-terminated, after line_source_next */
	bool positioned; /* read with pread from NEXT_READ, the descriptor's offset untouched */
	uint64_t next_read;
	uint64_t base; /* the input's offset of buf[0] */
};

/* PATH "-" is standard input. 0, or -1 with ERR. */
int line_source_open(struct line_source *s, const char *path, struct ml_error *err);
/* Reads on from FD (not closed with S) whose first N bytes, HEAD, were
 * already read. NAME must outlive S. */
void line_source_adopt(struct line_source *s, int fd, const char *name, const void *head, size_t n);
/* Reads FD (not closed with S; a regular file) from byte FROM on, with
 * pread: several sources may read one descriptor at once. */
void line_source_part(struct line_source *s, int fd, const char *name, uint64_t from);
void line_source_close(struct line_source *s);
/* The input's offset of the first byte not yet taken as a line. */
static inline uint64_t line_source_tell(const struct line_source *s)
{
	return s->base + s->pos;
}

/* 1 with a line in S->line, 0 at the end, -1 with ERR (a read error, a
 * NUL byte, an endless line). */
int line_source_next(struct line_source *s, struct ml_error *err);
/* "NAME:LINE: WHAT" into ERR; -1. */
int line_source_bad(const struct line_source *s, struct ml_error *err, const char *what);
/* Makes S readable twice: an input that cannot seek (a pipe) is copied
 * whole into an unlinked temporary file first. Back at the first line;
 * 0, or -1 with ERR. */
int line_source_rewindable(struct line_source *s, struct ml_error *err);
/* Back to the first line of a rewindable source. */
void line_source_rewind(struct line_source *s);

/* P past blanks (spaces and tabs). */
static inline const char *line_skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The newline at or after P, in a block (never beyond its last line). */
static inline const char *line_end(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Most trace lines end within 16 bytes: both words looked at without
	 * a branch on which holds the newline (line lengths vary at random).
	 * A byte is the newline where it XORs to zero; the lowest such byte
	 * is found exactly. */
	const uint64_t ones = 0x0101010101010101u, tops = ones * 0x80, nl = ones * '\n';
	uint64_t a, b, za, zb;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	a ^= nl;
	b ^= nl;
	za = (a - ones) & ~a & tops;
	zb = (b - ones) & ~b & tops;
	if (ML_LIKELY(za | zb))
		return p + (za ? ML_CTZ64(za) / 8 : 8 + ML_CTZ64(zb) / 8);
	p += 16;
#endif
	while (*p != '\n')
		p++;
	return p;
}

/* A format's parsers and where its records go. USUAL takes the line at P
 * (ended by '\n' or NUL; DIGITS_READ_AHEAD bytes after P may be read):
 * its records (at most two) into REC, *END at its end; 0 for any other
 * line. GENERAL takes S->line, any line. PUT takes
 * a record (with S for its line number); 0, or -1 with ERR. */
struct line_parser {
	unsigned (*usual)(const char *p, const char **end, struct trace_record *rec);
	int (*general)(struct line_source *s, const struct line_parser *lp, struct ml_error *err);
	int (*put)(void *ctx, const struct trace_record *rec, const struct line_source *s, struct ml_error *err);
	void *ctx;
};

/* The whole lines of the next block through LP. 1 at the end, 0 for
 * more, or -1 with ERR. */
int line_source_block(struct line_source *s, const struct line_parser *lp, struct ml_error *err);

#endif
