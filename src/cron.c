/* cron.c - checking five-field cron schedules and writing them for AWS.
 *
 * The language takes what every target can run: numbers, '*', ranges,
 * steps and lists, month and day names; no '?', 'L', '#' or @daily.
 * Day of week is 0-6 from Sunday (Kubernetes has no 7).  Restricting both
 * the day of month and the day of week means "either" in cron, which
 * EventBridge Scheduler cannot say, so one of them must be '*'. */
#include "cron.h"

#include <ctype.h>
#include <strings.h>
#include <string.h>


struct cron_field {
	const char *what;
	int lo, hi;
	const char *const *names; /* 3-letter names for lo.., or NULL */
};

static const char *const months[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
				      "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const days[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

static const struct cron_field fields[5] = {
	{ "minute", 0, 59, NULL },
	{ "hour", 0, 23, NULL },
	{ "day of month", 1, 31, NULL },
	{ "month", 1, 12, months },
	{ "day of week", 0, 6, days },
};

/* One value at s[0..n): a number or a name; -1 when it is neither or out
 * of the field's range. */
static int value(const struct cron_field *f, const char *s, size_t n)
{
	if (n && isdigit((unsigned char)s[0])) {
		int v = 0;
		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i]) || v > 1000)
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		return v >= f->lo && v <= f->hi ? v : -1;
	}
	for (int i = 0; f->names && n == 3 && f->names[i]; i++)
		if (!strncasecmp(s, f->names[i], 3))
			return f->lo + i;
	return -1;
}

static bool fail(struct cron_error *e, size_t start, size_t end, const char *why)
{
	e->start = start;
	e->end = end;
	e->why = why;
	return false;
}

/* One list item at expr[at..at+n): *, V, V-V, each with an optional /STEP. */
static bool item(const struct cron_field *f, const char *expr, size_t at, size_t n,
		 struct cron_error *e)
{
	const char *s = expr + at;
	const char *slash = memchr(s, '/', n);
	size_t body = slash ? (size_t)(slash - s) : n;
	if (slash) {
		size_t sn = n - body - 1;
		int step = 0;
		for (size_t i = 0; i < sn && step <= 1000; i++)
			step = isdigit((unsigned char)slash[1 + i]) ? step * 10 + (slash[1 + i] - '0') : -1;
		if (!sn || step < 1 || step > f->hi)
			return fail(e, at + body, at + n, "a step is a whole number from 1 up to the field's largest value");
		if (f == &fields[4])
			return fail(e, at + body, at + n, "a step in the day of week, which EventBridge Scheduler does not take");
	}
	if (body == 1 && s[0] == '*')
		return true;
	const char *dash = memchr(s, '-', body);
	size_t first = dash ? (size_t)(dash - s) : body;
	int a = value(f, s, first);
	if (a < 0)
		return fail(e, at, at + first, f->names ? "a value out of range, or an unknown name"
						      : "a value out of range");
	if (!dash)
		return true;
	int b = value(f, dash + 1, body - first - 1);
	if (b < 0)
		return fail(e, at + first + 1, at + body, "a value out of range");
	if (b < a)
		return fail(e, at, at + body, "a range that ends before it starts");
	return true;
}

static bool field(const struct cron_field *f, const char *expr, size_t at, size_t n,
		  struct cron_error *e)
{
	for (size_t i = at, end = at + n; i <= end;) {
		size_t len = strcspn(expr + i, ",");
		if (len > end - i)
			len = end - i;
		if (!len)
			return fail(e, i > at ? i - 1 : i, i + 1, "an empty entry in a list");
		if (!item(f, expr, i, len, e))
			return false;
		i += len + 1;
	}
	return true;
}

bool cron_check(const char *expr, struct cron_error *e)
{
	size_t at[6], len[6], count = 0, i = 0;
	while (expr[i]) {
		i += strspn(expr + i, " \t");
		size_t n = strcspn(expr + i, " \t");
		if (!n)
			break;
		if (count < 6) {
			at[count] = i;
			len[count] = n;
		}
		count++;
		i += n;
	}
	if (count != 5) {
		size_t end = strlen(expr);
		if (count > 5)
			return fail(e, at[5], end, "more than five fields");
		return fail(e, 0, end, "fewer than five fields");
	}
	for (size_t f = 0; f < 5; f++)
		if (!field(&fields[f], expr, at[f], len[f], e))
			return false;
	bool dom = !(len[2] == 1 && expr[at[2]] == '*');
	bool dow = !(len[4] == 1 && expr[at[4]] == '*');
	if (dom && dow)
		return fail(e, at[2], at[4] + len[4], "both the day of month and the day of week "
			    "are restricted, which cron takes as either and EventBridge Scheduler cannot say");
	return true;
}

/* Day-of-week numbers one up (AWS counts Sunday as 1); names and
 * everything else as written, in capitals. */
static void aws_days(struct strbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		if (isdigit((unsigned char)s[i])) {
			int v = 0;
			while (i < n && isdigit((unsigned char)s[i]))
				v = v * 10 + (s[i++] - '0');
			strbuf_printf(b, "%d", v + 1);
			continue;
		}
		strbuf_putc(b, (char)toupper((unsigned char)s[i++]));
	}
}

/* A field as written, in capitals, with "*\/N" written "LO/N": AWS
 * documents steps from a start value only. */
static void aws_field(struct strbuf *b, const char *s, size_t n, int lo)
{
	for (size_t i = 0; i < n; i++) {
		bool item_start = i == 0 || s[i - 1] == ',';
		if (item_start && s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
			strbuf_printf(b, "%d", lo);
			continue;
		}
		strbuf_putc(b, (char)toupper((unsigned char)s[i]));
	}
}

const char *cron_to_aws(struct arena *a, const char *expr)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_puts(&b, "cron(");
	size_t i = 0, f = 0;
	while (expr[i] && f < 5) {
		i += strspn(expr + i, " \t");
		size_t n = strcspn(expr + i, " \t");
		if (!n)
			break;
		if (f == 4) {
			bool any = n == 1 && expr[i] == '*';
			if (any)  /* the day of month decides: '*' or the days it names */
				strbuf_putc(&b, '?');
			else
				aws_days(&b, expr + i, n);
		} else if (f == 2 && !(n == 1 && expr[i] == '*')) {
			aws_field(&b, expr + i, n, fields[f].lo);
		} else if (f == 2) {
			/* '*' unless the day of week is restricted: then '?' */
			const char *rest = expr + i + n;
			rest += strspn(rest, " \t");
			rest += strcspn(rest, " \t");
			rest += strspn(rest, " \t");
			bool dow_any = rest[0] == '*' && (rest[1] == '\0' || rest[1] == ' ' || rest[1] == '\t');
			strbuf_putc(&b, dow_any ? '*' : '?');
		} else {
			aws_field(&b, expr + i, n, fields[f].lo);
		}
		strbuf_putc(&b, ' ');
		i += n;
		f++;
	}
	strbuf_puts(&b, "*)");
	return strbuf_finish(&b, a);
}
