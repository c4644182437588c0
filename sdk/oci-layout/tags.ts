// Component versions as OCI tags: `+` is not allowed in a tag, so the Go tool writes `.build-` instead.

/** The OCI tag of a component version. */
export function versionToTag(version: string): string {
  return version.replaceAll("+", ".build-");
}

/** The component version of an OCI tag (the last `.build-` becomes `+`, as the Go tool maps it back). */
export function tagToVersion(tag: string): string {
  const at = tag.lastIndexOf(".build-");
  return at < 0 ? tag : `${tag.slice(0, at)}+${tag.slice(at + ".build-".length)}`;
}
