// Lists every component a repository holds through its componentLister, page by page, so a registry's
// catalog is walked in bounded requests rather than read whole.
import { OcmError, isOcmError, type TypedSpec } from "../../core/index.js";
import type { CapabilityProvider } from "../../core/index.js";

/** Components asked for per page. */
const PAGE_SIZE = 100;

/** The component names of `repository`, sorted; throws OCM_PLUGIN_NOT_FOUND naming the fix when it lists none. */
export async function listComponents(
  manager: CapabilityProvider,
  repository: TypedSpec,
  signal?: AbortSignal,
): Promise<string[]> {
  const lister = await manager.getPlugin(repository.type, "componentLister").catch((error: unknown) => {
    if (!isOcmError(error) || error.code !== "OCM_PLUGIN_NOT_FOUND") throw error;
    throw new OcmError({
      code: "OCM_PLUGIN_NOT_FOUND",
      message: `repositories of type ${repository.type} cannot list their components`,
      hint: "Name the component: <repository>//<component>[:<version>].",
      details: { type: repository.type },
      cause: error,
    });
  });
  const names: string[] = [];
  let after: string | undefined;
  do {
    const page = await lister.listComponents(
      { repository, limit: PAGE_SIZE, ...(after === undefined ? {} : { after }) },
      signal ? { signal } : {},
    );
    names.push(...page.components);
    // A lister that hands back the cursor it was given would loop forever.
    after = page.next !== undefined && page.next !== after ? page.next : undefined;
  } while (after !== undefined);
  return [...new Set(names)].sort();
}
