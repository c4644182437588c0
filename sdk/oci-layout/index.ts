// Public surface of the OCI layout of component versions, for plugins that store them as OCI artifacts
// (a CTF on disk, an OCI registry, or a plugin of your own): the descriptor layer written byte for byte as
// the Go tool writes it, the local-blob layers with their annotations, the version ↔ tag mapping, and
// artifact sets (an OCI artifact as a tar or tgz, the form an image copied by value takes).
// A separate entry point from the SDK's, because it bundles the OCM model (yaml, descriptor schemas).
export {
  DESCRIPTOR_LAYER_MEDIA_TYPE,
  buildDescriptorLayer,
  isDescriptorLayerType,
  readDescriptorLayer,
} from "./descriptor-layer.js";
export {
  localBlobGroups,
  localReferenceDigest,
  type LocalBlobGroup,
  type OciDescriptor,
} from "./local-blob-groups.js";
export { tagToVersion, versionToTag } from "./tags.js";
export {
  ARTIFACT_SET_MEDIA_TYPES,
  artifactSetMediaType,
  isArtifactSetMediaType,
  readArtifactSet,
  type ArtifactSetEntry,
  type ReadArtifactSetOptions,
} from "./artifact-set.js";
