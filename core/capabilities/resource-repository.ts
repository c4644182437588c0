// resourceRepository: fetch and store the bytes behind a resource's access specification.
import type { resourceRepositoryOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Reads and writes resource content for the access types (or repository types) it is registered for. */
export interface ResourceRepository extends CapabilityInterface<typeof resourceRepositoryOperations> {}
