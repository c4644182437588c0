// blobTransformer: derive another form of a blob of a resource type when it is stored in a repository of
// a kind that has one (a Helm chart as a Helm OCI artifact in an OCI registry).
import type { blobTransformerOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Answers, for a blob being stored, an OCI artifact set to push beside it (or none). */
export interface BlobTransformer extends CapabilityInterface<typeof blobTransformerOperations> {}
