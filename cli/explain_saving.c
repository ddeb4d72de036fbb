/* Whether explain's padded replay is a fix, and why not in words. */
#include <config.h>

#include <stdio.h>

#include "explain_saving.h"
#include "xalloc.h"

bool explain_saves(const struct explain_saving *s, unsigned n)
{
	for (unsigned p = 0; p < n; p++)
		if (s[p].cycles_padded >= s[p].cycles)
			return false;
	return n > 0;
}

char *explain_no_saving(const struct explain_saving *s, unsigned n)
{
	char lost[256] = "";
	bool more = false, fewer = false, some_saved = false;
	size_t used = 0;

	for (unsigned p = 0; p < n; p++) {
		more |= s[p].misses_padded > s[p].misses;
		fewer |= s[p].misses_padded < s[p].misses;
		if (s[p].cycles_padded < s[p].cycles)
			some_saved = true;
		else if (used < sizeof(lost))
			used += (size_t)snprintf(lost + used, sizeof(lost) - used, "%s%s", used ? ", " : "", s[p].protocol);
	}
	if (some_saved)
		return xasprintf("no saving of modelled memory cycles under %s: no fix for every protocol; weigh it "
				 "against the others' saving", lost);
	/* Said only where the misses rose: at +0 it would not be true. */
	if (more)
		return xasprintf("no saving under any protocol: the data is better kept together (moving it apart adds "
				 "more misses than its false sharing costs); leave it as it is");
	return xasprintf("no saving of modelled memory cycles under any protocol, though the misses %s: what its false "
			 "sharing cost, other waits cost again; leave it as it is", fewer ? "fall" : "stay as many");
}
