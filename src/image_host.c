/* image_host.c - the registry host an image reference names (see
 * image_host.h). */
#include "image_host.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static bool names_host(const char *first, size_t n)
{
	return memchr(first, '.', n) || memchr(first, ':', n) ||
	       (n == 9 && !strncmp(first, "localhost", 9));
}

bool image_host(const char *image, char *buf, size_t size)
{
	const char *slash = strchr(image, '/');
	size_t n = slash ? (size_t)(slash - image) : 0;
	const char *host = image;
	if (!slash || !names_host(image, n)) {
		host = IMAGE_HOST_DOCKER_HUB;
		n = strlen(host);
	}
	if (n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)host[i]);
	buf[n] = '\0';
	if (!strcmp(buf, "index.docker.io") && size > strlen(IMAGE_HOST_DOCKER_HUB))
		strcpy(buf, IMAGE_HOST_DOCKER_HUB);
	return true;
}

static bool docker_hub(const char *h)
{
	return !strcasecmp(h, IMAGE_HOST_DOCKER_HUB) || !strcasecmp(h, "index.docker.io");
}

bool image_host_same(const char *a, const char *b)
{
	return !strcasecmp(a, b) || (docker_hub(a) && docker_hub(b));
}

bool image_under_host(const char *image, const char *host)
{
	char buf[512];
	return image_host(image, buf, sizeof buf) && image_host_same(buf, host);
}
