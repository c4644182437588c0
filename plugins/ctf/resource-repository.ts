// resourceRepository for localBlob resources of a CTF, served from the CTF's own component versions.
import { localBlobResources } from "../../sdk/index.js";
import { ctfComponentVersions } from "./component-versions.js";

/** Reads and stores the bytes of localBlob resources in a CTF. */
export const ctfResources = localBlobResources(ctfComponentVersions, "CTF");
