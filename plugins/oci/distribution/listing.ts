// Paginated listings (distribution spec "Listing tags"; distribution's `_catalog`): `?n=&last=` pages, the
// next page found through the `Link: <...>; rel="next"` header.
import { readJson } from "./http.js";
import type { RegistryClient } from "./registry-client.js";

const PAGE_SIZE = 1000;
/** Bound on one page of a listing: a thousand names are far below it. */
const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** The path of the next page from a Link header, if any. */
export function nextLink(link: string | string[] | undefined): string | undefined {
  const text = Array.isArray(link) ? link.join(", ") : (link ?? "");
  return /<([^>]+)>\s*;\s*rel="?next"?/i.exec(text)?.[1];
}

/** One page of a listing; `next` is the path of the following page. */
export async function listPage<K extends string>(
  client: RegistryClient,
  path: string,
  key: K,
  scopes: string[],
): Promise<{ items: string[]; next?: string }> {
  const answer = await client.send({ method: "GET", path, scopes });
  const body = ((await readJson("GET", answer.url, answer.body, MAX_PAGE_BYTES)) ?? {}) as Partial<
    Record<K, string[] | null>
  >;
  const next = nextLink(answer.headers["link"]);
  return { items: body[key] ?? [], ...(next ? { next } : {}) };
}

/** Every tag of a repository, following pagination. */
export async function listTags(
  client: RegistryClient,
  repository: string,
  pageSize = PAGE_SIZE,
): Promise<string[]> {
  const tags: string[] = [];
  let path: string | undefined = `/v2/${repository}/tags/list?n=${pageSize}`;
  while (path !== undefined) {
    const page: { items: string[]; next?: string } = await listPage(client, path, "tags", [
      `repository:${repository}:pull`,
    ]);
    tags.push(...page.items);
    path = page.next;
  }
  return tags;
}

/**
 * Repository names of the catalog after `last` (exclusive), page by page; calls `take` per page and stops
 * when it returns false.
 */
export async function walkCatalog(
  client: RegistryClient,
  last: string | undefined,
  take: (names: string[]) => boolean,
  pageSize = PAGE_SIZE,
): Promise<void> {
  let path: string | undefined =
    `/v2/_catalog?n=${pageSize}${last ? `&last=${encodeURIComponent(last)}` : ""}`;
  while (path !== undefined) {
    const page: { items: string[]; next?: string } = await listPage(client, path, "repositories", [
      "registry:catalog:*",
    ]);
    if (!take(page.items) || page.items.length === 0) return;
    path = page.next;
  }
}
