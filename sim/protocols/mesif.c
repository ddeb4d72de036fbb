/* MESIF: of the clean shared copies, one (F, the forwarder) answers reads;
 * the newest reader takes the role over. */
#include <config.h>

#include "protocol_table.h"

enum { I, S, E, F, M };

const struct protocol protocol_mesif = {
	.name = "mesif",
	.title = "MESIF",
	.summary = "MESIF (Intel): the newest reader of a shared line is the forwarder F, which "
		   "alone supplies it",
	.description = "MESI where a read miss that finds other copies ends in F (forward) rather "
		       "than S: the cache in F (or E, or M) supplies the next reader and becomes S, "
		       "the reader becoming the new F. S copies never supply; with no F, E or M "
		       "copy, memory does.",
	.nstates = 5,
	.state_names = { [I] = "I", [S] = "S", [E] = "E", [F] = "F", [M] = "M" },
	.state_flags = { [I] = 0, [S] = VALID, [E] = VALID | WRITABLE, [F] = VALID | OWNER,
			 [M] = VALID | WRITABLE | DIRTY | OWNER },
	.proc = {
		[I] = { [PROC_READ] = ON(BUS_RD, E, F), [PROC_WRITE] = ON(BUS_RDX, M, M) },
		[S] = { [PROC_READ] = HIT(S), [PROC_WRITE] = ON(BUS_UPGR, M, M), [PROC_EVICT] = EVICT(false) },
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) },
		[F] = { [PROC_READ] = HIT(F), [PROC_WRITE] = ON(BUS_UPGR, M, M), [PROC_EVICT] = EVICT(false) },
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) },
	},
	.snoop = {
		[S] = { [BUS_RD] = SNOOP(S, false, false), [BUS_RDX] = SNOOP(I, false, false),
			[BUS_UPGR] = SNOOP(I, false, false) },
		[E] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false) },
		[F] = { [BUS_RD] = SNOOP(S, true, false), [BUS_RDX] = SNOOP(I, true, false),
			[BUS_UPGR] = SNOOP(I, false, false) },
		[M] = { [BUS_RD] = SNOOP(S, true, true), [BUS_RDX] = SNOOP(I, true, true) },
	},
};
