// componentVersionRepository: read and write component versions and their local blobs in one repository.
import type { componentVersionRepositoryOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/**
 * Stores component versions. Blobs are added before the descriptor that references them
 * (`addLocalBlob`, then `addComponentVersion`), so readers never see a reference to a missing blob.
 */
export interface ComponentVersionRepository extends CapabilityInterface<
  typeof componentVersionRepositoryOperations
> {}
