/* MESI (Illinois): the exclusive state E lets a line read by one cache
 * alone be written without a bus transaction; caches holding a clean copy
 * supply it to a reader (cache-to-cache sharing). */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, M };

const struct protocol protocol_mesi = {
	.name = "mesi",
	.title = "MESI (Illinois)",
	.description = "A read miss issues BusRd and ends in E when no other cache raises the shared "
		       "signal, in S otherwise. A write in E is silent (E to M); a write in S "
		       "issues BusUpgr; a write miss issues BusRdX. Any cache holding the line "
		       "supplies it on BusRd or BusRdX (the first after the requester in core "
		       "order); a cache in M also writes it back.",
	.nstates = 4,
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [M] = "M" },
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE,
			 [M] = VALID | WRITABLE | DIRTY | OWNER },
	.proc = {
		[I] = { [PROC_READ] = ON(BUS_RD, E, S), [PROC_WRITE] = ON(BUS_RDX, M, M) },
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M), [PROC_EVICT] = EVICT(false) },
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) },
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) },
	},
	.snoop = {
		[S] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false),
			[BUS_UPGR] = SNOOP(I, false, false) },
		[E] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false) },
		[M] = { [BUS_RD] = SNOOP(S, true, true), [BUS_RDX] = SNOOP(I, true, true) },
	},
};
