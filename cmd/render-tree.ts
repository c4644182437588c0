// `ocm get cv -o tree`: the reference graph as an indented table, each version expanded once; a version
// reached again is shown as a leaf that points up to where it was expanded.
import { describeRepository, type ComponentVersionGraph } from "../manager/index.js";
import { renderTable } from "./render.js";

/** Renders `graph` as NESTING, COMPONENT, VERSION, PROVIDER, REPOSITORY rows in depth-first order. */
export function renderTree(graph: ComponentVersionGraph, provider: (p: unknown) => string): string {
  const byKey = new Map(
    graph.versions.map((v) => [`${v.descriptor.component.name}:${v.descriptor.component.version}`, v]),
  );
  const expanded = new Set<string>();
  const rows: string[][] = [];
  const visit = (key: string, name: string | undefined, indent: string, last: boolean) => {
    const found = byKey.get(key);
    const branch = `${indent}${last ? "└─" : "├─"}`;
    const [component, version] = [key.slice(0, key.lastIndexOf(":")), key.slice(key.lastIndexOf(":") + 1)];
    const label = name === undefined ? component : `${component} (${name})`;
    if (!found || expanded.has(key)) {
      rows.push([branch, label, version, "", found ? "(shown above)" : "(not read)"]);
      return;
    }
    expanded.add(key);
    const d = found.descriptor.component;
    rows.push([branch, label, version, provider(d.provider), describeRepository(found.repository)]);
    const childIndent = `${indent}${last ? "   " : "│  "}`;
    found.references.forEach((ref, i) =>
      visit(`${ref.component}:${ref.version}`, ref.name, childIndent, i === found.references.length - 1),
    );
  };
  graph.roots.forEach((root, i) =>
    visit(`${root.component}:${root.version}`, undefined, "", i === graph.roots.length - 1),
  );
  return renderTable(["NESTING", "COMPONENT", "VERSION", "PROVIDER", "REPOSITORY"], rows);
}
