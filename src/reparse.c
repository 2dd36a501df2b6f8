/* reparse.c - see reparse.h.
 *
 * The last text and the new one share a prefix and a suffix; between
 * them is what changed.  Reused are the items wholly in the prefix and
 * those in the suffix; the stretch between (the changed bytes and the
 * items around them) is parsed alone (parse_region) and spliced in.
 * That stands for a whole parse when nothing in the stretch behaves
 * differently for what is around it:
 *
 *   - the last parse and the stretch's both report nothing.  A string,
 *     comment or bracket left open at the stretch's end, or a construct
 *     cut short, is then an error, so nothing reaches across its ends;
 *   - an item kept before the stretch is followed, in the prefix, by
 *     the whole of the next item: every byte the scanner and the parser
 *     read to end it, up to the next item's first token, is unchanged;
 *   - an item kept after the stretch starts a line whose newline is in
 *     the suffix: a line comment in the stretch ends before it, and
 *     nothing complete at the top level goes on with a token that
 *     starts an item (a name, import, template, unset).
 *
 * Kept items are moved, not copied: their spans shift by the change in
 * length, and the source they point at is the one struct in `r`, which
 * each call fills in with the new version's.  Their arena keeps what the
 * last versions left behind, up to twice a whole parse; then the next
 * version is parsed whole into a fresh one.  tests/unit/test_reparse.c
 * checks trees and comments against whole parses over random edits. */
#include "reparse.h"

#include <stdint.h>
#include <string.h>

void reparse_init(struct reparse *r)
{
	memset(r, 0, sizeof *r);
	arena_init(&r->arena);
}

void reparse_free(struct reparse *r)
{
	arena_free(&r->arena);
	reparse_init(r);
}

static struct ast_node *parse_whole(struct reparse *r, struct diag_bag *diags)
{
	arena_free(&r->arena);
	const struct diag *before = diags->last;
	size_t dropped = diags->dropped;
	r->root = parse_source_comments(&r->arena, &r->source, diags, &r->comments);
	r->clean = diags->last == before && diags->dropped == dropped;
	r->whole_size = r->arena.total;
	r->items_reused = 0;
	return r->root;
}

/* Where the old and new texts differ: [pre, old_len - suf) of the old,
 * [pre, new_len - suf) of the new. */
struct change {
	size_t pre, suf;
	int64_t delta; /* new length - old length */
};

/* Do the 8 bytes at a and b differ?  Read as words: a byte at a time
 * was most of what a reparse costs beside the stretch's parse. */
static bool words_differ(const char *a, const char *b)
{
	uint64_t x, y;
	memcpy(&x, a, sizeof x);
	memcpy(&y, b, sizeof y);
	return x != y;
}

static struct change find_change(const char *a, size_t alen, const char *b, size_t blen)
{
	struct change c = { 0, 0, (int64_t)blen - (int64_t)alen };
	size_t shorter = alen < blen ? alen : blen;
	while (c.pre + 8 <= shorter && !words_differ(a + c.pre, b + c.pre))
		c.pre += 8;
	while (c.pre < shorter && a[c.pre] == b[c.pre])
		c.pre++;
	while (c.suf + 8 <= shorter - c.pre && !words_differ(a + alen - 8 - c.suf, b + blen - 8 - c.suf))
		c.suf += 8;
	while (c.suf < shorter - c.pre && a[alen - 1 - c.suf] == b[blen - 1 - c.suf])
		c.suf++;
	return c;
}

/* Does the item starting at `start` begin a line whose newline is at or
 * after `from`? */
static bool starts_line_after(const char *t, size_t start, size_t from)
{
	size_t i = start;
	while (i > from && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		i--;
	return i > from && t[i - 1] == '\n';
}

/* The old items, in an array for the look-ups below. */
static struct ast_node **item_array(struct arena *a, struct ast_node *first, size_t *n)
{
	*n = 0;
	for (struct ast_node *i = first; i; i = i->next)
		(*n)++;
	struct ast_node **items = arena_alloc(a, (*n ? *n : 1) * sizeof *items);
	size_t k = 0;
	for (struct ast_node *i = first; i; i = i->next)
		items[k++] = i;
	return items;
}

/* What is kept: items [0, before) and [after, n). */
struct keep {
	size_t before, after;
	uint32_t from, to_old; /* the stretch, in the old text */
};

static struct keep choose(struct ast_node **items, size_t n, const char *t, size_t len,
			  struct change c)
{
	struct keep k = { 0, n, 0, (uint32_t)len };
	while (k.before + 1 < n && items[k.before + 1]->span.end <= c.pre)
		k.before++;
	size_t post = len - c.suf;
	for (size_t j = k.before; j < n; j++)
		if (items[j]->span.start >= post && starts_line_after(t, items[j]->span.start, post)) {
			k.after = j;
			break;
		}
	k.from = k.before ? items[k.before - 1]->span.end : 0;
	k.to_old = k.after < n ? items[k.after]->span.start : (uint32_t)len;
	return k;
}

/* The comments before `from`, then those of the stretch, then those
 * from `to_old` on, shifted. */
static struct parse_comment *splice_comments(struct parse_comment *old, struct parse_comment *mid,
					     const struct keep *k, int64_t delta)
{
	struct parse_comment *head = NULL, **tail = &head;
	struct parse_comment *c = old;
	for (; c && c->span.end <= k->from; c = c->next) {
		*tail = c;
		tail = &c->next;
	}
	for (; c && c->span.start < k->to_old; c = c->next)
		;
	*tail = mid;
	while (*tail)
		tail = &(*tail)->next;
	*tail = c;
	for (; c; c = c->next) {
		c->span.start = (uint32_t)(c->span.start + delta);
		c->span.end = (uint32_t)(c->span.end + delta);
	}
	return head;
}

/* The root a whole parse makes: from 0 to the end of the last token at
 * the top level (an item, or a ';' or ',' after it). */
static uint32_t root_end(const struct ast_node *old_root, const struct ast_node *mid,
			 const struct keep *k, size_t n, int64_t delta)
{
	if (k->after < n)
		return (uint32_t)(old_root->span.end + delta);
	if (mid->span.end > 0)
		return mid->span.end;
	return k->from;
}

static struct ast_node *splice_items(struct ast_node **items, size_t n, const struct keep *k,
				     struct ast_node *mid)
{
	struct ast_list out = { 0 };
	for (size_t i = 0; i < k->before; i++) {
		items[i]->next = NULL;
		ast_list_append(&out, items[i]);
	}
	for (struct ast_node *m = mid, *next; m; m = next) {
		next = m->next;
		m->next = NULL;
		ast_list_append(&out, m);
	}
	for (size_t i = k->after; i < n; i++) {
		items[i]->next = NULL;
		ast_list_append(&out, items[i]);
	}
	return out.head;
}

/* The tree made of the last one's items and the stretch between them,
 * or NULL when the stretch's parse reports anything (the caller then
 * parses the whole text, and the report is its). */
static struct ast_node *reuse(struct reparse *r, const struct source *src)
{
	struct change c = find_change(r->text, r->len, src->text, src->len);
	size_t n;
	struct ast_node **items = item_array(&r->arena, r->root->u.file.items, &n);
	struct keep k = choose(items, n, r->text, r->len, c);
	struct diag_bag quiet;
	diag_bag_init(&quiet, &r->arena);
	struct parse_comment *mid_comments = NULL;
	struct ast_node *mid = parse_region(&r->arena, &r->source, k.from,
					    (uint32_t)(k.to_old + c.delta), &quiet, &mid_comments);
	if (quiet.first || quiet.dropped)
		return NULL;
	for (struct ast_node *m = mid->u.file.items; m; m = m->next)
		ast_set_source(m, &r->source);
	for (size_t i = k.after; i < n; i++)
		ast_shift(items[i], c.delta);
	struct span whole = span_make(0, root_end(r->root, mid, &k, n, c.delta));
	struct ast_node *root = ast_file(&r->arena, whole,
					 splice_items(items, n, &k, mid->u.file.items));
	root->src = &r->source;
	r->comments = splice_comments(r->comments, mid_comments, &k, c.delta);
	r->items_reused = k.before + (n - k.after);
	return r->root = root;
}

struct ast_node *reparse(struct reparse *r, const struct source *src, struct diag_bag *diags,
			 struct parse_comment **comments)
{
	r->source = *src;
	bool reusable = r->root && r->clean && r->arena.total <= 2 * r->whole_size + (1u << 20);
	struct ast_node *root = reusable ? reuse(r, src) : NULL;
	if (!root)
		root = parse_whole(r, diags);
	r->text = src->text;
	r->len = src->len;
	*comments = r->comments;
	return root;
}
