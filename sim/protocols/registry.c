/* The one table of protocols. Adding one is adding its table file and a line here. */
#include <config.h>

#include <stddef.h>

#include "protocol.h"

extern const struct protocol protocol_msi, protocol_msi_upgr, protocol_mesi, protocol_moesi,
	protocol_mesif, protocol_dragon;

const struct protocol *const protocols[] = {
	&protocol_msi, &protocol_msi_upgr, &protocol_mesi, &protocol_moesi,
	&protocol_mesif, &protocol_dragon, NULL,
};
