/* lsp_wire.c - JSON-RPC framing: "Content-Length: N\r\n\r\n" + N bytes.
 *
 * Input arrives in pieces of any size: the reader keeps what it has read
 * and hands out a message only when its header and all N body bytes are
 * there, so a header or body split across reads is never misread.  It
 * assumes nothing of the client: a header block without a valid
 * Content-Length, one longer than LSP_MAX_HEADER, or a line that is not
 * "Name: value" is reported as FRAME_BAD and the reader resynchronises at
 * the next "Content-Length:".  So does a Content-Length over
 * LSP_MAX_MESSAGE: such a body is never held, and its length is not
 * believed either (waiting for 99999999999999 bytes to pass would wedge
 * the server), so its bytes are dropped up to the next header.  A
 * header cannot occur inside a valid JSON body, whose strings hold no
 * raw line ends, so the message after it is found whatever was sent,
 * and memory stays bounded.  Header names are compared
 * without regard to case; other headers (Content-Type) are ignored.
 *
 * Output is written with write(2) in a loop until every byte is out, so
 * a slow client sees whole messages; a failed write means the client has
 * gone. */
#include "lsp.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define READ_SIZE ((size_t)64 * 1024)

void lsp_reader_init(struct lsp_reader *r, int fd)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
}

void lsp_reader_free(struct lsp_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->cap = 0;
}

static void drop(struct lsp_reader *r, size_t n)
{
	if (n == 0)
		return;
	memmove(r->buf, r->buf + n, r->len - n);
	r->len -= n;
	/* give back what one huge message needed */
	if (r->len == 0 && r->cap > 4 * READ_SIZE) {
		free(r->buf);
		r->buf = NULL;
		r->cap = 0;
	}
}

void lsp_reader_fill(struct lsp_reader *r)
{
	if (r->cap - r->len < READ_SIZE) {
		/* doubling: growing by a read's size copied a large message
		 * once per 64 KiB of it */
		r->cap = r->len + READ_SIZE > 2 * r->cap ? r->len + READ_SIZE : 2 * r->cap;
		r->buf = xrealloc(r->buf, r->cap);
	}
	ssize_t n;
	do
		n = read(r->fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		r->eof = true;
	else
		r->len += (size_t)n;
}

bool lsp_input_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;
	do
		n = poll(&p, 1, 0);
	while (n < 0 && errno == EINTR);
	return n != 0; /* an error is reported by the read that follows */
}

static const char *find(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

/* After a bad header: drops everything before the next "Content-Length:"
 * at or after byte `from` (keeping a tail that may be the start of one).
 * It is looked for anywhere, not only at a line start: the message after
 * a bad one starts right after that one's body, whose end is unknown. */
static void resync(struct lsp_reader *r, size_t from)
{
	static const char key[] = "Content-Length:";
	for (size_t i = from; i < r->len; i++) {
		size_t n = r->len - i < sizeof key - 1 ? r->len - i : sizeof key - 1;
		if (!strncasecmp(r->buf + i, key, n)) {
			drop(r, i);
			return;
		}
	}
	drop(r, r->len);
}

/* "Content-Length: 123" (value with optional blanks) -> *len. */
static bool parse_length(const char *v, const char *end, size_t *len, const char **why)
{
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (v == end) {
		*why = "invalid message header: empty Content-Length";
		return false;
	}
	size_t n = 0;
	for (; v < end; v++) {
		if (*v < '0' || *v > '9') {
			*why = "invalid message header: Content-Length is not a number";
			return false;
		}
		n = n > (SIZE_MAX - 9) / 10 ? SIZE_MAX : n * 10 + (size_t)(*v - '0');
	}
	*len = n;
	return true;
}

/* One "Name: value" line; Content-Length sets *len. */
static bool parse_line(const char *line, const char *end, size_t *len, bool *seen,
		       const char **why)
{
	const char *colon = memchr(line, ':', (size_t)(end - line));
	if (!colon || colon == line) {
		*why = "invalid message header: a line is not 'Name: value'";
		return false;
	}
	if ((size_t)(colon - line) != 14 || strncasecmp(line, "Content-Length", 14))
		return true;
	if (*seen) {
		*why = "invalid message header: Content-Length given twice";
		return false;
	}
	*seen = true;
	return parse_length(colon + 1, end, len, why);
}

/* The header block [buf, end) without its final blank line. */
static bool parse_header(const char *buf, const char *end, size_t *len, const char **why)
{
	bool seen = false;
	for (const char *line = buf; line < end;) {
		const char *eol = find(line, (size_t)(end - line), "\r\n");
		if (!eol)
			eol = end;
		if (!parse_line(line, eol, len, &seen, why))
			return false;
		line = eol + 2;
	}
	if (!seen)
		*why = "invalid message header: no Content-Length";
	return seen;
}

static enum lsp_frame too_large(struct lsp_reader *r, size_t head, const char **why)
{
	drop(r, head);
	resync(r, 0);
	*why = "message body larger than the limit (64 MiB)";
	return FRAME_BAD;
}

/* Stray line ends between messages are harmless. */
static void skip_blank_lines(struct lsp_reader *r)
{
	size_t n = 0;
	while (n < r->len && (r->buf[n] == '\r' || r->buf[n] == '\n'))
		n++;
	drop(r, n);
}

static enum lsp_frame take_body(struct lsp_reader *r, size_t head, size_t n, char **body,
				size_t *len)
{
	if (r->len - head < n)
		return FRAME_MORE;
	*body = xmalloc(n + 1);
	memcpy(*body, r->buf + head, n);
	(*body)[n] = '\0';
	*len = n;
	drop(r, head + n);
	return FRAME_MESSAGE;
}

enum lsp_frame lsp_reader_next(struct lsp_reader *r, char **body, size_t *len,
			       const char **why)
{
	skip_blank_lines(r);
	if (r->len == 0)
		return FRAME_MORE;
	const char *end = find(r->buf, r->len < LSP_MAX_HEADER ? r->len : LSP_MAX_HEADER,
			       "\r\n\r\n");
	if (!end && r->len < LSP_MAX_HEADER)
		return FRAME_MORE;
	if (!end) {
		*why = "invalid message header: longer than the limit (8 KiB)";
		resync(r, 1);
		return FRAME_BAD;
	}
	size_t head = (size_t)(end - r->buf) + 4, n = 0;
	if (!parse_header(r->buf, end, &n, why)) {
		drop(r, head);
		resync(r, 0);
		return FRAME_BAD;
	}
	if (n > LSP_MAX_MESSAGE)
		return too_large(r, head, why);
	return take_body(r, head, n, body, len);
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

bool lsp_write_message(int fd, const char *body, size_t len)
{
	char head[64];
	int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
	return write_all(fd, head, (size_t)h) && write_all(fd, body, len);
}
