// The basics of `.helmignore` (helm's pkg/ignore): one pattern a line, `#` comments, a trailing `/`
// matches directories only, a pattern with a `/` inside matches the path from the chart root, one
// without matches any path element's name; `*` and `?` do not cross `/`. Negation (`!pattern`) and `**`
// are refused rather than half-supported.
import { OcmError } from "../../sdk/index.js";

/** A compiled `.helmignore`: `ignores(path, isDir)` with `path` relative to the chart root, `/`-separated. */
export interface HelmIgnore {
  ignores(path: string, isDir: boolean): boolean;
}

interface Rule {
  pattern: RegExp;
  dirOnly: boolean;
  wholePath: boolean;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const char of glob) {
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Compiles the text of a `.helmignore` file (`where` names it in errors). */
export function parseHelmIgnore(text: string, where: string): HelmIgnore {
  const rules: Rule[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("!") || line.includes("**")) {
      throw new OcmError({
        code: "OCM_INPUT_INVALID",
        message: `helm input: ${where} line ${index + 1}: ${JSON.stringify(line)} uses ${line.startsWith("!") ? "negation (!)" : "**"}, which this plugin does not support`,
        hint: "Use plain patterns (name, dir/, path/with/*.glob) in .helmignore, or package the chart with `helm package` and give the tgz as path.",
      });
    }
    const dirOnly = line.endsWith("/");
    const body = line.replace(/^\/+/, "").replace(/\/+$/, "");
    rules.push({ pattern: globToRegExp(body), dirOnly, wholePath: body.includes("/") });
  }
  return {
    ignores(path, isDir) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      return rules.some(
        (rule) => (!rule.dirOnly || isDir) && rule.pattern.test(rule.wholePath ? path : name),
      );
    },
  };
}
