/* A hash map from line numbers to 64-bit values (open addressing, linear
 * probing, grows by doubling): the simulator's bookkeeping per line. */
#ifndef MESILAB_LINEMAP_H
#define MESILAB_LINEMAP_H

#include <stdbool.h>
#include <stdint.h>

struct linemap {
	uint64_t *keys;
	uint64_t *values;
	uint64_t capacity, used;
};

void linemap_init(struct linemap *m);
void linemap_free(struct linemap *m);
/* The value slot of KEY, or NULL. */
uint64_t *linemap_get(const struct linemap *m, uint64_t key);
/* The value slot of KEY, inserted with VALUE when absent; *ADDED says which. */
uint64_t *linemap_put(struct linemap *m, uint64_t key, uint64_t value, bool *added);
void linemap_remove(struct linemap *m, uint64_t key);

#endif
