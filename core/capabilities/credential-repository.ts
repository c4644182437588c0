// credentialRepository: resolve credentials for a consumer identity from a credential store.
import type { credentialRepositoryOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Resolves credentials (`username`, `password`, `identityToken`, ...) for a consumer identity. */
export interface CredentialRepository extends CapabilityInterface<typeof credentialRepositoryOperations> {}
