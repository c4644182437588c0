// Finds the real OCM descriptors in test/fixtures/ocm: plain files and the descriptor layers of the CTFs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/ocm");

export const DESCRIPTOR_LAYER_TYPES = [
  "application/vnd.ocm.software.component-descriptor.v2+yaml+tar",
  "application/vnd.ocm.software.component-descriptor.v2+json",
  "application/vnd.ocm.software.component-descriptor.v2+yaml",
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar",
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json",
  "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml",
];

/** Every file below a directory, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Regular files of a USTAR archive (enough for the single-entry descriptor layers). */
export function untar(data: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const text = (from: number, len: number) =>
    new TextDecoder().decode(data.subarray(from, from + len)).replace(/\0.*$/s, "");
  for (let off = 0; off + 512 <= data.length;) {
    const name = text(off, 100);
    if (name === "") break;
    const size = parseInt(text(off + 124, 12).trim() || "0", 8);
    const type = text(off + 156, 1);
    const prefix = text(off + 345, 155);
    if (type === "0" || type === "")
      files.set(prefix ? `${prefix}/${name}` : name, data.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

export interface FoundDescriptor {
  /** Where it came from, relative to the fixtures folder. */
  label: string;
  bytes: Uint8Array;
  /** The CTF directory when it came from a descriptor layer. */
  ctf?: string;
}

/** Plain descriptor files: YAML files with `meta.schemaVersion` or `apiVersion` at the top level. */
export function descriptorFiles(): FoundDescriptor[] {
  return walk(FIXTURES)
    .filter(
      (p) => /\.ya?ml$/.test(p) && !p.includes("/schemas/") && !p.endsWith("component-constructor.yaml"),
    )
    .filter((p) => /^(meta:|apiVersion:|\s*component:)/m.test(readFileSync(p, "utf8")))
    .map((p) => ({ label: relative(FIXTURES, p), bytes: readFileSync(p) }));
}

interface Manifest {
  layers?: { mediaType: string; digest: string }[];
}

type ReadFile = (path: string) => Uint8Array | undefined;

/** The CTFs among the fixtures: directories with artifact-index.json, and .tar/.tar.gz/.tgz archives of them. */
function ctfs(): { ctf: string; read: ReadFile }[] {
  const found: { ctf: string; read: ReadFile }[] = [];
  for (const path of walk(FIXTURES)) {
    if (path.endsWith("/artifact-index.json")) {
      const dir = dirname(path);
      found.push({ ctf: relative(FIXTURES, dir), read: (p) => readFileSync(join(dir, p)) });
    } else if (/\.(tar|tar\.gz|tgz)$/.test(path)) {
      const raw = readFileSync(path);
      const files = untar(path.endsWith(".tar") ? raw : gunzipSync(raw));
      if (files.has("artifact-index.json"))
        found.push({ ctf: relative(FIXTURES, path), read: (p) => files.get(p) });
    }
  }
  return found;
}

/** The descriptor layers of every CTF (artifact-index.json + blobs/sha256.*), directories and archives. */
export function descriptorLayers(): FoundDescriptor[] {
  const out: FoundDescriptor[] = [];
  for (const { ctf, read } of ctfs()) {
    const blob = (digest: string) => {
      const data = read(`blobs/${digest.replace(":", ".")}`);
      if (!data) throw new Error(`${ctf}: blob ${digest} missing`);
      return Buffer.from(data);
    };
    const index = read("artifact-index.json") ?? new Uint8Array();
    const { artifacts } = JSON.parse(new TextDecoder().decode(index)) as { artifacts: { digest: string }[] };
    for (const artifact of artifacts) {
      const manifest = JSON.parse(blob(artifact.digest).toString("utf8")) as Manifest;
      for (const layer of manifest.layers ?? []) {
        if (!DESCRIPTOR_LAYER_TYPES.includes(layer.mediaType)) continue;
        const data = blob(layer.digest);
        const bytes = layer.mediaType.endsWith("+tar") ? untar(data).get("component-descriptor.yaml") : data;
        if (!bytes) throw new Error(`${ctf}: layer ${layer.digest} has no component-descriptor.yaml`);
        out.push({ label: `${ctf} layer ${layer.digest.slice(0, 19)}`, bytes, ctf });
      }
    }
  }
  return out;
}
