// Minimal glob matching for `includeFiles`/`excludeFiles` of the dir input: `*`, `?` and `**`.

/** Compiles a glob into a regular expression over `/`-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*" && glob[i + 1] === "*") {
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (ch === "*") source += "[^/]*";
    else if (ch === "?") source += "[^/]";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** True when `path` (or one of its parent directories) matches one of `globs`. */
export function matchesAny(path: string, globs: RegExp[]): boolean {
  const parts = path.split("/");
  for (let n = parts.length; n > 0; n--) {
    const prefix = parts.slice(0, n).join("/");
    if (globs.some((glob) => glob.test(prefix))) return true;
  }
  return false;
}
