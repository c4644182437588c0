// componentLister: the names of the components a repository holds, page by page.
import type { componentListerOperations } from "../protocol/operations.js";
import type { CapabilityInterface } from "./derive.js";

/** Lists component names; `next` is passed back as `after` to get the following page. */
export interface ComponentLister extends CapabilityInterface<typeof componentListerOperations> {}
