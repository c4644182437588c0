// Certificate chains: the signer's certificate must lead to a trusted root, and its subject is the
// signature's `issuer` as Go writes it (pkix.Name.String(), RFC 2253: most specific RDN first).
import type { X509Certificate } from "node:crypto";

/**
 * The subject of `certificate` as an RFC 2253 string, e.g. `CN=signer,O=acme,C=DE`. Node prints one RDN
 * per line, most general first, with values already escaped as RFC 2253 requires (OpenSSL ESC_2253).
 */
export function subjectDn(certificate: X509Certificate): string {
  return certificate.subject
    .split("\n")
    .filter((line) => line.includes("="))
    .reverse()
    .join(",");
}

/** Splits an RFC 2253 DN into `key=value` parts, honouring backslash escapes. */
function dnParts(dn: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i] as string;
    if (c === "\\" && i + 1 < dn.length) {
      current += dn[++i];
    } else if (c === "," || c === "+") {
      parts.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.map((p) => p.replace(/^([^=]+)=/, (_, key: string) => `${key.trim().toUpperCase()}=`)).sort();
}

/** True when two distinguished names hold the same attributes (order and case of keys aside). */
export function sameDn(a: string, b: string): boolean {
  const pa = dnParts(a);
  const pb = dnParts(b);
  return pa.length === pb.length && pa.every((p, i) => p === pb[i]);
}

function validAt(certificate: X509Certificate, now: Date): string | undefined {
  if (now < new Date(certificate.validFrom)) return `is not valid before ${certificate.validFrom}`;
  if (now > new Date(certificate.validTo)) return `expired on ${certificate.validTo}`;
  return undefined;
}

const issuedBy = (child: X509Certificate, parent: X509Certificate): boolean =>
  child.checkIssued(parent) && child.verify(parent.publicKey);

/**
 * Checks that `chain` (signer first, then intermediates) leads to one of `roots`: each certificate is
 * signed by the next, every issuer is a CA, every certificate is valid now. Returns why not, or undefined.
 */
export function checkChain(
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  now = new Date(),
): string | undefined {
  if (chain.length === 0) return "the signature carries no certificate";
  for (const [i, certificate] of chain.entries()) {
    const invalid = validAt(certificate, now);
    if (invalid) return `certificate ${subjectDn(certificate)} ${invalid}`;
    const parent = chain[i + 1];
    if (!parent) break;
    if (!parent.ca)
      return `certificate ${subjectDn(parent)} is not a CA but issued ${subjectDn(certificate)}`;
    if (!issuedBy(certificate, parent))
      return `certificate ${subjectDn(certificate)} is not signed by ${subjectDn(parent)}`;
  }
  const last = chain[chain.length - 1] as X509Certificate;
  const trusted = roots.find(
    (root) =>
      root.fingerprint256 === last.fingerprint256 ||
      (root.ca && validAt(root, now) === undefined && issuedBy(last, root)),
  );
  return trusted ? undefined : `certificate ${subjectDn(last)} is not issued by a trusted CA`;
}
