// How the Go YAML writer (sigs.k8s.io/yaml → go-yaml v2 emitterc.go) differs from the yaml package's
// defaults: which strings it double-quotes, and where it folds long scalars.

const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const BOOLS = new Set(
  "y Y yes Yes YES on On ON true True TRUE n N no No NO off Off OFF false False FALSE".split(" "),
);
const SPECIAL_FLOATS = new Set(
  ".inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF .nan .NaN .NAN".split(" "),
);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const YAML_BINARY = /^[-+]?0b[01_]+$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
// go-yaml v2 accepts these timestamp layouts when the scalar starts with a digit.
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/;

/**
 * True when go-yaml v2 writes this string double-quoted: plain, its YAML 1.1 resolver would read it as
 * something other than a string (encode.go stringv + resolve.go).
 */
export function goYamlNeedsDoubleQuotes(value: string): boolean {
  if (NULLS.has(value) || BOOLS.has(value) || SPECIAL_FLOATS.has(value) || value === "<<") return true;
  const plain = value.replaceAll("_", "");
  if (GO_INT.test(plain) || YAML_FLOAT.test(plain) || YAML_BINARY.test(value)) return true;
  if (BASE60_FLOAT.test(value)) return true;
  return TIMESTAMP.test(value);
}

const BEST_WIDTH = 80;
const BLOCK_SCALAR_HEADER = /(?:^|: |- )[|>][-+]?\d*$/;
// indent, sequence dashes, optional key (quoted or plain, up to the first ": "), then the value.
const LINE =
  /^( *)((?:- )*)((?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"-][^\n]*?|-[^\s][^\n]*?):(?: |$))?(.*)$/;

/**
 * Folds long plain and single-quoted scalars as go-yaml v2 does at its default width 80: at a single space
 * whose column is past 80 (and, quoted, not the first or last character) the line breaks and continues
 * at the node's indent plus 2 (emitterc.go yaml_emitter_write_plain_scalar / _single_quoted).
 */
export function foldLikeGoYaml(text: string): string {
  const out: string[] = [];
  let blockIndent = -1;
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0 && (line.trim() === "" || indent > blockIndent)) {
      out.push(line); // content of a literal block scalar
      continue;
    }
    const m = LINE.exec(line);
    const nodeColumn = (m?.[1] ?? "").length + (m?.[2] ?? "").length;
    const keyed = m?.[3] !== undefined;
    if (BLOCK_SCALAR_HEADER.test(line)) {
      blockIndent = keyed ? nodeColumn : Math.max(nodeColumn - 2, 0);
      out.push(line);
      continue;
    }
    blockIndent = -1;
    const value = m?.[4] ?? "";
    if (line.length <= BEST_WIDTH + 2 || !value.includes(" ")) {
      out.push(line);
      continue;
    }
    const start = line.length - value.length;
    out.push(foldScalar(line.slice(0, start), value, start, nodeColumn + (keyed ? 2 : 0)));
  }
  return out.join("\n");
}

function foldScalar(prefix: string, value: string, start: number, continuation: number): string {
  const quoted = value.startsWith("'");
  if (value.startsWith('"') || /^[|>[{]/.test(value)) return prefix + value;
  let result = prefix;
  let column = start;
  let spaces = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    const inner = !quoted || (i > 1 && i < value.length - 2);
    if (c === " " && !spaces && column > BEST_WIDTH && value[i + 1] !== " " && inner) {
      result += `\n${" ".repeat(continuation)}`;
      column = continuation;
      spaces = true;
      continue;
    }
    spaces = c === " ";
    result += c;
    column++;
  }
  return result;
}
