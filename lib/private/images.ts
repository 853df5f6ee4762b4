/**
 * One reading of a container image reference (`[registry/]path[:tag][@digest]`), shared by every construct and
 * rule that insists on pinned images, so they cannot drift apart on edge cases.
 */

/** A digest as the OCI distribution spec writes it: `<algorithm>:<hex>` (sha256: 64 hex digits). */
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-f]{32,}$/;
/** A tag: word characters, '.' and '-', at most 128, not starting with '.' or '-'. */
const TAG = /^\w[\w.-]{0,127}$/;

/** The tag and digest of an image reference, as written (either may be absent). */
export function imageParts(image: string): { tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
  return { tag, digest };
}

/**
 * Why an image is not pinned: `unpinned` (no valid tag and no valid digest), `latest` (only the mutable `latest`
 * tag), or undefined when a well-formed digest or a tag other than `latest` pins it.
 */
export function imagePinProblem(image: string): 'unpinned' | 'latest' | undefined {
  const { tag, digest } = imageParts(image);
  if (digest !== undefined) return DIGEST.test(digest) ? undefined : 'unpinned';
  if (tag === undefined || !TAG.test(tag)) return 'unpinned';
  return tag === 'latest' ? 'latest' : undefined;
}
