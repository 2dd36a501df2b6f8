/* lower_external.c - `external` declarations to the model, and the
 * externals each service lists in `uses`.
 *
 * The host is kept in lower case (DNS names are case-insensitive, and
 * the policy compares it with the hosts services name).  An IPv4 host
 * without `cidr` is its own address (HOST/32); a DNS name without one
 * stands for every public address, which the backends open on the port
 * only (man/dep.5, EXTERNALS). */
#include "model.h"

#include <stdio.h>
#include <string.h>

#include "typed.h"

static const char *text(const struct tblock *b, const char *f)
{
	struct tval *v = tblock_get(b, f);
	return v ? v->u.s : NULL;
}

bool model_ipv4(const char *s)
{
	unsigned a, b, c, d;
	char end;
	return sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &end) == 4 && a < 256 && b < 256 &&
	       c < 256 && d < 256;
}

static struct model_strings cidrs(struct program *p, const struct tblock *b, const char *host)
{
	struct model_strings s = { NULL, 0 };
	struct tval *list = tblock_get(b, "cidr");
	for (struct tval *v = list ? list->u.items : NULL; v; v = v->next)
		s.count++;
	if (!s.count && model_ipv4(host)) {
		s.items = arena_alloc(p->arena, sizeof *s.items);
		s.items[s.count++] = arena_printf(p->arena, "%s/32", host);
		return s;
	}
	s.items = arena_calloc(p->arena, s.count + 1, sizeof *s.items);
	size_t i = 0;
	for (struct tval *v = list ? list->u.items : NULL; v; v = v->next)
		s.items[i++] = v->u.s;
	return s;
}

static struct model_external *lower_one(struct program *p, struct decl *d)
{
	const struct tblock *b = d->typed;
	struct model_external *e = arena_calloc(p->arena, 1, sizeof *e);
	e->name = d->name;
	const char *host = text(b, "host");
	e->host = arena_strndup_lower(p->arena, host, strlen(host));
	e->port = (int)tblock_get(b, "port")->u.i;
	e->protocol = text(b, "protocol");
	if (!e->protocol)
		e->protocol = e->port == 443 ? "https" : "tls";
	e->plaintext = !strcmp(e->protocol, "http") || !strcmp(e->protocol, "tcp");
	e->cidrs = cidrs(p, b, host);
	e->description = text(b, "description");
	e->allows = lower_allows(p, b);
	e->origin = lower_origin(d->block);
	return e;
}

void lower_externals(struct program *p, struct model *m)
{
	size_t n = 0;
	for (struct decl *d = p->decls; d; d = d->next)
		n += !strcmp(d->kind->name, "external");
	m->externals = arena_calloc(p->arena, n + 1, sizeof *m->externals);
	for (struct decl *d = p->decls; d; d = d->next)
		if (!strcmp(d->kind->name, "external"))
			m->externals[m->external_count++] = d->model = lower_one(p, d);
}

/* After every service's and job's `uses` is linked: who uses each external. */
void lower_external_users(struct program *p, struct model *m)
{
	size_t n = model_container_count(m);
	for (size_t i = 0; i < n; i++)
		for (size_t u = 0; u < model_container_at(m, i)->external_count; u++)
			model_container_at(m, i)->externals[u]->used_by_count++;
	for (size_t i = 0; i < m->external_count; i++) {
		struct model_external *e = m->externals[i];
		e->used_by = arena_calloc(p->arena, e->used_by_count + 1, sizeof *e->used_by);
		e->used_by_count = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct model_service *s = model_container_at(m, i);
		for (size_t u = 0; u < s->external_count; u++)
			s->externals[u]->used_by[s->externals[u]->used_by_count++] = s;
	}
}
