/* The one table of protocols. Adding one is adding its table file and a
 * line here; a variant (named_only) follows the protocol it varies. */
#include <config.h>

#include <stddef.h>

#include "protocol.h"

extern const struct protocol protocol_msi, protocol_msi_upgr, protocol_mesi, protocol_mesi_basic,
	protocol_mesi_flush_all, protocol_moesi, protocol_moesi_shared_supplies,
	protocol_moesi_shared_flush_all, protocol_mesif, protocol_mesif_migratory, protocol_dragon;

const struct protocol *const protocols[] = {
	&protocol_msi,
	&protocol_msi_upgr,
	&protocol_mesi,
	&protocol_mesi_basic,
	&protocol_mesi_flush_all,
	&protocol_moesi,
	&protocol_moesi_shared_supplies,
	&protocol_moesi_shared_flush_all,
	&protocol_mesif,
	&protocol_mesif_migratory,
	&protocol_dragon,
	NULL,
};
