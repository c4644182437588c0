// Manifest and index media types of OCI (image-spec) and Docker (schema 2), and what a client accepts.

export const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
export const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
export const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
export const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

/** The Accept header for manifest reads: every form this client understands. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(", ");

/** True for the media types of an index (a list of manifests). */
export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** True for the media types of a manifest or an index. */
export function isManifestType(mediaType: string | undefined): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST || isIndexType(mediaType);
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** The parts of a manifest or index this plugin reads. */
export interface ManifestDocument {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  annotations?: Record<string, string>;
}

/** Parses manifest bytes, taking the media type from the document or, failing that, the given one. */
export function parseManifest(
  bytes: Uint8Array,
  mediaType?: string,
): ManifestDocument & { mediaType: string } {
  const doc = JSON.parse(Buffer.from(bytes).toString("utf8")) as ManifestDocument;
  const type = doc.mediaType ?? mediaType ?? (doc.manifests ? OCI_INDEX : OCI_MANIFEST);
  return { ...doc, mediaType: type };
}

/** Every descriptor a manifest or index points at: config and layers, or child manifests. */
export function referencedDescriptors(doc: ManifestDocument): Descriptor[] {
  return [...(doc.config ? [doc.config] : []), ...(doc.layers ?? []), ...(doc.manifests ?? [])];
}
