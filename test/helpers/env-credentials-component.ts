// The shipped Python example plugin as a component version's `ocmPlugin` resource for this platform: what
// the install, signed-install and event tests publish before `ocm plugin install` takes it.
import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { goArch, goOs } from "../../manager/operations/install/platform.js";
import { REPO_ROOT } from "./executables.js";

export const ENV_CREDENTIALS_COMPONENT = "acme.org/plugins/env-credentials";

/** Copies plugins/examples/env-credentials.py into `home` and writes a constructor for it as `constructorFile`. */
export async function writeEnvCredentialsConstructor(home: string, constructorFile: string): Promise<void> {
  await copyFile(join(REPO_ROOT, "plugins/examples/env-credentials.py"), join(home, "env-credentials.py"));
  await writeFile(
    join(home, constructorFile),
    stringify({
      components: [
        {
          name: ENV_CREDENTIALS_COMPONENT,
          version: "1.0.0",
          provider: { name: "acme.org" },
          resources: [
            {
              name: "env-credentials",
              type: "ocmPlugin",
              version: "1.0.0",
              extraIdentity: { os: goOs(), architecture: goArch() },
              input: { type: "file", path: "env-credentials.py" },
            },
          ],
        },
      ],
    }),
  );
}
