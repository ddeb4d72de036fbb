#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "options.h"
#include "memory.h"
#include "memory_avail.h"
#include "units.h"

const char *const page_kind_names[PAGES_NKINDS] = { "4k", "thp", "hugetlb" };

/* Bytes of MAPPING backed by transparent huge pages, from the kernel's
 * per-mapping accounting; 0 when it cannot be read. */
static size_t huge_bytes_of(const void *mapping)
{
	FILE *fp = fopen("/proc/self/smaps", "r");
	char line[256];
	int inside = 0;
	size_t kb = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		uintptr_t start, end;

		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR " ", &start, &end) == 2)
			inside = start <= (uintptr_t)mapping && (uintptr_t)mapping < end;
		else if (inside && sscanf(line, "AnonHugePages: %zu kB", &kb) == 1)
			break;
	}
	fclose(fp);
	return kb * 1024;
}

int bench_memory_map(struct bench_memory *m, size_t bytes, enum page_kind kind, struct ml_error *err)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned char *p;

	memset(m, 0, sizeof(*m));
	m->bytes = bytes;
	m->asked = m->got = kind;
	m->mapped = (bytes + BENCH_HUGE_PAGE - 1) / BENCH_HUGE_PAGE * BENCH_HUGE_PAGE;
	if (kind == PAGES_HUGETLB) {
		p = mmap(NULL, m->mapped, PROT_READ | PROT_WRITE, flags | MAP_HUGETLB, -1, 0);
		if (p != MAP_FAILED) {
			m->base = p;
			memset(p, 0, bytes);
			return 0;
		}
		snprintf(m->note, sizeof(m->note), "no reserved huge pages (%s): transparent huge pages instead",
			 strerror(errno));
		kind = m->got = PAGES_THP;
	}
	/* One huge page more, to align the start on a huge-page boundary. */
	p = mmap(NULL, m->mapped + BENCH_HUGE_PAGE, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		ml_error_set(err, "cannot map %zu bytes: %s", bytes, strerror(errno));
		return -1;
	}
	m->base = (void *)(((uintptr_t)p + BENCH_HUGE_PAGE - 1) & ~(uintptr_t)(BENCH_HUGE_PAGE - 1));
	if ((unsigned char *)m->base > p)
		munmap(p, (size_t)((unsigned char *)m->base - p));
	munmap((unsigned char *)m->base + m->mapped,
	       (size_t)(p + m->mapped + BENCH_HUGE_PAGE - ((unsigned char *)m->base + m->mapped)));
	madvise(m->base, m->mapped, kind == PAGES_THP ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	memset(m->base, 0, bytes);
	if (kind == PAGES_THP && huge_bytes_of(m->base) < bytes / 2) {
		m->got = PAGES_4K;
		snprintf(m->note, sizeof(m->note), "the kernel gave 4 KiB pages for most of it");
	}
	return 0;
}

void bench_memory_unmap(struct bench_memory *m)
{
	if (m->base)
		munmap(m->base, m->mapped);
	memset(m, 0, sizeof(*m));
}

void bench_memory_must_fit(const struct cli_args *args, size_t option, uint64_t bytes, unsigned copies)
{
	const char *why;
	uint64_t available = memory_available(&why);
	double need = (double)bytes * copies;
	char need_text[32], available_text[32], each[48] = "";

	if (available == UINT64_MAX || need <= BENCH_MEMORY_SHARE * (double)available)
		return;
	units_format_size((uint64_t)need, need_text, sizeof(need_text));
	units_format_size(available, available_text, sizeof(available_text));
	if (copies > 1)
		snprintf(each, sizeof(each), " (%u working sets)", copies);
	cli_usage_error(args, "--%s %s needs %s of memory%s; %s is available (%s): choose a smaller --%s",
			args->options[option].name, args->values[option], need_text, each, available_text, why,
			args->options[option].name);
}

uint64_t bench_memory_cap(uint64_t want, unsigned copies, bool *capped)
{
	uint64_t available = memory_available(NULL), most;

	*capped = false;
	if (available == UINT64_MAX || copies == 0)
		return want;
	most = available / 2 / copies;
	if (want <= most)
		return want;
	*capped = true;
	return most;
}
