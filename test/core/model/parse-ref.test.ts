import { describe, expect, it } from "vitest";
import { isOcmError } from "../../../core/errors.js";
import { parseComponentRef, parseRepositoryRef } from "../../../core/model/index.js";

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
