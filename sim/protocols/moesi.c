/* MOESI: a modified line read by another cache stays dirty in the owner
 * (O), which supplies it from then on instead of writing it back. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, O, M };

const struct protocol protocol_moesi = {
	.name = "moesi",
	.title = "MOESI",
	.description = "MESI plus O (owned): on BusRd a cache in M supplies the line and keeps it "
		       "dirty in O instead of writing it back; the owner supplies later readers "
		       "and writes the line back when it evicts it. Clean S copies do not supply: "
		       "memory does when there is no owner; a cache in E supplies its line.",
	.nstates = 5,
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [O] = "O", [M] = "M" },
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE, [O] = VALID | DIRTY | OWNER,
			 [M] = VALID | WRITABLE | DIRTY | OWNER },
	.proc = {
		[I] = { [PROC_READ] = ON(BUS_RD, E, S), [PROC_WRITE] = ON(BUS_RDX, M, M) },
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M), [PROC_EVICT] = EVICT(false) },
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) },
		[O] = { [PROC_READ] = HIT(O), [PROC_WRITE] = ON(BUS_UPGR, M, M), [PROC_EVICT] = EVICT(true) },
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) },
	},
	.snoop = {
		[S] = { [BUS_RD] = SNOOP(S, false, false), [BUS_RDX] = SNOOP(I, false, false),
			[BUS_UPGR] = SNOOP(I, false, false) },
		[E] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false) },
		[O] = { [BUS_RD] = SNOOP(O, true, false), [BUS_RDX] = SNOOP(I, true, false),
			[BUS_UPGR] = SNOOP(I, false, false) },
		[M] = { [BUS_RD] = SNOOP(O, true, false), [BUS_RDX] = SNOOP(I, true, false) },
	},
};
