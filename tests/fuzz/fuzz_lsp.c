/* fuzz_lsp.c - libFuzzer entry point over `depc lsp`.
 *
 * One input is a JSON-RPC byte stream as a client would send it
 * (Content-Length framing included).  lsp_run() reads file descriptors,
 * so the input goes into an anonymous in-memory file and the replies to
 * /dev/null.  Built by tests/fuzz/build.sh (`make fuzz`). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int sink = -1;
	if (sink < 0)
		sink = open("/dev/null", O_WRONLY);
	int in = memfd_create("lsp-fuzz", 0);
	if (in < 0 || sink < 0)
		return 0;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(in, data + done, size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	lseek(in, 0, SEEK_SET);
	lsp_run(in, sink);
	close(in);
	return 0;
}
