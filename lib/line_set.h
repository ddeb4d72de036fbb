/* Counting distinct cache lines: exactly up to a bound, then estimated
 * (HyperLogLog, about 1% error) so memory stays bounded. */
#ifndef MESILAB_LINE_SET_H
#define MESILAB_LINE_SET_H

#include <stdbool.h>
#include <stdint.h>

struct line_set;

/* At most EXACT_LIMIT lines are remembered one by one. */
struct line_set *line_set_new(uint64_t exact_limit);
void line_set_free(struct line_set *s);
void line_set_add(struct line_set *s, uint64_t line);
uint64_t line_set_count(const struct line_set *s);
bool line_set_exact(const struct line_set *s);

#endif
