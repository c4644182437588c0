// File names from names in a descriptor, which anyone can write: no path separators, no `.`/`..`, no
// control characters, bounded length, and distinct even on case-insensitive file systems.

/** Longest name written, in UTF-16 units, well below the 255 bytes most file systems allow. */
const MAX_LENGTH = 120;

/** `text` as one safe path segment: separators, control and reserved characters become `_`. */
export function safeFileName(text: string): string {
  // eslint-disable-next-line no-control-regex
  let name = text.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, "_").trim();
  if (name.length > MAX_LENGTH) name = name.slice(0, MAX_LENGTH);
  if (name === "" || /^\.+$/.test(name)) name = `_${name}`;
  return name;
}

/** Hands out safe names, adding `-2`, `-3`, … when a name (compared case-insensitively) is taken. */
export function createFileNamer(): (text: string) => string {
  const taken = new Set<string>();
  return (text) => {
    const base = safeFileName(text);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  };
}
