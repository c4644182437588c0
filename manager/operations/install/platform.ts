// OCM names platforms as Go does (`linux`/`amd64`); Node says `linux`/`x64`. Plugin resources carry the
// Go names in their `os` and `architecture` extra identity.

/** Node's `process.platform` in Go's spelling. */
export function goOs(platform: string = process.platform): string {
  return platform === "win32" ? "windows" : platform;
}

/** Node's `process.arch` in Go's spelling. */
export function goArch(arch: string = process.arch): string {
  const names: Record<string, string> = {
    x64: "amd64",
    ia32: "386",
    arm: "arm",
    arm64: "arm64",
    ppc64: "ppc64le",
  };
  return names[arch] ?? arch;
}
