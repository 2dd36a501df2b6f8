/* units.c - the unit table (see units.h).
 *
 * Sizes follow Kubernetes: K/M/G/T are powers of 1000 and Ki/Mi/Gi/Ti
 * powers of 1024; the KB/MiB spellings are accepted too because Compose
 * and people write them. */
#include "units.h"

#include <string.h>

#include "suggest.h"

struct unit {
	const char *suffix;
	enum unit_dim dim;
	double factor; /* to the dimension's base unit */
};

static const struct unit units[] = {
	{ "ms", UNIT_DURATION, 1 },
	{ "s", UNIT_DURATION, 1000 },
	{ "m", UNIT_DURATION, 60000 },
	{ "h", UNIT_DURATION, 3600000 },
	{ "d", UNIT_DURATION, 86400000 },
	{ "m", UNIT_CPU, 1 },
	{ "B", UNIT_SIZE, 1 },
	{ "k", UNIT_SIZE, 1e3 },
	{ "K", UNIT_SIZE, 1e3 },
	{ "KB", UNIT_SIZE, 1e3 },
	{ "M", UNIT_SIZE, 1e6 },
	{ "MB", UNIT_SIZE, 1e6 },
	{ "G", UNIT_SIZE, 1e9 },
	{ "GB", UNIT_SIZE, 1e9 },
	{ "T", UNIT_SIZE, 1e12 },
	{ "TB", UNIT_SIZE, 1e12 },
	{ "Ki", UNIT_SIZE, 1024.0 },
	{ "KiB", UNIT_SIZE, 1024.0 },
	{ "Mi", UNIT_SIZE, 1048576.0 },
	{ "MiB", UNIT_SIZE, 1048576.0 },
	{ "Gi", UNIT_SIZE, 1073741824.0 },
	{ "GiB", UNIT_SIZE, 1073741824.0 },
	{ "Ti", UNIT_SIZE, 1099511627776.0 },
	{ "TiB", UNIT_SIZE, 1099511627776.0 },
	{ "%", UNIT_PERCENT, 1 },
};

#define UNIT_COUNT (sizeof units / sizeof units[0])

bool unit_known(const char *suffix)
{
	for (size_t i = 0; i < UNIT_COUNT; i++)
		if (units[i].suffix[0] == suffix[0] && strcmp(units[i].suffix, suffix) == 0)
			return true;
	return false;
}

static const struct unit *find(const char *suffix, enum unit_dim dim)
{
	for (size_t i = 0; i < UNIT_COUNT; i++)
		if (units[i].dim == dim && units[i].suffix[0] == suffix[0] &&
		    strcmp(units[i].suffix, suffix) == 0)
			return &units[i];
	return NULL;
}

bool unit_in_dim(const char *suffix, enum unit_dim dim)
{
	return find(suffix, dim) != NULL;
}

bool unit_to_base(const char *suffix, double value, enum unit_dim dim, double *out)
{
	const struct unit *u = find(suffix, dim);
	if (!u)
		return false;
	*out = value * u->factor;
	return true;
}

const char *unit_dim_name(enum unit_dim dim)
{
	static const char *const names[UNIT_DIM_COUNT] = {
		"duration", "size", "cpu", "percentage",
	};
	return dim < UNIT_DIM_COUNT ? names[dim] : "?";
}

const char *unit_suggest(const char *suffix)
{
	struct suggest s;
	suggest_init(&s, suffix);
	for (size_t i = 0; i < UNIT_COUNT; i++)
		suggest_consider(&s, units[i].suffix);
	return suggest_result(&s);
}

const char *unit_list(enum unit_dim dim)
{
	static const char *const lists[UNIT_DIM_COUNT] = {
		"ms, s, m, h, d",
		"B, K, KB, Ki, KiB, M, MB, Mi, MiB, G, GB, Gi, GiB, T, TB, Ti, TiB",
		"m (millicores), or a plain number of cores",
		"%",
	};
	return dim < UNIT_DIM_COUNT ? lists[dim] : "";
}
