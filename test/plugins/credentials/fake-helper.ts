// A real docker credential helper for the tests: a shell script named docker-credential-test in a temp
// dir put first on PATH. It logs each server URL it is asked for and answers per server.
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { vi } from "vitest";
import { useTempDir } from "../../helpers/temp-dir.js";

const SCRIPT = `#!/bin/sh
read -r server
echo "$server" >> "$(dirname "$0")/calls.log"
case "$server" in
  helper.example.com) echo '{"ServerURL":"helper.example.com","Username":"helper-user","Secret":"helper-s3cret"}' ;;
  https://index.docker.io/v1/) echo '{"Username":"hub-user","Secret":"hub-s3cret"}' ;;
  token.example.com) echo '{"Username":"<token>","Secret":"refresh-t0ken"}' ;;
  garbage.example.com) echo 'Username=leaky Secret=garbage-s3cret' ;;
  slow.example.com) sleep 5 ;;
  broken.example.com) echo "keychain locked" >&2; exit 3 ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;

/** Installs docker-credential-test on PATH for the current test; returns a reader of the logged server URLs. */
export async function installFakeHelper(): Promise<{ calls: () => Promise<string[]> }> {
  const dir = await useTempDir("ocm-ts-helper-");
  const path = join(dir, "docker-credential-test");
  await writeFile(path, SCRIPT);
  await chmod(path, 0o755);
  vi.stubEnv("PATH", `${dir}:${process.env["PATH"] ?? ""}`);
  return {
    calls: async () => {
      try {
        return (await readFile(join(dir, "calls.log"), "utf8")).split("\n").filter(Boolean);
      } catch {
        return [];
      }
    },
  };
}
