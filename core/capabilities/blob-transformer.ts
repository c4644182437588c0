// blobTransformer: how a copied blob is stored, decided by a plugin. For a resource type: another form of
// its blob to store beside it (a Helm chart as a Helm OCI artifact). For a repository type: whether a blob
// copied into such a repository is stored through an access of its own (an image pushed into a registry).
import type { blobTransformerOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/**
 * `transformBlob` for a resource type, `placeBlob` for a repository type: an implementation has the one its
 * types need, and a call of the other answers OCM_RPC_NOT_FOUND.
 */
export type BlobTransformer = Partial<CapabilityInterface<typeof blobTransformerOperations>>;
