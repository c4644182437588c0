import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const BUILTINS = fileURLToPath(new URL("plugins/builtin.ts", import.meta.url));
const WITHOUT_OCI = fileURLToPath(new URL("test/helpers/builtin-without-oci.ts", import.meta.url));

/** Loads the built-in plugin list without the OCI plugin wherever the real list is imported. */
const builtinsWithoutOci: Plugin = {
  name: "builtins-without-oci",
  enforce: "pre",
  async resolveId(source, importer, options) {
    if (!source.endsWith("/builtin.js") || importer === WITHOUT_OCI) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id === BUILTINS ? WITHOUT_OCI : null;
  },
};

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "all", include: ["test/**/*.test.ts"] } },
      {
        // The CTF suite once more against the CTF plugin as an executable behind a socket.
        extends: true,
        test: {
          name: "ctf-external",
          include: ["test/plugins/ctf/**/*.test.ts"],
          env: { OCM_CTF_FORM: "external" },
        },
      },
      {
        // CTF needs no other technology (issue #12): its suite and the CTF-only CLI tests once more with
        // the OCI plugin removed from the built-in list, in-process and in the bundled CLI alike.
        extends: true,
        plugins: [builtinsWithoutOci],
        test: {
          name: "without-oci",
          include: [
            "test/plugins/ctf/**/*.test.ts",
            "test/scripts/without-oci.test.ts",
            "test/cmd/sign.test.ts",
            "test/cmd/streaming.test.ts",
            "test/cmd/transfer-streaming.test.ts",
            "test/cmd/transfer-processors.test.ts",
            "test/cmd/create-rsakeypair.test.ts",
          ],
          env: { OCM_BUILTINS: "without-oci" },
        },
      },
    ],
  },
});
