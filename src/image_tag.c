/* image_tag.c - when an image reference names one release (image_tag.h). */
#include "image_tag.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

const char *image_tag_floating(const char *tag)
{
	const char *t = tag + (tag[0] == 'v' || tag[0] == 'V');
	if (!isdigit((unsigned char)t[0]))
		return !strcasecmp(tag, "latest") ? "is tagged 'latest'"
		       : "has a tag that names no version";
	while (isdigit((unsigned char)*t))
		t++;
	if (*t != '.' || !isdigit((unsigned char)t[1]))
		return "names only a major version";
	return NULL;
}

const char *image_unpinned(const char *image)
{
	if (strchr(image, '@'))
		return NULL;
	const char *slash = strrchr(image, '/');
	const char *colon = strchr(slash ? slash : image, ':');
	return colon ? image_tag_floating(colon + 1) : "has no tag";
}
