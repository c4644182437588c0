// Failures leave nothing behind: wrong digests, tampered blobs and archives with entries that would escape.
import { cp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../helpers/temp-dir.js";
import { FIXTURES, bytes, collect, lister, repo, sha256, versions } from "./helpers.js";

const HELLO = "github.com/acme.org/helloworld";

/** A USTAR entry with the given name, type flag and link target. */
function tarEntry(name: string, type: string, content = "", linkname = ""): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write("0000644\0", 100);
  header.write("0000000\0", 108);
  header.write("0000000\0", 116);
  header.write(content.length.toString(8).padStart(11, "0") + "\0", 124);
  header.write("14163714600\0", 136);
  header.write("        ", 148);
  header.write(type, 156);
  header.write(linkname, 157);
  header.write("ustar\0", 257);
  header.write("00", 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  const body = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  body.write(content);
  return Buffer.concat([header, body]);
}

const INDEX = '{"schemaVersion":1,"artifacts":[]}';

describe("failures leave the CTF as it was", () => {
  it.each([
    ["directory", "ctf"],
    ["tar", "ctf.tar"],
  ] as const)("a blob with a wrong announced digest leaves nothing in a %s CTF", async (format, name) => {
    const dir = await useTempDir();
    const path = join(dir, name);
    const spec = repo(path, { accessMode: "create", fileFormat: format });
    await versions.addLocalBlob(
      { repository: spec, component: "acme.org/a", version: "1.0.0", mediaType: "text/plain" },
      bytes("kept"),
    );
    const before =
      format === "directory" ? (await readdir(join(path, "blobs"))).sort() : [await readFile(path)];
    const upload = versions.addLocalBlob(
      {
        repository: spec,
        component: "acme.org/a",
        version: "1.0.0",
        mediaType: "text/plain",
        digest: `sha256:${sha256("expected")}`,
      },
      bytes("tampered"),
    );
    await expect(upload).rejects.toMatchObject({
      code: "OCM_REPOSITORY_DIGEST_MISMATCH",
      message: expect.stringContaining(sha256("tampered")) as unknown,
    });
    if (format === "directory") expect((await readdir(join(path, "blobs"))).sort()).toEqual(before);
    else expect(await readFile(path)).toEqual(before[0]);
    expect((await readdir(dir)).sort()).toEqual([name]);
  });

  it("fails the stream of a blob whose stored bytes were altered", async () => {
    const copy = join(await useTempDir(), "ctf");
    await cp(join(FIXTURES, "ctf-v0.20-localblob/transport-archive"), copy, { recursive: true });
    await writeFile(join(copy, "blobs", `sha256.${sha256("test")}`), "tost");
    // In-process the stream fails at its end; over a socket a blob this small fails before the answer.
    const read = versions
      .getLocalBlob({
        repository: repo(copy),
        component: HELLO,
        version: "1.0.0",
        localReference: `sha256:${sha256("test")}`,
      })
      .then((blob) => collect(blob.content));
    await expect(read).rejects.toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
  });

  it("refuses a descriptor whose manifest blob was altered", async () => {
    const copy = join(await useTempDir(), "ctf");
    await cp(join(FIXTURES, "ctf-v0.20-localblob/transport-archive"), copy, { recursive: true });
    const manifest = join(
      copy,
      "blobs",
      "sha256.6d776ef2c9c156ca260a67b335435f4ef20a1c8e777afee89148b06d5688e753",
    );
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace("OCM Go Library", "OCM Go Librarz"));
    await expect(
      versions.getComponentVersion({ repository: repo(copy), component: HELLO, version: "1.0.0" }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    });
  });
});

describe("unsafe archives", () => {
  it.each([
    ["a .. path", tarEntry("../escaped.txt", "0", "boom")],
    ["an absolute path", tarEntry("/tmp/escaped.txt", "0", "boom")],
    ["a symlink leading out", tarEntry("blobs/link", "2", "", "../../etc/passwd")],
    ["an absolute symlink", tarEntry("blobs/link", "2", "", "/etc/passwd")],
    ["a hard link leading out", tarEntry("blobs/link", "1", "", "../outside")],
    ["a character device", tarEntry("blobs/dev", "3")],
    ["a FIFO", tarEntry("blobs/fifo", "6")],
  ])("refuses an archive with %s and writes nothing", async (_what, entry) => {
    const dir = await useTempDir();
    const archive = join(dir, "evil.tar");
    await writeFile(
      archive,
      Buffer.concat([tarEntry("artifact-index.json", "0", INDEX), entry, Buffer.alloc(1024)]),
    );
    await expect(
      versions.listComponentVersions({ repository: repo(archive), component: "acme.org/a" }),
    ).rejects.toMatchObject({
      code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    });
    await expect(
      versions.addComponentVersion({
        repository: repo(archive),
        descriptor: {
          meta: { schemaVersion: "v2" },
          component: {
            name: "acme.org/a",
            version: "1.0.0",
            provider: "acme",
            repositoryContexts: [],
            resources: [],
            sources: [],
            componentReferences: [],
          },
        },
      }),
    ).rejects.toMatchObject({ code: "OCM_ARCHIVE_UNSAFE_ENTRY" });
    expect((await readdir(dir)).sort()).toEqual(["evil.tar"]);
    await expect(stat(join(dir, "..", "escaped.txt"))).rejects.toThrow();
  });

  it("refuses even a symlink that stays inside the archive (#10)", async () => {
    const archive = join(await useTempDir(), "ok.tar");
    await writeFile(
      archive,
      Buffer.concat([
        tarEntry("artifact-index.json", "0", INDEX),
        tarEntry("blobs/link", "2", "", "../artifact-index.json"),
        Buffer.alloc(1024),
      ]),
    );
    await expect(lister.listComponents({ repository: repo(archive) })).rejects.toMatchObject({
      code: "OCM_ARCHIVE_UNSAFE_ENTRY",
      message: expect.stringContaining(
        '"blobs/link" is a symbolic link to "../artifact-index.json"',
      ) as unknown,
    });
  });
});
