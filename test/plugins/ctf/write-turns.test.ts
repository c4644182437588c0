// The CTF plugin decides for itself how its writers wait and in which format a new CTF is made (#12): the
// host neither retries on a lock nor names a file format.
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, LOCK_WAIT_MS } from "../../../sdk/archive/index.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { descriptor, localResource, repo, sha256, versions } from "./helpers.js";

/** Yields `data` in two halves with a pause between them longer than the lock file's wait. */
async function* slowly(data: Uint8Array, pauseMs: number) {
  yield data.subarray(0, data.length / 2);
  await sleep(pauseMs);
  yield data.subarray(data.length / 2);
}

describe("writers of one process", () => {
  it(
    "wait for each other's uploads into a tgz CTF, however long they take, instead of failing as locked (#12)",
    { timeout: 60_000 },
    async () => {
      const path = join(await useTempDir(), "ctf.tgz");
      const spec = repo(path, { accessMode: "create" });
      const at = { repository: spec, component: "acme.org/a", version: "1.0.0" };
      const [a, b, c] = ["first", "second", "third"].map((text) => Buffer.from(text.repeat(1000)));
      const uploads = [
        versions.addLocalBlob({ ...at, mediaType: "text/plain" }, slowly(a!, LOCK_WAIT_MS + 1000)),
        versions.addLocalBlob({ ...at, mediaType: "text/plain" }, slowly(b!, 10)),
        versions.addLocalBlob({ ...at, mediaType: "text/plain" }, slowly(c!, 10)),
      ];
      const stored = await Promise.all(uploads);
      expect(stored.map((s) => s.digest)).toEqual([a, b, c].map((d) => `sha256:${sha256(d!)}`));
      await versions.addComponentVersion({
        repository: spec,
        descriptor: descriptor(
          "acme.org/a",
          "1.0.0",
          stored.map((s, i) => localResource(`r${i}`, s.localReference)),
        ),
      });
      const read = await versions.getComponentVersion({
        repository: repo(path),
        component: "acme.org/a",
        version: "1.0.0",
      });
      expect(read.descriptor.component.resources).toHaveLength(3);
    },
  );
});

describe("a CTF created without a file format", () => {
  it.each([
    ["ctf", "directory"],
    ["ctf.tar", "tar"],
    ["ctf.tgz", "tgz"],
    ["ctf.tar.gz", "tgz"],
  ])("is made in the format its name %s suggests: %s (#12)", async (name, format) => {
    const path = join(await useTempDir(), name);
    await versions.addComponentVersion({
      repository: repo(path, { accessMode: "create" }),
      descriptor: descriptor("acme.org/a", "1.0.0"),
    });
    expect(await detectFormat(path)).toBe(format);
  });
});
