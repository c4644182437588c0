import { defineConfig } from "vitest/config";

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
    ],
  },
});
