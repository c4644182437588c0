// consumerIdentity: whom to ask for credentials for a repository or access spec of a type (ADR 0006).
import type { consumerIdentityOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Answers the consumer identity of a spec of its type, or `null` when the spec needs no credentials. */
export interface ConsumerIdentityProvider extends CapabilityInterface<typeof consumerIdentityOperations> {}
