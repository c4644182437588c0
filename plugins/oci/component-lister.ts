// componentLister for OCI registries: the component names under `<subPath>/component-descriptors/` in the
// registry's `_catalog`, a page at a time. The catalog is walked from the prefix (distribution lists
// repositories in lexical order), so a page costs as many catalog requests as it needs, not the whole catalog.
import type { ComponentLister } from "../../core/index.js";
import { walkCatalog } from "./distribution/listing.js";
import { clientFor, COMPONENT_PREFIX, parseOciSpec } from "./repository-spec.js";

/** Lists the components of a registry; `next` is the last name of a page that has more after it. */
export const ociComponentLister: ComponentLister = {
  async listComponents({ repository, after, limit }, options) {
    const spec = parseOciSpec(repository);
    const prefix = `${spec.subPath ? `${spec.subPath}/` : ""}${COMPONENT_PREFIX}`;
    const names: string[] = [];
    const wanted = limit === undefined ? Infinity : limit + 1;
    await walkCatalog(clientFor(spec.registry, options), prefix + (after ?? ""), (page) => {
      for (const repo of page) {
        if (repo.startsWith(prefix)) names.push(repo.slice(prefix.length));
        else if (repo > prefix) return false;
        if (names.length >= wanted) return false;
      }
      return true;
    });
    const sorted = names.filter((name) => after === undefined || name > after).sort();
    const pageNames = limit === undefined ? sorted : sorted.slice(0, limit);
    const last = pageNames[pageNames.length - 1];
    return pageNames.length < sorted.length && last !== undefined
      ? { components: pageNames, next: last }
      : { components: pageNames };
  },
};
