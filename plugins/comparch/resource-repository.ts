// resourceRepository for localBlob resources of a component archive, served from its own component version.
import { localBlobResources } from "../../sdk/index.js";
import { comparchComponentVersions } from "./component-versions.js";

/** Reads and stores the bytes of localBlob resources in a component archive. */
export const comparchResources = localBlobResources(comparchComponentVersions, "component archive");
