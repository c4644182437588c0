// The import rules of the house (STYLE.md, "The house"), checked by `npm run arch` in `npm run check`.
// Known violations that are being removed are listed in .dependency-cruiser-known-violations.json and
// reported as warnings; a new violation fails the check.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-file-cycles",
      comment: "A cycle between files is a design bug.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-imports-nothing-of-ours",
      comment:
        "core is the model and the contract: it imports nothing from the host, the SDK, plugins or the CLI.",
      severity: "error",
      from: { path: "^core/" },
      to: { path: "^(manager|sdk|plugins|cmd)/|^index\\.ts$" },
    },
    {
      name: "sdk-is-for-plugins",
      comment:
        "The SDK is what a plugin author imports; it never reaches into the host, the CLI or a plugin.",
      severity: "error",
      from: { path: "^sdk/" },
      to: { path: "^(manager|plugins|cmd)/|^index\\.ts$" },
    },
    {
      name: "plugins-never-import-the-host",
      comment: "A plugin sees the host only through the protocol.",
      severity: "error",
      from: { path: "^plugins/" },
      to: { path: "^(manager|cmd)/|^index\\.ts$" },
    },
    {
      name: "plugins-never-import-each-other",
      comment: "What two plugins share lives in the SDK, not in one of them.",
      severity: "error",
      from: { path: "^plugins/([^/]+)/" },
      to: { path: "^plugins/[^/]+/", pathNot: "^plugins/$1/" },
    },
    {
      name: "plugins-use-the-sdk-entry-points",
      comment:
        "A built-in plugin imports the SDK as every plugin author does, through the package's entry points (ocm-ts/sdk, ocm-ts/sdk/oci-layout, ocm-ts/sdk/archive), never a module behind them.",
      severity: "error",
      from: { path: "^plugins/" },
      to: { path: "^sdk/", pathNot: "^sdk/(oci-layout/|archive/)?index\\.ts$" },
    },
    {
      name: "plugins-use-the-core-entry-point",
      comment:
        "A built-in plugin imports core as every plugin author can, through its entry point (ocm-ts/core), never a module behind it.",
      severity: "error",
      from: { path: "^plugins/" },
      to: { path: "^core/", pathNot: "^core/index\\.ts$" },
    },
    {
      name: "cmd-uses-the-package-entry-points",
      comment:
        "The CLI is a user of the library: it imports the package's entry (index.ts), the manager's (manager/index.ts) or core's (core/index.ts), never a module behind them.",
      severity: "error",
      from: { path: "^cmd/" },
      to: { path: "^(core|manager|sdk|plugins)/", pathNot: "^(core|manager)/index\\.ts$" },
    },
    {
      name: "operations-see-only-core",
      comment:
        "The operations (manager/operations) are built on core's CapabilityProvider; they never reach into the host.",
      severity: "error",
      from: { path: "^manager/operations/" },
      to: { path: "^manager/host/|^manager/index\\.ts$" },
    },
    {
      name: "host-runs-no-operation",
      comment:
        "The host layer (manager/host) starts and calls plugins; the operations are built on it, not in it.",
      severity: "error",
      from: { path: "^manager/host/" },
      to: { path: "^manager/operations/|^manager/index\\.ts$" },
    },
    {
      name: "plugin-store-is-a-leaf",
      comment: "The plugin directory format is shared by discovery and install; it depends on neither.",
      severity: "error",
      from: { path: "^manager/plugin-store/" },
      to: { path: "^manager/(host|operations)/" },
    },
    {
      name: "host-knows-no-plugin",
      comment: "The host gets its built-in plugins handed in (index.ts); it never imports one.",
      severity: "error",
      from: { path: "^manager/" },
      to: { path: "^(plugins|sdk|cmd)/|^index\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|test|scripts)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs"] },
  },
};
