// The built-in inputs plugin as the constructor uses it: file, dir, utf8 and binary inputs read from real
// files in a temp dir, through the plugin manager, checked by the bytes and tar entries a user would get.
import { Buffer } from "node:buffer";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { list } from "tar";
import { describe, expect, it, onTestFinished } from "vitest";
import type { Blob, InputRepository } from "../../../core/index.js";
import { createPluginManager } from "../../../manager/index.js";
import { inputsPlugin } from "../../../plugins/inputs/plugin.js";
import { useTempDir } from "../../helpers/temp-dir.js";

async function inputs(type = "file"): Promise<InputRepository> {
  const manager = createPluginManager({
    builtins: [inputsPlugin],
    cacheFile: false,
    env: {},
    home: await useTempDir(),
    handleSignals: false,
    logLevel: "silent",
  });
  onTestFinished(() => manager.close());
  return manager.getPlugin(type, "inputRepository");
}

async function bytesOf(blob: Blob): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of blob.content) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

interface TarEntry {
  path: string;
  type: string;
  linkpath?: string;
  content?: string;
}

/** Lists a tar (gzipped or not) with the content of its files. */
async function tarEntries(data: Buffer): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const pending: Promise<void>[] = [];
  const parser = list({
    onReadEntry: (entry) => {
      const item: TarEntry = { path: entry.path, type: entry.type };
      if (entry.linkpath) item.linkpath = entry.linkpath;
      entries.push(item);
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      pending.push(
        new Promise((resolve) =>
          entry.on("end", () => {
            if (entry.type === "File") item.content = Buffer.concat(chunks).toString("utf8");
            resolve();
          }),
        ),
      );
    },
  });
  parser.end(data);
  await Promise.all(pending);
  return entries;
}

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  return promise.then(
    () => expect.fail("expected the input to be refused"),
    (error: unknown) => error as { code?: string; message: string },
  );
}

/** A directory tree: `site/index.html`, `site/css/style.css`, `site/notes.md` and a secret beside it. */
async function site(): Promise<string> {
  const base = await useTempDir();
  await mkdir(join(base, "site/css"), { recursive: true });
  await writeFile(join(base, "site/index.html"), "<h1>hi</h1>");
  await writeFile(join(base, "site/css/style.css"), "h1 {}");
  await writeFile(join(base, "site/notes.md"), "# notes");
  await writeFile(join(base, "secret.txt"), "do not ship");
  return base;
}

describe("file input", () => {
  it("streams the file's bytes with the default media type and size", async () => {
    const base = await useTempDir();
    await writeFile(join(base, "data.bin"), Buffer.from([0, 1, 2, 255]));
    const blob = await (
      await inputs()
    ).processInput({ input: { type: "file", path: "data.bin" }, baseDir: base });
    expect(blob.mediaType).toBe("application/octet-stream");
    expect(blob.size).toBe(4);
    expect(await bytesOf(blob)).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it("uses the media type the constructor gives, under each of the type's names", async () => {
    const base = await useTempDir();
    await writeFile(join(base, "README.txt"), "read me");
    for (const type of ["File/v1", "file", "file/v1"]) {
      const blob = await (
        await inputs(type)
      ).processInput({ input: { type, path: "README.txt", mediaType: "text/plain" }, baseDir: base });
      expect(blob.mediaType, type).toBe("text/plain");
      expect((await bytesOf(blob)).toString(), type).toBe("read me");
    }
  });

  it("gzips the file when compress is set and marks the media type +gzip", async () => {
    const base = await useTempDir();
    const text = "compress me ".repeat(100);
    await writeFile(join(base, "big.txt"), text);
    const blob = await (
      await inputs()
    ).processInput({
      input: { type: "file", path: "big.txt", mediaType: "text/plain", compress: true },
      baseDir: base,
    });
    expect(blob.mediaType).toBe("text/plain+gzip");
    const gzipped = await bytesOf(blob);
    expect(gzipped.length).toBeLessThan(text.length);
    expect(gunzipSync(gzipped).toString()).toBe(text);
  });

  it("resolves a relative path against the constructor's directory, not the working directory", async () => {
    const base = await useTempDir();
    await mkdir(join(base, "nested"));
    await writeFile(join(base, "nested/hello.txt"), "hello");
    const blob = await (
      await inputs()
    ).processInput({ input: { type: "file", path: "./nested/hello.txt" }, baseDir: base });
    expect((await bytesOf(blob)).toString()).toBe("hello");
  });

  it("reads an absolute path outside the constructor's directory, as OCM does", async () => {
    const elsewhere = await useTempDir();
    await writeFile(join(elsewhere, "shared.txt"), "shared");
    const base = await useTempDir();
    const blob = await (
      await inputs()
    ).processInput({ input: { type: "file", path: join(elsewhere, "shared.txt") }, baseDir: base });
    expect((await bytesOf(blob)).toString()).toBe("shared");
  });

  it("reports a missing file as OCM_INPUT_NOT_FOUND naming the resolved path", async () => {
    const base = await useTempDir();
    const error = await rejection(
      (await inputs()).processInput({ input: { type: "file", path: "missing.txt" }, baseDir: base }),
    );
    expect(error.code).toBe("OCM_INPUT_NOT_FOUND");
    expect(error.message).toContain(join(base, "missing.txt"));
  });

  it("refuses a directory given to the file input", async () => {
    const base = await useTempDir();
    await mkdir(join(base, "folder"));
    const error = await rejection(
      (await inputs()).processInput({ input: { type: "file", path: "folder" }, baseDir: base }),
    );
    expect(error.code).toBe("OCM_INPUT_INVALID");
    expect(error.message).toContain("not a regular file");
  });

  it("names the bad field of an invalid spec", async () => {
    const base = await useTempDir();
    const plugin = await inputs();
    const noPath = await rejection(plugin.processInput({ input: { type: "file" }, baseDir: base }));
    expect(noPath.code).toBe("OCM_INPUT_INVALID");
    expect(noPath.message).toContain("field path");
    const badCompress = await rejection(
      plugin.processInput({ input: { type: "file", path: "x", compress: "yes" }, baseDir: base }),
    );
    expect(badCompress.code).toBe("OCM_INPUT_INVALID");
    expect(badCompress.message).toContain("field compress");
  });
});

describe("dir input", () => {
  it("archives the directory as a tar with every file and folder, paths relative to it", async () => {
    const base = await site();
    const blob = await (
      await inputs("dir")
    ).processInput({ input: { type: "dir", path: "site" }, baseDir: base });
    expect(blob.mediaType).toBe("application/x-tar");
    expect(await tarEntries(await bytesOf(blob))).toEqual([
      { path: "css/", type: "Directory" },
      { path: "css/style.css", type: "File", content: "h1 {}" },
      { path: "index.html", type: "File", content: "<h1>hi</h1>" },
      { path: "notes.md", type: "File", content: "# notes" },
    ]);
  });

  it("gives the same bytes for the same tree, whenever it is archived", async () => {
    const base = await site();
    const plugin = await inputs("dir");
    const first = await bytesOf(
      await plugin.processInput({ input: { type: "dir", path: "site" }, baseDir: base }),
    );
    const second = await bytesOf(
      await plugin.processInput({ input: { type: "dir", path: "site" }, baseDir: base }),
    );
    expect(first.equals(second)).toBe(true);
  });

  it("gzips the tar when compress is set", async () => {
    const base = await site();
    const blob = await (
      await inputs("dir")
    ).processInput({ input: { type: "dir", path: "site", compress: true }, baseDir: base });
    expect(blob.mediaType).toBe("application/x-tar+gzip");
    const data = await bytesOf(blob);
    expect([...data.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect((await tarEntries(gunzipSync(data))).map((e) => e.path)).toContain("css/style.css");
  });

  it("keeps only included files and drops excluded ones", async () => {
    const base = await site();
    const plugin = await inputs("dir");
    const included = await plugin.processInput({
      input: { type: "dir", path: "site", includeFiles: ["**/*.css", "*.html"] },
      baseDir: base,
    });
    expect((await tarEntries(await bytesOf(included))).map((e) => e.path)).toEqual([
      "css/style.css",
      "index.html",
    ]);
    const excluded = await plugin.processInput({
      input: { type: "dir", path: "site", excludeFiles: ["css", "*.md"] },
      baseDir: base,
    });
    expect((await tarEntries(await bytesOf(excluded))).map((e) => e.path)).toEqual(["index.html"]);
  });

  it("puts the directory's own name in front of every path with preserveDir", async () => {
    const base = await site();
    const blob = await (
      await inputs("dir")
    ).processInput({ input: { type: "dir", path: "site", preserveDir: true }, baseDir: base });
    expect((await tarEntries(await bytesOf(blob))).map((e) => e.path)).toEqual([
      "site/",
      "site/css/",
      "site/css/style.css",
      "site/index.html",
      "site/notes.md",
    ]);
  });

  it("archives a symlink as a link and never the content of what it points to outside", async () => {
    const base = await site();
    await symlink("../secret.txt", join(base, "site/leak.txt"));
    await symlink("..", join(base, "site/up"));
    const blob = await (
      await inputs("dir")
    ).processInput({ input: { type: "dir", path: "site" }, baseDir: base });
    const data = await bytesOf(blob);
    const entries = await tarEntries(data);
    expect(entries).toContainEqual({ path: "leak.txt", type: "SymbolicLink", linkpath: "../secret.txt" });
    expect(entries).toContainEqual({ path: "up", type: "SymbolicLink", linkpath: ".." });
    expect(entries.map((e) => e.path)).not.toContain("up/secret.txt");
    expect(data.toString("latin1")).not.toContain("do not ship");
  });

  it("follows symlinks inside the directory with followSymlinks", async () => {
    const base = await site();
    await symlink("css/style.css", join(base, "site/style.css"));
    await symlink("css", join(base, "site/styles"));
    const blob = await (
      await inputs("dir")
    ).processInput({ input: { type: "dir", path: "site", followSymlinks: true }, baseDir: base });
    const entries = await tarEntries(await bytesOf(blob));
    expect(entries).toContainEqual({ path: "style.css", type: "File", content: "h1 {}" });
    expect(entries).toContainEqual({ path: "styles/style.css", type: "File", content: "h1 {}" });
  });

  it("refuses to follow a symlink that points outside the directory", async () => {
    const base = await site();
    await symlink("../secret.txt", join(base, "site/leak.txt"));
    const error = await rejection(
      (await inputs("dir")).processInput({
        input: { type: "dir", path: "site", followSymlinks: true },
        baseDir: base,
      }),
    );
    expect(error.code).toBe("OCM_INPUT_INVALID");
    expect(error.message).toContain(join(base, "site/leak.txt"));
    expect(error.message).toContain("outside");
  });

  it("refuses to follow a symlink back to a parent directory instead of looping", async () => {
    const base = await site();
    await symlink(".", join(base, "site/css/again"));
    const error = await rejection(
      (await inputs("dir")).processInput({
        input: { type: "dir", path: "site", followSymlinks: true },
        baseDir: base,
      }),
    );
    expect(error.code).toBe("OCM_INPUT_INVALID");
    expect(error.message).toContain(join(base, "site/css/again"));
  });

  it("reports a dangling symlink it was asked to follow as OCM_INPUT_NOT_FOUND naming the link", async () => {
    const base = await site();
    await symlink("gone.txt", join(base, "site/dangling.txt"));
    const error = await rejection(
      (await inputs("dir")).processInput({
        input: { type: "dir", path: "site", followSymlinks: true },
        baseDir: base,
      }),
    );
    expect(error.code).toBe("OCM_INPUT_NOT_FOUND");
    expect(error.message).toContain(join(base, "site/dangling.txt"));
    expect(error.message).toContain("gone.txt");
  });

  it("ignores an excluded symlink even when following symlinks", async () => {
    const base = await site();
    await symlink("../secret.txt", join(base, "site/leak.txt"));
    const blob = await (
      await inputs("dir")
    ).processInput({
      input: { type: "dir", path: "site", followSymlinks: true, excludeFiles: ["leak.txt"] },
      baseDir: base,
    });
    expect((await tarEntries(await bytesOf(blob))).map((e) => e.path)).not.toContain("leak.txt");
  });

  it("reports a missing directory as OCM_INPUT_NOT_FOUND and a file as OCM_INPUT_INVALID", async () => {
    const base = await site();
    const plugin = await inputs("dir");
    const missing = await rejection(
      plugin.processInput({ input: { type: "dir", path: "nope" }, baseDir: base }),
    );
    expect(missing.code).toBe("OCM_INPUT_NOT_FOUND");
    expect(missing.message).toContain(join(base, "nope"));
    const file = await rejection(
      plugin.processInput({ input: { type: "dir", path: "secret.txt" }, baseDir: base }),
    );
    expect(file.code).toBe("OCM_INPUT_INVALID");
    expect(file.message).toContain("not a directory");
  });
});

describe("inline inputs", () => {
  it("turns utf8 text into its bytes with the default media type", async () => {
    const blob = await (
      await inputs("utf8")
    ).processInput({ input: { type: "utf8", text: "Grüße, OCM!" }, baseDir: "/" });
    expect(blob.mediaType).toBe("application/octet-stream");
    expect(blob.size).toBe(Buffer.byteLength("Grüße, OCM!"));
    expect((await bytesOf(blob)).toString("utf8")).toBe("Grüße, OCM!");
  });

  it("gzips utf8 text with compress and keeps an explicit media type", async () => {
    const blob = await (
      await inputs("UTF8/v1")
    ).processInput({
      input: { type: "UTF8/v1", text: "hello", mediaType: "text/plain", compress: true },
      baseDir: "/",
    });
    expect(blob.mediaType).toBe("text/plain+gzip");
    expect(gunzipSync(await bytesOf(blob)).toString()).toBe("hello");
  });

  it("decodes binary data from base64", async () => {
    const data = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]);
    const blob = await (
      await inputs("binary")
    ).processInput({
      input: { type: "binary", data: data.toString("base64"), mediaType: "application/x-thing" },
      baseDir: "/",
    });
    expect(blob.mediaType).toBe("application/x-thing");
    expect(blob.size).toBe(5);
    expect(await bytesOf(blob)).toEqual(data);
  });

  it("refuses binary data that is not base64 and utf8 input without text, naming the field", async () => {
    const badData = await rejection(
      (await inputs("binary")).processInput({ input: { type: "binary", data: "not base64!" }, baseDir: "/" }),
    );
    expect(badData.code).toBe("OCM_INPUT_INVALID");
    expect(badData.message).toContain("field data");
    const noText = await rejection(
      (await inputs("utf8")).processInput({ input: { type: "utf8" }, baseDir: "/" }),
    );
    expect(noText.code).toBe("OCM_INPUT_INVALID");
    expect(noText.message).toContain("field text");
  });
});
