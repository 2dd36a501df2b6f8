/* lsp.h - the language server (`depc lsp`): its parts and what they share.
 *
 * The server speaks LSP 3.17 over a pair of file descriptors.  It is
 * single-threaded and owns all its state in one struct lsp_server:
 *
 *   lsp.c          main loop, message queue, dispatch, lifecycle, errors
 *   lsp_wire.c     JSON-RPC framing: Content-Length headers in, out
 *   lsp_json.c     message bodies made fit for cJSON (NULs, lone
 *                  surrogates, bytes that are not UTF-8)
 *   lsp_docs.c     open documents, text sync, analysis, positions
 *   lsp_locate.c   walking a syntax tree with its schema context, finding
 *                  the node under the cursor, resolving names
 *   lsp_diag.c     publishDiagnostics and code actions from fixes
 *   lsp_features.c hover and signature help, and the documentation text
 *                  they share with completion
 *   lsp_complete.c completion
 *   lsp_nav.c      definition, references, rename, document and
 *                  workspace symbols
 *   lsp_syntax.c   semantic tokens, folding ranges, formatting
 *   lsp_library.c  the standard library and explain pages as documents
 *
 * Documents are analysed by the compiler's own pipeline (compile.h): the
 * server never parses .dep text itself.  One compilation, with its arena,
 * per document version; the old one is freed when the text changes.
 * Every JSON tree is cJSON, built for one message and freed after it. */
#ifndef DEPC_LSP_H
#define DEPC_LSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "compile.h"
#include "program.h"
#include "reparse.h"

struct parse_comment;

/* Runs the server on `in` and `out` until `exit` or end of input.
 * Returns the process exit code: 0 after shutdown then exit, else 1. */
int lsp_run(int in, int out);

/* ---- JSON-RPC ------------------------------------------------------ */

enum {
	LSP_PARSE_ERROR = -32700,
	LSP_INVALID_REQUEST = -32600,
	LSP_METHOD_NOT_FOUND = -32601,
	LSP_INVALID_PARAMS = -32602,
	LSP_SERVER_NOT_INITIALIZED = -32002,
	LSP_REQUEST_FAILED = -32803,
	LSP_REQUEST_CANCELLED = -32800,
};

/* Largest message body accepted; a longer one is dropped unread. */
#define LSP_MAX_MESSAGE ((size_t)64 * 1024 * 1024)
/* Largest header block; past it the header is garbage. */
#define LSP_MAX_HEADER ((size_t)8 * 1024)

/* lsp_wire.c: bytes read from the client and not yet framed. */
struct lsp_reader {
	int fd;
	char *buf;   /* malloc'd */
	size_t len;  /* bytes in buf */
	size_t cap;  /* bytes allocated */
	bool eof;    /* read() returned 0 or failed */
};

enum lsp_frame {
	FRAME_MORE,    /* no complete message buffered */
	FRAME_MESSAGE, /* *body, *len: one message body, to free() */
	FRAME_BAD,     /* *why: a header was invalid or the body too large */
};

void lsp_reader_init(struct lsp_reader *r, int fd);
void lsp_reader_free(struct lsp_reader *r);
/* One read() into the buffer; sets r->eof at end of input. */
void lsp_reader_fill(struct lsp_reader *r);
/* Takes the next message out of the buffer. */
enum lsp_frame lsp_reader_next(struct lsp_reader *r, char **body, size_t *len,
			       const char **why);
/* True when `fd` has input (or end of input) right now. */
bool lsp_input_ready(int fd);
/* Writes one framed message; false when the client is gone. */
bool lsp_write_message(int fd, const char *body, size_t len);

/* lsp_json.c: a message body made fit for cJSON (malloc'd, *out_len
 * set), or NULL when it is fit as it is; mark gets the UTF-8 of the code
 * point standing for NUL in its strings, or "" when there is none. */
char *lsp_json_clean(const char *body, size_t len, size_t *out_len, char mark[5]);
/* After parsing: the mark becomes U+FFFD in every string but the texts
 * of documents, which lsp_text reads. */
void lsp_json_unmark(cJSON *msg, const char *mark);
/* Cuts a UTF-8 sequence that snprintf left unfinished at the end. */
void lsp_utf8_trim(char *s);

/* ---- the server ---------------------------------------------------- */

enum lsp_encoding { LSP_UTF16, LSP_UTF8 };

/* A message read and waiting its turn. */
struct lsp_message {
	cJSON *json;       /* the parsed message, or NULL when it was bad */
	int error;         /* for a bad one: the error code to answer with */
	char why[160];     /* and the error message */
	char mark[5];      /* what stands for NUL in its strings (lsp_json.c) */
	struct lsp_message *next;
};

struct lsp_doc {
	char *uri;                 /* as the client sent it (malloc'd) */
	char *name;                /* the source's name: a path for file: URIs */
	int64_t version;           /* the client's version of the text */
	char *text;                /* the current text (malloc'd, two NULs after it):
				      the analysis's source borrows it */
	size_t len;                /* its length in bytes */
	struct compilation *comp;  /* analysis of this version, or NULL */
	struct reparse syntax;     /* the tree of the last analysed version, for
				      the next (its text is kept until then) */
	/* What the analysis gave besides comp, kept until the text changes:
	 * the comments the scanner skipped, and answers as JSON text
	 * (malloc'd, NULL until first asked for). */
	struct parse_comment *comments;
	bool syntax_errors;        /* its parse reported errors: not formatted */
	char *symbols;             /* documentSymbol */
	char *tokens;              /* semanticTokens/full */
	char *formatting;          /* formatting */
	bool dirty;                /* diagnostics not yet published */
	bool shown;                /* the last published list was not empty */
	struct lsp_doc *next;
};

struct lsp_server {
	struct lsp_reader in;
	int out;                       /* where messages are written */
	bool out_failed;               /* a write failed: the client is gone */
	struct lsp_message *queue;     /* read, not yet handled, oldest first */
	struct lsp_message **queue_tail;
	size_t queued;
	enum lsp_encoding encoding;    /* negotiated in initialize */
	bool initialized;              /* initialize answered */
	bool shutdown;                 /* shutdown received */
	bool exiting;                  /* exit received */
	bool snippets;                 /* the client takes snippet completions */
	struct lsp_doc *docs;          /* open documents, newest first */
	struct compile_options options; /* DEPC_PATH directories */
	char *search_text;             /* storage for options.search */
	const char **search;
	char mark[5];                  /* of the message being handled */
};

/* One request or notification being handled. */
struct lsp_request {
	struct lsp_server *s;
	const cJSON *params;
	struct arena scratch; /* temporaries, freed once the reply is sent */
	int error;          /* 0, or the JSON-RPC error code to answer with */
	char message[256];  /* the error's message */
};

typedef cJSON *lsp_handler(struct lsp_request *rq);

/* A document text's string (didOpen, didChange), with the NULs the
 * client sent as "\u0000"; *len set. */
const char *lsp_text(struct lsp_request *rq, const cJSON *item, size_t *len);

/* lsp.c: sets the error of `rq` and returns NULL, for `return lsp_fail(...)`. */
cJSON *lsp_fail(struct lsp_request *rq, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sends a notification; takes ownership of `params`. */
void lsp_notify(struct lsp_server *s, const char *method, cJSON *params);
/* window/logMessage, for what has no reply (bad notifications). */
void lsp_log(struct lsp_server *s, int type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- documents and positions (lsp_docs.c) -------------------------- */

cJSON *lsp_did_open(struct lsp_request *rq);
cJSON *lsp_did_change(struct lsp_request *rq);
cJSON *lsp_did_close(struct lsp_request *rq);
void lsp_docs_free(struct lsp_server *s);

struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri);
/* The analysis of the document's current text, made on first use. */
struct compilation *lsp_doc_analyse(struct lsp_server *s, struct lsp_doc *d);
/* params.textDocument.uri: the open document, analysed; fails rq with
 * -32602 when it is missing or not open. */
struct lsp_doc *lsp_param_doc(struct lsp_request *rq);
/* params.<key> (a Position) as a byte offset in the document. */
bool lsp_param_offset(struct lsp_request *rq, struct lsp_doc *d, const char *key,
		      uint32_t *offset);
/* A {start, end} Range object as a span. */
bool lsp_read_range(struct lsp_request *rq, struct lsp_doc *d, const cJSON *range,
		    struct span *out);

/* Position and Range objects in the negotiated encoding (raw items:
 * nothing may be added to them). */
cJSON *lsp_position(const struct lsp_server *s, const struct source *src, uint32_t offset);
cJSON *lsp_range(const struct lsp_server *s, const struct source *src, struct span sp);
/* Column of `offset` on its line, 0-based, in the negotiated unit. */
size_t lsp_column(const struct lsp_server *s, const struct source *src, uint32_t offset);
/* {"uri": ..., "range": ...}; NULL when the source has no file. */
cJSON *lsp_location(const struct lsp_server *s, const struct lsp_doc *d,
		    const struct source *src, struct span sp);
/* URI of a source: the document's own, a file's, or the standard
 * library's (lsp_library_uri); malloc'd, or NULL. */
char *lsp_source_uri(const struct lsp_doc *d, const struct source *src);
/* file:// URI of an absolute path, malloc'd. */
char *lsp_file_uri(const char *path);

/* ---- the standard library and explain pages (lsp_library.c) -------- */

/* "<std>/postgres.dep": its installed file's URI when that holds the
 * same text, else depc:///std/postgres.dep; malloc'd, or NULL for a name
 * that is not the standard library's. */
char *lsp_library_uri(const char *name);
/* depc:///explain/E0201.md */
char *lsp_explain_uri(struct arena *a, const char *code);
/* workspace/textDocumentContent: the text of a depc: URI. */
cJSON *lsp_text_document_content(struct lsp_request *rq);

/* ---- diagnostics (lsp_diag.c) -------------------------------------- */

void lsp_publish(struct lsp_server *s, struct lsp_doc *d);
/* Publishes the diagnostics of every document that changed. */
void lsp_publish_pending(struct lsp_server *s);
cJSON *lsp_code_action(struct lsp_request *rq);

/* ---- the syntax tree in context (lsp_locate.c) ----------------------- */

enum lsp_where {
	CTX_TOP,     /* the file's items */
	CTX_OVERLAY, /* the blocks of env NAME { } */
	CTX_BODY,    /* the entries of a block or template */
	CTX_PARAMS,  /* a template's parameters */
	CTX_ARGS,    /* a call's arguments */
	CTX_VALUE,   /* inside a value */
};

/* Where a node stands: passed down the walk by value. */
struct lsp_ctx {
	enum lsp_where where;
	const struct ast_node *template; /* enclosing template, or NULL */
	const struct kind *kind;   /* CTX_BODY: kind whose fields these are */
	const struct field *map;   /* CTX_BODY: map field whose entries these are */
	const struct field *field; /* CTX_VALUE: field the value is for */
	const struct ast_node *call;  /* CTX_ARGS, callee: the call */
	const struct ast_node *block; /* innermost enclosing block */
	const struct ast_node *attr;  /* innermost enclosing attribute */
	bool callee;  /* the node names what is called (`call` is the call) */
	bool base;    /* it is in a block's template call (after `=`) */
	bool object;  /* it is the object of a member: the X of X.y */
};

/* Return false to skip the node's children. */
typedef bool lsp_visit_fn(const struct ast_node *n, const struct lsp_ctx *ctx, void *data);
/* Visits every node of a file in pre-order with its context. */
void lsp_walk(const struct ast_node *file, lsp_visit_fn *fn, void *data);
/* The context of the entries of `block` (or template) standing in `ctx`. */
struct lsp_ctx lsp_body_ctx(const struct ast_node *block, const struct lsp_ctx *ctx);

enum lsp_part {
	PART_NONE,
	PART_WHOLE, /* identifiers, literals */
	PART_KIND,  /* a block's or template's kind word */
	PART_LABEL, /* a block's label */
	PART_NAME,  /* an attribute's, member's or template's name */
	PART_PATH,  /* an import's path */
	PART_ALIAS, /* an import's `as` name */
};

/* The token under the cursor. */
struct lsp_hit {
	const struct ast_node *node; /* NULL when there is none */
	enum lsp_part part;
	struct span span;            /* the token's bytes */
	struct lsp_ctx ctx;          /* where the node stands */
};

void lsp_locate(const struct ast_node *file, uint32_t offset, struct lsp_hit *hit);
/* The entries' context of the innermost block body around `offset`
 * (CTX_TOP outside every block); *block gets that block or NULL. */
struct lsp_ctx lsp_scope_at(const struct ast_node *file, uint32_t offset,
			    const struct ast_node **block);

enum lsp_sym_kind {
	SYM_NONE,
	SYM_DECL,     /* a declaration: decl */
	SYM_TEMPLATE, /* a template: tmpl */
	SYM_PARAM,    /* a template parameter: tmpl, param */
	SYM_MODULE,   /* an import: module */
	SYM_CTOR,     /* a constructor: ctor */
	SYM_KIND,     /* a kind word: kind */
	SYM_FIELD,    /* a field: kind, field */
	SYM_MEMBER,   /* X.name or X.host: decl, member */
	SYM_WORD,     /* an enumeration word: field, word */
	SYM_VOLUME,   /* a volume name no declaration carries: word */
	SYM_ALERT,    /* an alert rule, by name: word, node (its first block) */
};

struct lsp_sym {
	enum lsp_sym_kind kind;
	struct decl *decl;
	const struct template_def *tmpl;
	const struct ast_node *tnode;  /* SYM_PARAM: the AST_TEMPLATE */
	const struct ast_node *param;  /* SYM_PARAM: the template's AST_ATTR */
	const struct module *module;
	const struct ctor *ctor;
	const struct kind *k;
	const struct field *field;
	const char *member;
	const char *word;
	const struct ast_node *node;
	bool by_kind;  /* a declaration named by its kind (app.domain) */
};

/* What the token under the cursor stands for. */
void lsp_resolve(const struct program *p, const struct lsp_hit *hit, struct lsp_sym *out);
/* A value identifier in context: declaration, parameter, word or nothing. */
void lsp_resolve_ident(const struct program *p, const struct ast_node *id,
		       const struct lsp_ctx *ctx, struct lsp_sym *out);
/* The template a block base or its callee names, or NULL. */
const struct template_def *lsp_find_template(const struct program *p,
					     const struct ast_node *callee);
/* The constructor a call in a value names, or NULL. */
const struct ctor *lsp_find_ctor(const struct ast_node *call, const struct lsp_ctx *ctx);
/* The templates in the order they were defined (the program lists them
 * newest first); malloc'd, *n set. */
const struct template_def **lsp_templates(const struct program *p, size_t *n);
/* "postgres" or "node.nextjs": how a template is called. */
const char *lsp_template_name(struct arena *a, const struct template_def *t);
/* The template parameter `name` of `tmpl` (AST_TEMPLATE), or NULL. */
const struct ast_node *lsp_template_param(const struct ast_node *tmpl, const char *name);
/* Is `n` a string naming a volume (a service's `volume = "db-data"`, or
 * the argument of a template parameter that becomes it)?  *name gets
 * the name, *sp the span between the quotes. */
bool lsp_volume_string(const struct program *p, const struct ast_node *n,
		       const struct lsp_ctx *ctx, const char **name, struct span *sp);
/* Is `n` (a block in context `ctx`) an alert rule of the monitor? */
bool lsp_is_alert(const struct ast_node *n, const struct lsp_ctx *ctx);
/* The first alert block named `name` in the file: the monitor's own
 * before an overlay's. */
const struct ast_node *lsp_alert_def(const struct ast_node *file, const char *name);
/* The span of a declaration's name (its label, or its kind word). */
struct span lsp_decl_span(const struct decl *d);
/* Is `name` a valid .dep name (and not a reserved word)? */
bool lsp_valid_name(const char *name);

/* ---- documentation shared by hover, completion and signature help ---- */

/* Markdown for a field, a kind, a constructor (lsp_features.c). */
void lsp_doc_field(struct strbuf *b, const struct field *f);
void lsp_doc_kind(struct strbuf *b, const struct kind *k);

#define LSP_MAX_PARAMS 64

/* "postgres(version = \"16-alpine\", database, ...)" with the byte range
 * of each parameter in it. */
struct lsp_signature {
	struct strbuf label;
	size_t count;                      /* parameters (at most LSP_MAX_PARAMS) */
	struct span params[LSP_MAX_PARAMS];
	const struct field *fields[LSP_MAX_PARAMS]; /* constructors: the schema's */
};

void lsp_template_signature(struct lsp_signature *sig, struct arena *a,
			    const struct template_def *t);
void lsp_ctor_signature(struct lsp_signature *sig, const struct ctor *c);
/* The comment lines just above a template, as markdown. */
void lsp_template_doc(struct strbuf *b, const struct ast_node *tmpl);
/* The source text of a span on one line, blanks collapsed, for display. */
char *lsp_snippet(struct arena *a, const struct source *src, struct span sp, size_t max);

/* ---- features ------------------------------------------------------- */

cJSON *lsp_hover(struct lsp_request *rq);
cJSON *lsp_completion(struct lsp_request *rq);
cJSON *lsp_signature_help(struct lsp_request *rq);
cJSON *lsp_definition(struct lsp_request *rq);
cJSON *lsp_references(struct lsp_request *rq);
cJSON *lsp_prepare_rename(struct lsp_request *rq);
cJSON *lsp_rename(struct lsp_request *rq);
cJSON *lsp_document_symbols(struct lsp_request *rq);
cJSON *lsp_workspace_symbols(struct lsp_request *rq);
cJSON *lsp_semantic_tokens(struct lsp_request *rq);
cJSON *lsp_folding_ranges(struct lsp_request *rq);
cJSON *lsp_formatting(struct lsp_request *rq);

/* The legend of semantic tokens, for the server's capabilities. */
cJSON *lsp_semantic_legend(void);

/* ---- JSON written as text (lsp_raw.c) -------------------------------- */

/* The decimal digits of v. */
void lsp_raw_uint(struct strbuf *b, size_t v);
/* {"line":L,"character":C} and {"start":...,"end":...}, as cJSON prints them. */
void lsp_raw_position(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		      uint32_t offset);
void lsp_raw_range(struct strbuf *b, const struct lsp_server *s, const struct source *src,
		   struct span sp);
/* A cJSON raw item holding the buffer's text; the buffer is left empty. */
cJSON *lsp_raw_item(struct strbuf *b);
/* A cJSON raw item referring to `text`, which must outlive it (an answer
 * kept with the analysis, sent before the next edit can free it): a
 * big document's answers are megabytes, and a reply made of a copy held
 * them three times while it was printed. */
cJSON *lsp_raw_ref(const char *text);
/* A cJSON value printed as it is, for keeping (malloc'd); `v` is freed. */
char *lsp_raw_print(cJSON *v);

/* The value of a hexadecimal digit, or -1 (JSON escapes, URI escapes). */
int lsp_hex_digit(char c);

#endif
