// componentLister for component archives: the one component name of the archive's descriptor.
import { type ComponentLister, parseDescriptor } from "../../core/index.js";
import { DESCRIPTOR_FILE, openComparch } from "./archive-reader.js";
import { parseComparchSpec } from "./repository-spec.js";

/** Lists the component of a component archive (one name, or none after it). */
export const comparchComponentLister: ComponentLister = {
  async listComponents({ repository, after }) {
    const spec = parseComparchSpec(repository);
    const bytes = await (await openComparch(spec.path)).readDescriptor();
    const { name } = parseDescriptor(bytes, { source: `${spec.path} ${DESCRIPTOR_FILE}` }).component;
    return { components: after === undefined || name > after ? [name] : [] };
  },
};
