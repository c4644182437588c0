// inputRepository: turn a constructor's `input` (a file, a directory, inline text) into a blob.
import type { inputRepositoryOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Produces the bytes of a resource from its constructor input, resolved against `baseDir`. */
export interface InputRepository extends CapabilityInterface<typeof inputRepositoryOperations> {}
