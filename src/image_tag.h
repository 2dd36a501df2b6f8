/* image_tag.h - when an image reference names one release.
 *
 * One rule for the policy (E0408) and for `depc import`, which must
 * write what that rule accepts: a digest, or a tag that starts with a
 * version of at least two numeric parts ("15.5-alpine", "20.9.0",
 * "v1.25.3").  "alpine", "lts-alpine", "15-alpine" and "latest" move to
 * new releases. */
#ifndef DEPC_IMAGE_TAG_H
#define DEPC_IMAGE_TAG_H

/* NULL when `tag` pins a release; otherwise why not, as a phrase
 * ("names only a major version"). */
const char *image_tag_floating(const char *tag);
/* NULL when `image` (NAME[:TAG][@DIGEST]) is pinned; otherwise why not. */
const char *image_unpinned(const char *image);

#endif
