/* model.c - small queries backends share over the model. */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct model_service *model_find_service(const struct model *m, const char *name)
{
	return strmap_get(&m->service_index, name);
}

bool model_uses(const struct model_service *a, const struct model_service *b)
{
	for (size_t i = 0; i < a->uses_count; i++)
		if (a->uses[i] == b)
			return true;
	return false;
}

bool model_service_used(const struct model_service *s)
{
	return s->used_by_count > 0;
}

bool model_secret_used(const struct model_secret *sec)
{
	return sec->reader_count > 0 || sec->composed_count > 0;
}

static int default_port(const char *scheme)
{
	static const struct { const char *scheme; int port; } ports[] = {
		{ "https", 443 }, { "wss", 443 }, { "http", 80 }, { "ws", 80 },
	};
	for (size_t i = 0; i < sizeof ports / sizeof ports[0]; i++)
		if (!strcmp(ports[i].scheme, scheme))
			return ports[i].port;
	return 0;
}

bool model_parse_url(const char *value, struct model_url *u)
{
	const char *sep = strstr(value, "://");
	if (!sep)
		return false;
	const char *start = sep;
	while (start > value && (isalnum((unsigned char)start[-1]) || strchr("+.-", start[-1])))
		start--;
	size_t n = (size_t)(sep - start);
	if (!n || n >= sizeof u->scheme)
		return false;
	memcpy(u->scheme, start, n);
	u->scheme[n] = '\0';
	const char *p = sep + 3;
	size_t authority = strcspn(p, "/?# \"'");
	const char *at = memchr(p, '@', authority);
	u->userinfo = at != NULL;
	if (at) {
		authority -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t h = strcspn(p, ":/?# \"'");
	if (!h || h >= sizeof u->host || h > authority)
		return false;
	memcpy(u->host, p, h);
	u->host[h] = '\0';
	u->port = p[h] == ':' ? atoi(p + h + 1) : default_port(u->scheme);
	return true;
}

/* Built images are pushed as REGISTRY/SERVICE:VERSION, so each service
 * of an app gets its own repository path under the registry. */
const char *model_service_image(const struct model *m, const struct model_service *s,
				char *buf, size_t size)
{
	if (s->job && s->job->from)
		s = s->job->from;
	if (s->image)
		return s->image;
	if (m->app.registry)
		snprintf(buf, size, "%s/%s:%s", m->app.registry, s->name, m->app.version);
	else
		snprintf(buf, size, "%s/%s:%s", m->app.name, s->name, m->app.version);
	return buf;
}

bool model_image_built(const struct model_service *s)
{
	return s->build || (s->job && s->job->from && s->job->from->build);
}

bool model_job_scheduled(const struct model_job *j)
{
	return j->schedule != NULL;
}

bool model_job_before(const struct model_job *j, const struct model_service *s)
{
	for (size_t i = 0; i < j->before_count; i++)
		if (j->before[i] == s)
			return true;
	return false;
}

/* The entry of s, when s is one of m's services (not a job's container). */
static struct model_waits *waits_at(const struct model *m, struct model_waits *w,
				    const struct model_service *s)
{
	return s->index < m->service_count && m->services[s->index] == s ? &w[s->index] : NULL;
}

/* Two passes over the `before` lists: the lengths, then the entries.  A
 * service named twice in one `before` gets the job once. */
struct model_waits *model_waits_of(const struct model *m, struct arena *a)
{
	struct model_waits *w = arena_calloc(a, m->service_count + 1, sizeof *w), *at;
	for (size_t j = 0; j < m->job_count; j++)
		for (size_t i = 0; i < m->jobs[j]->before_count; i++)
			if ((at = waits_at(m, w, m->jobs[j]->before[i])))
				at->count++;
	for (size_t k = 0; k < m->service_count; k++) {
		w[k].jobs = arena_calloc(a, w[k].count + 1, sizeof *w[k].jobs);
		w[k].count = 0;
	}
	for (size_t j = 0; j < m->job_count; j++)
		for (size_t i = 0; i < m->jobs[j]->before_count; i++) {
			at = waits_at(m, w, m->jobs[j]->before[i]);
			if (at && (!at->count || at->jobs[at->count - 1] != m->jobs[j]))
				at->jobs[at->count++] = m->jobs[j];
		}
	return w;
}

size_t model_container_count(const struct model *m)
{
	return m->service_count + m->job_count;
}

struct model_service *model_container_at(const struct model *m, size_t i)
{
	return i < m->service_count ? m->services[i] : m->jobs[i - m->service_count]->run;
}
