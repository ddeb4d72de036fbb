/* MESI (Illinois): the exclusive state E lets a line read by one cache
 * alone be written without a bus transaction; caches holding a clean copy
 * supply it to a reader (cache-to-cache sharing). The variants: mesi-basic,
 * the textbooks' MESI, where memory supplies a clean line; mesi-flush-all,
 * Illinois counted as a course does, a flush at every cache holding it. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, M };

/* CLEAN: whether a cache in S or E supplies the line (Illinois) or memory
 * does (the textbooks' basic MESI). */
#define MESI_TABLE(clean)                                                                          \
	.nstates = 4,                                                                              \
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [M] = "M" },                             \
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE,                             \
			 [M] = VALID | WRITABLE | DIRTY | OWNER },                                 \
	.proc = {                                                                                  \
		[I] = { [PROC_READ] = ON(BUS_RD, E, S), [PROC_WRITE] = ON(BUS_RDX, M, M) },        \
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M),                   \
			[PROC_EVICT] = EVICT(false) },                                             \
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) }, \
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) }, \
	},                                                                                         \
	.snoop = {                                                                                 \
		[S] = { [BUS_RD] = SNOOP(S, clean, false), [BUS_RDX] = SNOOP(I, clean, false),     \
			[BUS_UPGR] = SNOOP(I, false, false) },                                     \
		[E] = { [BUS_RD] = SNOOP(S, clean, false), [BUS_RDX] = SNOOP(I, clean, false) },   \
		[M] = { [BUS_RD] = SNOOP(S, true, true), [BUS_RDX] = SNOOP(I, true, true) },       \
	}

#define MESI_RULES                                                                                 \
	"A read miss issues BusRd and ends in E when no other cache raises the shared signal, "   \
	"in S otherwise. A write in E is silent (E to M); a write in S issues BusUpgr; a write "  \
	"miss issues BusRdX. "

const struct protocol protocol_mesi = {
	.name = "mesi",
	.title = "MESI (Illinois)",
	.summary = "Illinois MESI (Papamarcos and Patel): clean lines supplied cache to cache; "
		   "the default MESI",
	.description = MESI_RULES "Any cache holding the line supplies it on BusRd or BusRdX (the "
				  "first after the requester in core order); a cache in M also "
				  "writes it back.",
	MESI_TABLE(true),
};

const struct protocol protocol_mesi_basic = {
	.name = "mesi-basic",
	.title = "MESI, basic (memory supplies clean lines)",
	.summary = "variant of mesi: memory supplies a line clean in other caches (Culler and Singh's "
		   "and Hennessy and Patterson's MESI)",
	.description = MESI_RULES "Only a cache in M supplies the line on BusRd or BusRdX (and writes "
				  "it back); a line clean in other caches (S or E) comes from "
				  "memory. This is the MESI of Culler and Singh without "
				  "cache-to-cache sharing and of Hennessy and Patterson; mesi "
				  "(Illinois) differs only in letting S and E supply.",
	.named_only = true,
	MESI_TABLE(false),
};

const struct protocol protocol_mesi_flush_all = {
	.name = "mesi-flush-all",
	.title = "MESI (Illinois), a flush counted at every holder",
	.summary = "variant of mesi: the same transitions, a flush counted at every cache holding the "
		   "line on BusRd or BusRdX (a course's counting)",
	.description = MESI_RULES "Any cache holding the line supplies it on BusRd or BusRdX and "
				  "counts a flush, as a course reading Culler and Singh's Flush' "
				  "at every sharer counts; the requester takes the line from the "
				  "first after it in core order, and the bus carries it once. "
				  "States, transactions and sources are mesi's.",
	.named_only = true,
	.flush_every_supplier = true,
	MESI_TABLE(true),
};
