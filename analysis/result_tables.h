/* The result files a run directory may hold, as the comparison and the
 * report read them: which columns identify a point, which one is its
 * value, which way is better, where its repetitions are. One entry per
 * file of the results schema (results/README.md). */
#ifndef MESILAB_RESULT_TABLES_H
#define MESILAB_RESULT_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#define RESULT_MAX_KEYS 4

struct result_table {
	const char *file;
	const char *benchmark;
	const char *keys[RESULT_MAX_KEYS + 1]; /* NULL-terminated */
	/* Measured tables: the value compared, and the samples file holding
	 * the same keys and this column once per repetition. NULL value: a
	 * deterministic table, every other column compared exactly. */
	const char *value;
	const char *samples;
	bool higher_is_better;
};

extern const struct result_table result_tables[];
extern const size_t nresult_tables;

/* The entry for a file name (its last path component), or NULL. */
const struct result_table *result_table_for(const char *path);

#endif
