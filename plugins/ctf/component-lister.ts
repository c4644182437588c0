// componentLister for CTFs: the component names of artifact-index.json, sorted, a page at a time.
import type { ComponentLister } from "../../core/index.js";
import { componentNames } from "./artifact-index.js";
import { openForRead } from "./ctf-session.js";
import { parseCtfSpec } from "./repository-spec.js";

/** Lists the components of a CTF; `next` is the last name of a page that has more after it. */
export const ctfComponentLister: ComponentLister = {
  async listComponents({ repository, after, limit }) {
    const spec = parseCtfSpec(repository);
    const reader = await openForRead(spec);
    const names = componentNames(await reader.readIndex());
    const rest = after === undefined ? names : names.filter((name) => name > after);
    const page = limit === undefined ? rest : rest.slice(0, limit);
    const last = page[page.length - 1];
    return page.length < rest.length && last !== undefined
      ? { components: page, next: last }
      : { components: page };
  },
};
