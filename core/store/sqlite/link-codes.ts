import { LINK_NAMES, type LinkName } from "../../model/catalog";

/**
 * Link names as small integers in backup rows: a row per (object, link) per backup, so one byte instead of
 * a name counts. The codes are stored on disk: never renumber one, only add.
 */
const LINK_CODES: Readonly<Record<LinkName, number>> = { members: 1, owners: 2, manager: 3, sponsors: 4 };

const BY_CODE: ReadonlyMap<number, LinkName> = new Map(LINK_NAMES.map((name) => [LINK_CODES[name], name]));

/** The stored code of a link name; refuses names outside the catalog. */
export function linkCode(name: LinkName): number {
  const code = (LINK_CODES as Readonly<Record<string, number>>)[name];
  if (code === undefined) throw new TypeError(`Unknown link "${String(name)}"; expected one of ${LINK_NAMES.join(", ")}.`);
  return code;
}

/** The link name of a stored code; a code this version does not know means a newer or damaged file. */
export function linkName(code: number): LinkName {
  const name = BY_CODE.get(code);
  if (name === undefined) throw new Error(`Stored link code ${code} is unknown to this version.`);
  return name;
}
