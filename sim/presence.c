#include <config.h>

#include <stdlib.h>

#include "presence.h"
#include "xalloc.h"

void presence_init(struct presence *p, uint64_t capacity)
{
	p->bits = 4;
	while ((1ull << p->bits) < 8 * capacity)
		p->bits++;
	p->bucket = xcalloc(1ull << p->bits, sizeof(*p->bucket));
}

void presence_free(struct presence *p)
{
	free(p->bucket);
}
