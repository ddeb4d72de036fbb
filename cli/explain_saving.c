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

/* Appends protocol NAME to the ", "-separated list BUF (LEN bytes) at *USED. */
static void add_name(char *buf, size_t len, size_t *used, const char *name)
{
	if (*used < len)
		*used += (size_t)snprintf(buf + *used, len - *used, "%s%s", *used ? ", " : "", name);
}

char *explain_no_saving(const struct explain_saving *s, unsigned n)
{
	char lost[256] = "", rose[256] = "", fell[256] = "";
	size_t used = 0, nrose = 0, nfell = 0;
	bool some_saved = false;

	for (unsigned p = 0; p < n; p++) {
		if (s[p].misses_padded > s[p].misses)
			add_name(rose, sizeof(rose), &nrose, s[p].protocol);
		else if (s[p].misses_padded < s[p].misses)
			add_name(fell, sizeof(fell), &nfell, s[p].protocol);
		if (s[p].cycles_padded < s[p].cycles)
			some_saved = true;
		else
			add_name(lost, sizeof(lost), &used, s[p].protocol);
	}
	if (some_saved)
		return xasprintf("no saving of modelled memory cycles under %s: no fix for every protocol; weigh it "
				 "against the others' saving", lost);
	/* The misses rose under some protocols and fell under others: each
	 * said, as neither holds for all. */
	if (nrose && nfell)
		return xasprintf("no saving of modelled memory cycles under any protocol, with more misses under %s, "
				 "fewer under %s: leave it as it is", rose, fell);
	/* Said only where the misses rose: at +0 it would not be true. */
	if (nrose)
		return xasprintf("no saving under any protocol: the data is better kept together (moving it apart adds "
				 "more misses than its false sharing costs); leave it as it is");
	return xasprintf("no saving of modelled memory cycles under any protocol, though the misses %s: what its false "
			 "sharing cost, other waits cost again; leave it as it is", nfell ? "fall" : "stay as many");
}
