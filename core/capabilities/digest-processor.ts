// digestProcessor: the digest of a resource computed the way its technology defines it (an OCI artifact's
// is its manifest digest, ociArtifactDigest/v1), for an access type or for the media type of a local blob.
import type { digestProcessorOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/**
 * `digestResource` for an access type, `digestBlob` for a local blob's media type: an implementation has the
 * one its types need, and a call of the other answers OCM_RPC_NOT_FOUND.
 */
export type DigestProcessor = Partial<CapabilityInterface<typeof digestProcessorOperations>>;
