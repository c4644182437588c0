// Tar and tgz CTFs from untrusted hands, through the `ocm` CLI as a user runs it (#10): link chains neither
// write nor read outside the CTF, duplicates and truncated archives fail clearly, and a small tgz that
// expands hugely is read and written without unpacking it, so it never fills the disk.
import { mkdir, readFile, readdir, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../../helpers/cli.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { FIXTURES, FORM } from "./helpers.js";
import { END, dir, file, linkChain, tarHeader, tarOf } from "./tar-builder.js";

const HELLO = "github.com/acme.org/helloworld";
const EMPTY_INDEX = '{"schemaVersion":1,"artifacts":[]}';
const SECRET = "TOP-SECRET-7d1f0c";

/** The Go fixture CTF as tar entries (index, blobs/, blobs). */
async function fixtureEntries(): Promise<Buffer[]> {
  const root = join(FIXTURES, "ctf-v0.20-localblob/transport-archive");
  const blobs = (await readdir(join(root, "blobs"))).sort();
  return [
    file("artifact-index.json", await readFile(join(root, "artifact-index.json"))),
    dir("blobs"),
    ...(await Promise.all(
      blobs.map(async (b) => file(`blobs/${b}`, await readFile(join(root, "blobs", b)))),
    )),
  ];
}

/** The bytes of all files under `dir`. */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** A user, a work dir with a constructor adding one local blob, and `ocm`. */
async function setup() {
  const ocm = await ocmCli();
  const work = await useTempDir();
  await writeFile(join(work, "payload.txt"), "the user's blob\n");
  await writeFile(
    join(work, "constructor.yaml"),
    [
      "components:",
      "  - name: acme.org/a",
      "    version: 1.0.0",
      "    provider: { name: acme.org }",
      "    resources:",
      "      - name: payload",
      "        type: plainText",
      "        input: { type: file, path: payload.txt }",
    ].join("\n"),
  );
  const add = (repository: string, ...more: string[]) =>
    ocm("add", "cv", "--repository", repository, "--constructor", join(work, "constructor.yaml"), ...more);
  return { ocm, work, add };
}

describe.skipIf(FORM === "external")("CTF archives through the CLI (#10)", () => {
  it.each(["tar", "tgz"] as const)(
    "refuses to add to a %s CTF whose chain of links leads blobs into another directory, writing nothing there (#10)",
    async (format) => {
      const { work, add } = await setup();
      const victim = join(work, "victim");
      await mkdir(victim);
      const archive = join(work, `w.${format}`);
      const bytes = tarOf(
        [file("artifact-index.json", EMPTY_INDEX), ...linkChain("blobs", victim)],
        format === "tgz",
      );
      await writeFile(archive, bytes);
      const result = await add(archive);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("OCM_ARCHIVE_UNSAFE_ENTRY");
      expect(result.stderr).toContain('entry "p" is a symbolic link to "."');
      expect(result.stderr).toContain("Nothing was written");
      expect(await readdir(victim)).toEqual([]);
      expect((await readFile(archive)).equals(bytes)).toBe(true);
    },
  );

  it.each(["tar", "tgz"] as const)(
    "does not print a file that a chain of links in a %s CTF points artifact-index.json at (#10)",
    async (format) => {
      const { ocm, work } = await setup();
      const secret = join(work, "secret.txt");
      await writeFile(secret, `${SECRET}\n`);
      const archive = join(work, `r.${format}`);
      await writeFile(archive, tarOf(linkChain("artifact-index.json", secret), format === "tgz"));
      const result = await ocm("get", "cv", `${archive}//acme.org/a:1.0.0`);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("OCM_ARCHIVE_UNSAFE_ENTRY");
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    },
  );

  it("refuses a directory CTF whose blobs directory is a symlink to elsewhere, for reads and writes (#10)", async () => {
    const { ocm, work, add } = await setup();
    const victim = join(work, "victim");
    const ctf = join(work, "ctf");
    await mkdir(victim);
    await mkdir(ctf);
    await writeFile(join(ctf, "artifact-index.json"), EMPTY_INDEX);
    await symlink(victim, join(ctf, "blobs"));
    const written = await add(ctf);
    expect(written.exitCode).toBe(1);
    expect(written.stderr).toContain("OCM_ARCHIVE_UNSAFE_ENTRY");
    expect(written.stderr).toContain(`${join(ctf, "blobs")} is a symbolic link`);
    expect(await readdir(victim)).toEqual([]);
    const read = await ocm("get", "cv", `${ctf}//acme.org/a:1.0.0`);
    expect(read.exitCode).toBe(1);
    expect(read.stderr).toContain("OCM_ARCHIVE_UNSAFE_ENTRY");
  });

  it.each(["tar", "tgz"] as const)(
    "refuses a %s CTF holding artifact-index.json twice (#10)",
    async (format) => {
      const { ocm, work } = await setup();
      const archive = join(work, `d.${format}`);
      await writeFile(
        archive,
        tarOf([...(await fixtureEntries()), file("artifact-index.json", EMPTY_INDEX)], format === "tgz"),
      );
      const result = await ocm("get", "cv", `${archive}//${HELLO}:1.0.0`);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("OCM_ARCHIVE_DUPLICATE_ENTRY");
      expect(result.stderr).toContain('"artifact-index.json" appears more than once');
    },
  );

  it.each(["tar", "tgz"] as const)(
    "fails a truncated %s CTF with OCM_ARCHIVE_TRUNCATED and exit 1, for reads and writes (#10)",
    async (format) => {
      const { ocm, work, add } = await setup();
      const whole = tarOf(await fixtureEntries(), format === "tgz");
      const archive = join(work, `t.${format}`);
      const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
      await writeFile(archive, cut);
      const read = await ocm("get", "cv", `${archive}//${HELLO}:1.0.0`);
      expect(read.exitCode).toBe(1);
      expect(read.stderr).toContain("OCM_ARCHIVE_TRUNCATED");
      expect(read.stderr).toContain(archive);
      const written = await add(archive);
      expect(written.exitCode).toBe(1);
      expect(written.stderr).toContain("OCM_ARCHIVE_TRUNCATED");
      expect((await readFile(archive)).equals(cut)).toBe(true);
    },
  );

  it("reads and adds to a 1 MB tgz that expands to 1 GiB without writing it out (#10, #15 item 3)", async () => {
    const { ocm, work } = await setup();
    const tmp = join(work, "tmp");
    await mkdir(tmp);
    const archive = join(work, "bomb.tgz");
    // Gzip members may be concatenated: 1024 members of 1 MiB of zeros make the body of a 1 GiB entry.
    const zeros = gzipSync(Buffer.alloc(1 << 20), { level: 9 });
    const bomb = Buffer.concat([
      gzipSync(
        Buffer.concat([
          ...(await fixtureEntries()),
          tarHeader(`blobs/sha256.${"f".repeat(64)}`, "0", 1 << 30),
        ]),
      ),
      ...Array<Buffer>(1024).fill(zeros),
      gzipSync(END),
    ]);
    await writeFile(archive, bomb);
    expect(bomb.length).toBeLessThan(2 << 20);
    const env = { ...cliEnv(ocm.home), TMPDIR: tmp };
    const read = await execa(
      "/usr/bin/time",
      ["-f", "maxrss=%M", ocm.path, "get", "cv", `${archive}//${HELLO}:1.0.0`],
      {
        reject: false,
        cwd: work,
        env,
      },
    );
    expect(read.exitCode).toBe(0);
    expect(read.stdout).toContain(HELLO);
    expect(await bytesUnder(tmp)).toBeLessThan(1 << 20);
    expect((await readdir(tmp)).filter((d) => d.startsWith("ocm-ctf-"))).toEqual([]);
    const maxRssKb = Number(/maxrss=(\d+)/.exec(read.stderr)?.[1]);
    expect(maxRssKb).toBeLessThan(400 * 1024);

    // A write streams the archive into a new one: the 1 GiB entry is never unpacked, and stays compressed.
    const written = await execa(
      ocm.path,
      ["add", "cv", "--repository", archive, "--constructor", join(work, "constructor.yaml")],
      { reject: false, cwd: work, env },
    );
    expect(written.stderr).toBe("");
    expect(written.exitCode).toBe(0);
    expect(await bytesUnder(tmp)).toBeLessThan(1 << 20);
    expect((await readdir(tmp)).filter((d) => d.startsWith("ocm-ctf-"))).toEqual([]);
    expect((await stat(archive)).size).toBeLessThan(4 << 20);
    expect((await readdir(work)).filter((f) => f.startsWith("."))).toEqual([]);
    const again = await execa(ocm.path, ["get", "cv", `${archive}//acme.org/a:1.0.0`], {
      reject: false,
      cwd: work,
      env,
    });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain("acme.org/a");
  });
});
