/* ast_dump.c - the syntax tree as a one-line S-expression.
 *
 * Used by the parser's unit tests (expected trees are written as these
 * strings) and by `depc parse` for debugging.  Recursion depth is bounded
 * by PARSE_MAX_DEPTH, which the parser enforces. */
#include "ast.h"

#include <stdio.h>
#include <string.h>

static void dump(struct strbuf *b, const struct ast_node *n);

static void dump_list(struct strbuf *b, const struct ast_node *n)
{
	for (; n; n = n->next) {
		strbuf_putc(b, ' ');
		dump(b, n);
	}
}

static void dump_quoted(struct strbuf *b, const char *s, size_t len)
{
	strbuf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			strbuf_printf(b, "\\%c", c);
		else if (c == '\n')
			strbuf_puts(b, "\\n");
		else if (c == '\t')
			strbuf_puts(b, "\\t");
		else if (c < 0x20)
			strbuf_printf(b, "\\x%02x", c);
		else
			strbuf_putc(b, (char)c);
	}
	strbuf_putc(b, '"');
}

static void dump_block(struct strbuf *b, const struct ast_node *n)
{
	strbuf_printf(b, "(block %s", n->u.block.kind);
	if (n->u.block.label_quoted)
		strbuf_putc(b, ' '), dump_quoted(b, n->u.block.label,
						 strlen(n->u.block.label));
	else if (n->u.block.label)
		strbuf_printf(b, " %s", n->u.block.label);
	if (n->u.block.base) {
		strbuf_puts(b, " (= ");
		dump(b, n->u.block.base);
		strbuf_putc(b, ')');
	}
	strbuf_puts(b, " {");
	dump_list(b, n->u.block.body);
	strbuf_puts(b, " })");
}

static void dump_attr(struct strbuf *b, const struct ast_node *n)
{
	if (!n->u.attr.value) {
		strbuf_printf(b, "(param %s)", n->u.attr.name);
		return;
	}
	strbuf_puts(b, "(= ");
	if (n->u.attr.name_quoted)
		dump_quoted(b, n->u.attr.name, strlen(n->u.attr.name));
	else
		strbuf_puts(b, n->u.attr.name);
	strbuf_putc(b, ' ');
	dump(b, n->u.attr.value);
	strbuf_putc(b, ')');
}

static void dump_decl(struct strbuf *b, const struct ast_node *n)
{
	if (n->kind == AST_FILE) {
		strbuf_puts(b, "(file");
		dump_list(b, n->u.file.items);
		strbuf_putc(b, ')');
	} else if (n->kind == AST_IMPORT) {
		strbuf_puts(b, "(import ");
		dump_quoted(b, n->u.import.path, strlen(n->u.import.path));
		if (n->u.import.alias)
			strbuf_printf(b, " as %s", n->u.import.alias);
		strbuf_putc(b, ')');
	} else {
		strbuf_printf(b, "(template %s %s (", n->u.template.kind,
			      n->u.template.name);
		for (const struct ast_node *p = n->u.template.params; p; p = p->next) {
			dump(b, p);
			if (p->next)
				strbuf_putc(b, ' ');
		}
		strbuf_puts(b, ") {");
		dump_list(b, n->u.template.body);
		strbuf_puts(b, " })");
	}
}

static void dump_value(struct strbuf *b, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_IDENT: strbuf_puts(b, n->u.ident.name); break;
	case AST_INT: strbuf_printf(b, "%lld", (long long)n->u.integer.value); break;
	case AST_FLOAT: strbuf_puts(b, n->u.number.text); break;
	case AST_UNIT:
		strbuf_printf(b, "%s%s", n->u.unit.text, n->u.unit.suffix);
		break;
	case AST_BOOL: strbuf_puts(b, n->u.boolean.value ? "true" : "false"); break;
	case AST_TEXT: dump_quoted(b, n->u.text.text, n->u.text.len); break;
	case AST_STRING:
		strbuf_puts(b, n->u.string.multiline ? "(mstr" : "(str");
		dump_list(b, n->u.string.parts);
		strbuf_putc(b, ')');
		break;
	case AST_LIST: strbuf_putc(b, '['); dump_list(b, n->u.list.items); strbuf_puts(b, " ]"); break;
	case AST_MAP: strbuf_putc(b, '{'); dump_list(b, n->u.list.items); strbuf_puts(b, " }"); break;
	default: break;
	}
}

static void dump(struct strbuf *b, const struct ast_node *n)
{
	switch (n->kind) {
	case AST_FILE: case AST_IMPORT: case AST_TEMPLATE: dump_decl(b, n); break;
	case AST_BLOCK: dump_block(b, n); break;
	case AST_ATTR: dump_attr(b, n); break;
	case AST_MEMBER:
		strbuf_puts(b, "(. ");
		dump(b, n->u.member.object);
		strbuf_printf(b, " %s)", n->u.member.name);
		break;
	case AST_CALL:
		strbuf_puts(b, "(call ");
		dump(b, n->u.call.callee);
		dump_list(b, n->u.call.args);
		strbuf_putc(b, ')');
		break;
	case AST_UNSET:
		strbuf_puts(b, "(unset");
		for (const struct ast_node *seg = n->u.unset.path; seg; seg = seg->next)
			strbuf_printf(b, "%s%s", seg == n->u.unset.path ? " " : ".", seg->u.ident.name);
		if (n->u.unset.value) {
			strbuf_putc(b, ' ');
			dump(b, n->u.unset.value);
		}
		strbuf_putc(b, ')');
		break;
	case AST_RANGE:
		strbuf_puts(b, "(.. ");
		dump(b, n->u.range.lo);
		strbuf_putc(b, ' ');
		dump(b, n->u.range.hi);
		strbuf_putc(b, ')');
		break;
	default: dump_value(b, n); break;
	}
}

char *ast_dump(struct arena *a, const struct ast_node *n)
{
	struct strbuf b;
	strbuf_init(&b);
	if (n)
		dump(&b, n);
	return strbuf_finish(&b, a);
}
