import { describe, expect, it } from "vitest";
import { isOcmError } from "../../../core/errors.js";
import {
  creatableSpec,
  parseComponentRef as parseWith,
  parseRepositoryRef as parseRepositoryWith,
  referenceTypesOf,
} from "../../../core/model/index.js";
import { builtinPlugins } from "../../../plugins/builtin.js";

// The syntax of CTF and OCI references comes from what the built-in plugins declare.
const types = referenceTypesOf(builtinPlugins().map((plugin) => plugin.document));
const parseComponentRef = (ref: string) => parseWith(ref, types);
const parseRepositoryRef = (ref: string) => parseRepositoryWith(ref, types);

const ctf = (filePath: string) => ({ type: "CommonTransportFormat/v1", filePath });
const oci = (baseUrl: string, subPath?: string) => ({
  type: "OCIRegistry/v1",
  baseUrl,
  ...(subPath ? { subPath } : {}),
});

describe("parseComponentRef", () => {
  const cases: [string, ReturnType<typeof parseComponentRef>][] = [
    [
      "./archive//acme.org/app:1.0.0",
      { repository: ctf("./archive"), component: "acme.org/app", version: "1.0.0" },
    ],
    ["/tmp/ctf//acme.org/app", { repository: ctf("/tmp/ctf"), component: "acme.org/app" }],
    ["~/ctf//acme.org/app:v1", { repository: ctf("~/ctf"), component: "acme.org/app", version: "v1" }],
    [
      "archive//acme.org/app:1.0.0",
      { repository: ctf("archive"), component: "acme.org/app", version: "1.0.0" },
    ],
    ["out/ctf.tgz//acme.org/app", { repository: ctf("out/ctf.tgz"), component: "acme.org/app" }],
    ["ctf::ghcr.io//acme.org/app", { repository: ctf("ghcr.io"), component: "acme.org/app" }],
    [
      "ghcr.io/open-component-model/ocm//ocm.software/ocmcli:0.27.0",
      {
        repository: oci("https://ghcr.io", "open-component-model/ocm"),
        component: "ocm.software/ocmcli",
        version: "0.27.0",
      },
    ],
    [
      "localhost:5000//acme.org/app:1.0.0+build.1",
      { repository: oci("http://localhost:5000"), component: "acme.org/app", version: "1.0.0+build.1" },
    ],
    [
      "http://registry.local:5000/sub/path//acme.org/app",
      { repository: oci("http://registry.local:5000", "sub/path"), component: "acme.org/app" },
    ],
    [
      "oci::https://ghcr.io/acme//acme.org/app:1",
      { repository: oci("https://ghcr.io", "acme"), component: "acme.org/app", version: "1" },
    ],
    ["oci::registry//acme.org/app", { repository: oci("https://registry"), component: "acme.org/app" }],
  ];
  for (const [ref, expected] of cases) {
    it(`parses ${ref}`, () => expect(parseComponentRef(ref)).toEqual(expected));
  }

  it("parses a reference without component part", () => {
    expect(parseComponentRef("./ctf")).toEqual({ repository: ctf("./ctf") });
  });

  for (const bad of [
    "",
    "./ctf//",
    "./ctf//Acme/App",
    "./ctf//acme.org/app:",
    "oci::bad host//acme.org/app",
    "git::x//acme.org/a",
  ]) {
    it(`refuses ${JSON.stringify(bad)} with OCM_REFERENCE_INVALID naming the value`, () => {
      try {
        parseComponentRef(bad);
        expect.unreachable();
      } catch (error) {
        expect(isOcmError(error) && error.code).toBe("OCM_REFERENCE_INVALID");
        expect((error as Error).message).toContain(JSON.stringify(bad));
      }
    });
  }
});

describe("parseRepositoryRef", () => {
  it("parses repositories", () => {
    expect(parseRepositoryRef("./ctf")).toEqual({ repository: ctf("./ctf") });
    expect(parseRepositoryRef("ghcr.io/acme/")).toEqual({ repository: oci("https://ghcr.io", "acme") });
    expect(parseRepositoryRef("oci::http://127.0.0.1:5000")).toEqual({
      repository: oci("http://127.0.0.1:5000"),
    });
  });

  it("refuses a component part", () => {
    expect(() => parseRepositoryRef("./ctf//acme.org/app")).toThrow(/only a repository/);
  });
});

// Issue #11: one syntax for every repository type, `<type-or-alias>::<spec>[//<component>[:<version>]]`.
describe("references to any repository type (#11)", () => {
  const withFileRepo = [
    ...types,
    ...referenceTypesOf([
      {
        type: { "FileRepository/v1": ["componentVersionRepository"] },
        aliases: { "FileRepository/v1": ["filerepo"] },
        references: { "FileRepository/v1": { field: "path" } },
      },
    ]),
  ];
  const parse = (ref: string) => parseWith(ref, withFileRepo);

  it("reads a JSON spec first, so it may contain // and :", () => {
    expect(parse('FileRepository/v1::{"path":"http://x//y:1"}//acme.org/hello:1.0.0')).toEqual({
      repository: { type: "FileRepository/v1", path: "http://x//y:1" },
      component: "acme.org/hello",
      version: "1.0.0",
    });
  });

  it("reads a YAML flow spec and gives it the canonical type of an alias", () => {
    expect(parse("filerepo::{path: ./store}//acme.org/hello")).toEqual({
      repository: { type: "FileRepository/v1", path: "./store" },
      component: "acme.org/hello",
    });
  });

  it("fills the declared field with a bare string", () => {
    expect(parse("filerepo::./store//acme.org/hello:1")).toEqual({
      repository: { type: "FileRepository/v1", path: "./store" },
      component: "acme.org/hello",
      version: "1",
    });
  });

  it("takes the type from a spec object without prefix", () => {
    expect(parse('{"type":"ctf","filePath":"a b"}')).toEqual({ repository: ctf("a b") });
  });

  it("maps ctf:: and oci:: through what the plugins declare", () => {
    expect(parse('oci::{"baseUrl":"ghcr.io","subPath":"x"}//acme.org/a')).toEqual({
      repository: { type: "OCIRegistry/v1", baseUrl: "ghcr.io", subPath: "x" },
      component: "acme.org/a",
    });
    expect(parse("CommonTransportFormat::x.tgz")).toEqual({ repository: ctf("x.tgz") });
  });

  it("lists the known repository types for an unknown one", () => {
    expect(() => parse("git::x//acme.org/a")).toThrow(/unknown repository type "git"/);
    try {
      parse("git::x");
    } catch (error) {
      expect(isOcmError(error) && error.hint).toMatch(/FileRepository\/v1 \(filerepo\).*ocm plugin list/);
    }
  });

  for (const [bad, why] of [
    ["localhost:70000//acme.org/a", /port 70000 of "?localhost"? is not a TCP port/],
    ["oci::ghcr.io:0", /port 0 .* is not a TCP port/],
    ["https://user:secret@ghcr.io//acme.org/a", /credentials in a reference/],
    ['filerepo::{"path": "x"', /not closed/],
    ['filerepo::{"path": "x"}/x', /follows the spec object/],
    ["filerepo::{a: [}", /not closed|neither JSON nor/],
    ['{"path": "x"}', /no type/],
  ] as const) {
    it(`refuses ${bad}`, () => {
      try {
        parse(bad);
        expect.unreachable();
      } catch (error) {
        expect(isOcmError(error) && error.code).toBe("OCM_REFERENCE_INVALID");
        expect((error as Error).message).toMatch(why);
        expect((error as Error).message).not.toContain("secret");
      }
    });
  }

  it("accepts every valid port", () => {
    expect(parse("localhost:65535").repository).toEqual(oci("http://localhost:65535"));
    expect(parse("[::1]:1/x").repository).toEqual(oci("http://[::1]:1", "x"));
  });
});

describe("creatableSpec", () => {
  const creatable = (ref: string, format?: string) =>
    creatableSpec(parseRepositoryRef(ref).repository, types, format);

  it("adds what a type declares for creating, with the format asked for or none (#12)", () => {
    expect(creatable("./out.tgz")).toEqual({ ...ctf("./out.tgz"), accessMode: "create" });
    expect(creatable("./archive", "tar")).toEqual({
      ...ctf("./archive"),
      accessMode: "create",
      fileFormat: "tar",
    });
  });

  it("keeps what the spec says, and leaves a type that declares nothing as it is", () => {
    expect(creatable('ctf::{"filePath":"./a","accessMode":"readonly"}', "tgz")).toEqual({
      ...ctf("./a"),
      accessMode: "readonly",
      fileFormat: "tgz",
    });
    expect(creatable("ghcr.io/acme", "tgz")).toEqual(oci("https://ghcr.io", "acme"));
  });
});
