// The version `ocm --version` prints (package.json's; test/scripts/cli-bundle.test.ts keeps them equal).
export const OCM_VERSION = "0.1.0";
