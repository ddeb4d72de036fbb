#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "digits.h"
#include "trace_text.h"

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* The next whitespace-separated token: [*start, *end). */
static bool next_token(const char **p, const char **start, const char **end)
{
	*p = skip_blanks(*p);
	if (!**p || **p == '#') /* the rest of the line is a comment */
		return false;
	*start = *p;
	while (**p && **p != ' ' && **p != '\t' && **p != '\r')
		(*p)++;
	*end = *p;
	return true;
}

/* A decimal, or "0x" hexadecimal, integer that is exactly the token. */
static bool parse_number(const char *start, const char *end, bool allow_hex, uint64_t max,
			 uint64_t *out)
{
	const char *p = start;
	bool hex = allow_hex && end - start > 2 && start[0] == '0' && (start[1] == 'x' || start[1] == 'X');
	uint64_t v;

	if (hex)
		p += 2;
	if (!(hex ? digits_hex(&p, &v) : digits_decimal(&p, &v)) || p != end || v > max)
		return false;
	*out = v;
	return true;
}

static enum trace_text_line fail(char *why, size_t len, const char *fmt, const char *start,
				 const char *end)
{
	snprintf(why, len, fmt, (int)(end - start), start);
	return TRACE_TEXT_ERROR;
}

static enum trace_text_line parse_directive(const char *p, struct trace_header *h,
					    struct trace_text_seen *seen, char *why, size_t why_len)
{
	static const char *const keys[] = { "threads:", "line-size:", "gap-unit:", "truncated:", "order:", "generator:" };
	size_t k;
	uint64_t v;
	const char *value, *end;

	p = skip_blanks(p);
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (strncmp(p, keys[k], strlen(keys[k])) == 0)
			break;
	if (k == sizeof(keys) / sizeof(keys[0]))
		return TRACE_TEXT_NOTHING; /* an ordinary comment */
	value = skip_blanks(p + strlen(keys[k]));
	end = value + strlen(value);
	while (end > value && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	switch (k) {
	case 0:
		if (!parse_number(value, end, false, TRACE_MAX_THREADS, &v) || v == 0)
			return fail(why, why_len, "invalid thread count '%.*s' (1 to 65535)", value, end);
		h->threads = (uint32_t)v;
		seen->threads = true;
		break;
	case 1:
		if (!parse_number(value, end, false, UINT32_MAX, &v))
			return fail(why, why_len, "invalid line size '%.*s'", value, end);
		h->line_size = (uint32_t)v;
		seen->line_size = true;
		break;
	case 2:
		if ((size_t)(end - value) == 6 && strncmp(value, "cycles", 6) == 0)
			h->gap_unit = TRACE_GAP_CYCLES;
		else if ((size_t)(end - value) == 12 && strncmp(value, "instructions", 12) == 0)
			h->gap_unit = TRACE_GAP_INSTRUCTIONS;
		else
			return fail(why, why_len, "invalid gap unit '%.*s' (cycles or instructions)", value,
				    end);
		seen->gap_unit = true;
		break;
	case 3:
		if ((size_t)(end - value) == 3 && strncmp(value, "yes", 3) == 0)
			h->truncated = true;
		else if ((size_t)(end - value) == 2 && strncmp(value, "no", 2) == 0)
			h->truncated = false;
		else
			return fail(why, why_len, "invalid truncated '%.*s' (yes or no)", value, end);
		seen->truncated = true;
		break;
	case 4:
		for (v = 0; v < TRACE_NORDER_KINDS; v++)
			if ((size_t)(end - value) == strlen(trace_order_kind_names[v]) &&
			    strncmp(value, trace_order_kind_names[v], (size_t)(end - value)) == 0)
				break;
		if (v == TRACE_NORDER_KINDS)
			return fail(why, why_len, "invalid order '%.*s' (streams, reference or program)", value, end);
		h->order = (enum trace_order_kind)v;
		seen->order = true;
		break;
	default:
		if ((size_t)(end - value) > TRACE_MAX_GENERATOR)
			return fail(why, why_len, "generator text too long: '%.20s...'", value, value + 20);
		memcpy(h->generator, value, (size_t)(end - value));
		h->generator[end - value] = '\0';
		seen->generator = true;
	}
	return TRACE_TEXT_DIRECTIVE;
}

/* Each byte's operation, plus one, as a letter of either case; 0 for
 * any other byte. */
static const unsigned char op_by_letter[256] = {
	['R'] = TRACE_READ + 1, ['W'] = TRACE_WRITE + 1, ['A'] = TRACE_RMW + 1, ['I'] = TRACE_IFETCH + 1,
	['r'] = TRACE_READ + 1, ['w'] = TRACE_WRITE + 1, ['a'] = TRACE_RMW + 1, ['i'] = TRACE_IFETCH + 1,
};

static int op_of(char c)
{
	return op_by_letter[(unsigned char)c] - 1;
}

/* " sync" at P, the line's end after it: the sync mark, or 0. Each byte
 * is looked at only while the ones before matched (none past the line). */
static unsigned sync_mark(const char *p, const char **end)
{
	if (p[0] == ' ' && p[1] == 's' && p[2] == 'y' && p[3] == 'n' && p[4] == 'c' && (p[5] == '\n' || p[5] == '\0')) {
		*end = p + 5;
		return TRACE_SYNC;
	}
	*end = p;
	return 0;
}

unsigned trace_text_canonical(const char *p, const char **end, struct trace_record *rec)
{
	uint64_t thread, address, size, gap;
	unsigned sync;
	int op;

	if (!digits_decimal(&p, &thread) || thread >= TRACE_MAX_THREADS || p[0] != ' ')
		return 0;
	op = op_of(p[1]);
	if (op < 0 || p[2] != ' ' || p[3] != '0' || p[4] != 'x')
		return 0;
	p += 5;
	if (!digits_hex_ahead(&p, &address) || *p++ != ' ' || !digits_decimal(&p, &size) || size == 0 || size > 255 ||
	    *p++ != ' ' || !digits_decimal(&p, &gap) || gap > UINT32_MAX)
		return 0;
	sync = sync_mark(p, end);
	if (**end != '\n' && **end != '\0')
		return 0;
	*rec = (struct trace_record){ .address = address, .gap = (uint32_t)gap, .thread = (uint16_t)thread,
				      .op = (uint8_t)(op | sync), .size = (uint8_t)size };
	return 1;
}

static bool is_sync_word(const char *start, const char *end)
{
	return end - start == 4 && strncmp(start, "sync", 4) == 0;
}

enum trace_text_line trace_text_parse(const char *line, struct trace_record *rec,
				      struct trace_header *h, struct trace_text_seen *seen,
				      char *why, size_t why_len)
{
	const char *p = skip_blanks(line), *s, *e;
	uint64_t thread, address, size = 8, gap = 0;
	bool sync = false;
	int op;

	if (*p == '#')
		return parse_directive(p + 1, h, seen, why, why_len);
	if (!next_token(&p, &s, &e))
		return TRACE_TEXT_NOTHING;
	if (!parse_number(s, e, false, TRACE_MAX_THREADS - 1, &thread))
		return fail(why, why_len, "invalid thread '%.*s' (a decimal number from 0)", s, e);
	if (!next_token(&p, &s, &e))
		return fail(why, why_len, "missing operation after thread%.*s", s, s);
	op = e - s == 1 ? op_of(*s) : -1;
	if (op < 0)
		return fail(why, why_len, "unknown operation '%.*s' (R, W, A or I)", s, e);
	if (!next_token(&p, &s, &e))
		return fail(why, why_len, "missing address%.*s", s, s);
	if (!parse_number(s, e, true, UINT64_MAX, &address))
		return fail(why, why_len, "invalid address '%.*s' (0x-prefixed hex or decimal)", s, e);
	/* SIZE and GAP, each optional, and the sync mark after what is there. */
	if (next_token(&p, &s, &e) && !(sync = is_sync_word(s, e)) &&
	    (!parse_number(s, e, false, 255, &size) || size == 0))
		return fail(why, why_len, "invalid size '%.*s' (1 to 255 bytes)", s, e);
	if (!sync && next_token(&p, &s, &e) && !(sync = is_sync_word(s, e)) &&
	    !parse_number(s, e, false, UINT32_MAX, &gap))
		return fail(why, why_len, "invalid gap '%.*s' (0 to 4294967295)", s, e);
	if (!sync && next_token(&p, &s, &e) && !(sync = is_sync_word(s, e)))
		return fail(why, why_len, "unexpected text '%.*s' after the gap (only 'sync' may follow it)", s, e);
	if (next_token(&p, &s, &e))
		return fail(why, why_len, "unexpected text '%.*s' after 'sync'", s, e);
	rec->thread = (uint16_t)thread;
	rec->op = (uint8_t)(op | (sync ? TRACE_SYNC : 0));
	rec->address = address;
	rec->size = (uint8_t)size;
	rec->gap = (uint32_t)gap;
	return TRACE_TEXT_RECORD;
}

void trace_text_write_header(FILE *fp, const struct trace_header *h)
{
	fprintf(fp, "# mesilab trace: THREAD OP ADDRESS SIZE GAP\n");
	fprintf(fp, "# threads: %u\n", h->threads);
	fprintf(fp, "# line-size: %u\n", h->line_size);
	fprintf(fp, "# gap-unit: %s\n", trace_gap_unit_names[h->gap_unit]);
	if (h->truncated)
		fprintf(fp, "# truncated: yes\n");
	/* A reference, the default of text, goes without saying. */
	if (h->order != TRACE_ORDER_REFERENCE)
		fprintf(fp, "# order: %s\n", trace_order_kind_names[h->order]);
	fprintf(fp, "# generator: %s\n", h->generator);
}

void trace_text_write_record(FILE *fp, const struct trace_record *r)
{
	fprintf(fp, "%u %c 0x%" PRIx64 " %u %" PRIu32 "%s\n", r->thread, trace_op_letters[trace_op_of(r)],
		r->address, r->size, r->gap, trace_is_sync(r) ? " sync" : "");
}
