// signingHandler: sign a precomputed digest and verify a signature over it, for one signature algorithm.
import type { signingHandlerOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Signs and verifies digests with the algorithm it is registered for (its type, e.g. `RSASSA-PSS`). */
export interface SigningHandler extends CapabilityInterface<typeof signingHandlerOperations> {}
