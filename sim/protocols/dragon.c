/* Dragon (Xerox PARC): update-based. Writes to shared lines broadcast the
 * new data with BusUpd instead of invalidating the other copies. */
#include <config.h>

#include "protocol_table.h"

enum { I, E, SC, SM, M };

#define WRITE_MISS                                                                              \
	{ .defined = true, .bus = BUS_RD, .next = { M, SM }, .then_bus = { BUS_NONE, BUS_UPD } }

const struct protocol protocol_dragon = {
	.name = "dragon",
	.title = "Dragon (update-based)",
	.summary = "Dragon (Xerox PARC): update-based, writes to shared lines broadcast BusUpd",
	.description = "Four valid states: E (exclusive clean), Sc (shared clean), Sm (shared "
		       "modified: the owner, memory is stale) and M (exclusive modified). A write "
		       "to a shared line issues BusUpd: the other copies take the new data and "
		       "stay valid (Sc); the writer ends in Sm, or in M when no other copy raised "
		       "the shared signal. A write miss issues BusRd, then BusUpd if the line is "
		       "shared. Sm and M supply readers; memory is updated only on eviction.",
	.nstates = 5,
	.state_names = { [I] = "I", [E] = "E", [SC] = "Sc", [SM] = "Sm", [M] = "M" },
	.state_flags = { [I] = 0, [E] = VALID | WRITABLE, [SC] = VALID, [SM] = VALID | DIRTY | OWNER,
			 [M] = VALID | WRITABLE | DIRTY | OWNER },
	.proc = {
		[I] = { [PROC_READ] = ON(BUS_RD, E, SC), [PROC_WRITE] = WRITE_MISS },
		[E] = { [PROC_READ] = HIT(E), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(false) },
		[SC] = { [PROC_READ] = HIT(SC), [PROC_WRITE] = ON(BUS_UPD, M, SM), [PROC_EVICT] = EVICT(false) },
		[SM] = { [PROC_READ] = HIT(SM), [PROC_WRITE] = ON(BUS_UPD, M, SM), [PROC_EVICT] = EVICT(true) },
		[M] = { [PROC_READ] = HIT(M), [PROC_WRITE] = HIT(M), [PROC_EVICT] = EVICT(true) },
	},
	.snoop = {
		[E] = { [BUS_RD] = SNOOP(SC, false, false) },
		[SC] = { [BUS_RD] = SNOOP(SC, false, false), [BUS_UPD] = SNOOP(SC, false, false) },
		[SM] = { [BUS_RD] = SNOOP(SM, true, false), [BUS_UPD] = SNOOP(SC, false, false) },
		[M] = { [BUS_RD] = SNOOP(SM, true, false) },
	},
};
