/* Working-set memory with a chosen page size, saying which one was really
 * obtained: 4 KiB pages, transparent huge pages (madvise) or huge pages
 * reserved by the administrator (MAP_HUGETLB). */
#ifndef MESILAB_BENCH_MEMORY_H
#define MESILAB_BENCH_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The huge page the mappings are aligned to (x86-64's and arm64's usual). */
#define BENCH_HUGE_PAGE (2u << 20)

enum page_kind { PAGES_4K, PAGES_THP, PAGES_HUGETLB, PAGES_NKINDS };
extern const char *const page_kind_names[PAGES_NKINDS]; /* "4k", "thp", "hugetlb" */

struct bench_memory {
	void *base;
	size_t bytes, mapped;
	enum page_kind asked, got;
	char note[128]; /* why GOT differs from ASKED, or "" */
};

/* Maps BYTES, asks for KIND, touches every page. */
int bench_memory_map(struct bench_memory *m, size_t bytes, enum page_kind kind, struct ml_error *err);
void bench_memory_unmap(struct bench_memory *m);

/* A working set must fit in the memory this process can get (see
 * memory_avail.h), with room to spare, or the machine swaps or kills the
 * run. The share of the available memory a benchmark may take: */
#define BENCH_MEMORY_SHARE 0.8
/* Refuses, as a usage error naming --OPTION, COPIES working sets of BYTES
 * that do not fit. */
struct cli_args;
void bench_memory_must_fit(const struct cli_args *args, size_t option, uint64_t bytes, unsigned copies);
/* WANT, or less so that COPIES of it take at most half the available
 * memory: for defaults, which must never be refused. Sets *CAPPED. */
uint64_t bench_memory_cap(uint64_t want, unsigned copies, bool *capped);

#endif
