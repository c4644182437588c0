// Finds a component version in an ordered list of repositories: the one a command reads from first, then
// the `--lookup` repositories, as the Go tool's closure lookup does. Used by `get cv -r` and `transfer -r`.
import {
  OcmError,
  isOcmError,
  type CallOptions,
  type ComponentVersionRepository,
  type TypedSpec,
  type WireDescriptor,
} from "../../core/index.js";
import { redactUrls } from "../../core/model/index.js";
import type { CapabilityProvider } from "../../core/index.js";

/** A component version and the repository it was read from. */
export interface LocatedVersion {
  descriptor: WireDescriptor;
  repository: TypedSpec;
  repo: ComponentVersionRepository;
}

/** Reads component versions from the first of its repositories that holds them. */
export interface ComponentVersionLookup {
  /** The repositories in the order they are asked. */
  repositories: readonly TypedSpec[];
  find(component: string, version: string, signal?: AbortSignal): Promise<LocatedVersion>;
}

const isNotFound = (error: unknown) => isOcmError(error) && error.code === "OCM_REPOSITORY_NOT_FOUND";

/**
 * A lookup over `repositories`, asked in order. Each repository's plugin is fetched once, when it is first
 * asked: a lookup repository nobody needs starts no plugin.
 */
export async function createComponentVersionLookup(
  manager: CapabilityProvider,
  repositories: readonly TypedSpec[],
): Promise<ComponentVersionLookup> {
  const repos = new Map<number, Promise<ComponentVersionRepository>>();
  const repoAt = (i: number, spec: TypedSpec) => {
    if (!repos.has(i)) repos.set(i, manager.getPlugin(spec.type, "componentVersionRepository"));
    return repos.get(i) as Promise<ComponentVersionRepository>;
  };
  return {
    repositories,
    async find(component, version, signal) {
      const options: CallOptions = signal ? { signal } : {};
      let first: unknown;
      for (const [i, repository] of repositories.entries()) {
        const repo = await repoAt(i, repository);
        try {
          const { descriptor } = await repo.getComponentVersion({ repository, component, version }, options);
          return { descriptor, repository, repo };
        } catch (error) {
          // Another repository may hold it; any other failure (network, credentials) is the answer.
          if (!isNotFound(error)) throw error;
          first ??= error;
        }
      }
      if (repositories.length === 1) throw first;
      throw new OcmError({
        code: "OCM_REPOSITORY_NOT_FOUND",
        message: `${component}:${version} is in none of ${repositories.map(describeRepository).join(", ")}`,
        hint: "Add a repository that holds it with --lookup <repository>.",
        details: { component, version },
        cause: first,
      });
    },
  };
}

/** A repository for people: a CTF's path or a registry's URL (with its subPath), passwords masked. */
export function describeRepository(spec: TypedSpec): string {
  const where = spec["filePath"] ?? spec["baseUrl"];
  if (typeof where !== "string") return spec.type;
  const sub = spec["subPath"];
  return redactUrls(typeof sub === "string" && sub !== "" ? `${where}/${sub}` : where);
}
