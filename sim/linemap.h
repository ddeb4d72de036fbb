/* A hash map from line numbers to 32-bit values (open addressing, linear
 * probing, grows by doubling): the simulator's bookkeeping per line. */
#ifndef MESILAB_LINEMAP_H
#define MESILAB_LINEMAP_H

#include <stdbool.h>
#include <stdint.h>

struct linemap {
	uint64_t *keys;
	uint32_t *values;
	uint64_t capacity, used;
};

void linemap_init(struct linemap *m);
void linemap_free(struct linemap *m);
/* The value slot of KEY, or NULL. */
uint32_t *linemap_get(const struct linemap *m, uint64_t key);
/* The value slot of KEY, inserted with VALUE when absent; *ADDED says which. */
uint32_t *linemap_put(struct linemap *m, uint64_t key, uint32_t value, bool *added);
void linemap_remove(struct linemap *m, uint64_t key);

#endif
