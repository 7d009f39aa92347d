/**
 * CSDL as fast-xml-parser's ordered tree, so a filtered copy can be written back in the original order.
 * Each node is `{ <tag>: Node[], ":@"?: attributes }` (text nodes hold "#text"; CSDL has none that matter).
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";

/** One element of the ordered tree. */
export type XmlNode = { [tag: string]: XmlNode[] | Record<string, string> | string | undefined } & { ":@"?: Record<string, string> };

const OPTIONS = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", parseAttributeValue: false, parseTagValue: false, trimValues: true } as const;

/** Parses an XML document into the ordered tree. */
export function parseXml(xml: string): XmlNode[] {
  return new XMLParser(OPTIONS).parse(xml) as XmlNode[];
}

/** Writes the ordered tree back as indented XML (empty elements self-closed), ending in a newline. */
export function buildXml(nodes: XmlNode[]): string {
  const out = new XMLBuilder({ ...OPTIONS, format: true, indentBy: "  ", suppressEmptyNode: true }).build(nodes) as string;
  return out.endsWith("\n") ? out : `${out}\n`;
}

/** The element's tag name. */
export function tagOf(n: XmlNode): string {
  return Object.keys(n).find((k) => k !== ":@") ?? "";
}

/** The element's attributes ({} when none). */
export function attrsOf(n: XmlNode): Record<string, string> {
  return n[":@"] ?? {};
}

/** One attribute, or undefined. */
export function attr(n: XmlNode, name: string): string | undefined {
  return attrsOf(n)[name];
}

/** The element's child elements. */
export function childrenOf(n: XmlNode): XmlNode[] {
  const c = n[tagOf(n)];
  return Array.isArray(c) ? c : [];
}

/** A copy of the element with other children (same tag and attributes). */
export function withChildren(n: XmlNode, children: XmlNode[]): XmlNode {
  const copy: XmlNode = { [tagOf(n)]: children };
  if (n[":@"]) copy[":@"] = n[":@"];
  return copy;
}

/** The first child element with this tag, depth-first along the given tag path. */
export function findPath(nodes: XmlNode[], tags: string[]): XmlNode | undefined {
  let level = nodes;
  let found: XmlNode | undefined;
  for (const t of tags) {
    found = level.find((n) => tagOf(n) === t);
    if (!found) return undefined;
    level = childrenOf(found);
  }
  return found;
}
