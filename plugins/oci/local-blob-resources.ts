// resourceRepository for localBlob resources of an OCI registry, served from its own component versions.
import { localBlobResources } from "../../sdk/index.js";
import { ociComponentVersions } from "./component-versions.js";

/** Reads and stores the bytes of localBlob resources in an OCI registry. */
export const ociLocalBlobResources = localBlobResources(ociComponentVersions, "OCIRegistry/v1");
