/**
 * The kinds of directory object the simulator serves, with the numeric code each one carries inside its
 * GUID (so an id maps back to its kind and index in O(1)) and its OData type name.
 */

export const KINDS = [
  "user",
  "group",
  "application",
  "servicePrincipal",
  "conditionalAccessPolicy",
  "namedLocation",
  "directoryRole",
] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds that live under `/directory/deletedItems` when deleted (groups: not distribution lists or mail-enabled security groups). */
export const SOFT_DELETABLE: ReadonlySet<Kind> = new Set<Kind>(["user", "group", "application", "servicePrincipal"]);

/** Kinds that live under `/identity/conditionalAccess/deletedItems/<collection>` when deleted. */
export const CA_SOFT_DELETABLE: ReadonlySet<Kind> = new Set<Kind>(["conditionalAccessPolicy", "namedLocation"]);

/** Kinds that can be members or owners (directory objects with a membership). */
export const MEMBER_KINDS: ReadonlySet<Kind> = new Set<Kind>(["user", "group", "servicePrincipal"]);

/** The code of each kind inside generated GUIDs; `appId` is the id space of application (client) ids. */
export const KIND_CODE: Readonly<Record<Kind | "appId" | "tenant", number>> = {
  user: 0x0001,
  group: 0x0002,
  application: 0x0003,
  servicePrincipal: 0x0004,
  conditionalAccessPolicy: 0x0005,
  namedLocation: 0x0006,
  directoryRole: 0x0007,
  appId: 0x0008,
  tenant: 0x0009,
};

export const KIND_BY_CODE: ReadonlyMap<number, Kind> = new Map(KINDS.map((k) => [KIND_CODE[k], k]));

/** The `@odata.type` of each kind (named locations override it per object). */
export const ODATA_TYPE: Readonly<Record<Kind, string>> = {
  user: "#microsoft.graph.user",
  group: "#microsoft.graph.group",
  application: "#microsoft.graph.application",
  servicePrincipal: "#microsoft.graph.servicePrincipal",
  conditionalAccessPolicy: "#microsoft.graph.conditionalAccessPolicy",
  namedLocation: "#microsoft.graph.namedLocation",
  directoryRole: "#microsoft.graph.directoryRole",
};

/**
 * A reference to one object as a single number (kind code × 2^36 + index): membership lists of millions of
 * entries stay cheap to compute and compare.
 */
export type Ref = number;

const REF_SPAN = 2 ** 36;

export function makeRef(kind: Kind, index: number): Ref {
  return KIND_CODE[kind] * REF_SPAN + index;
}

export function refKind(ref: Ref): Kind {
  const k = KIND_BY_CODE.get(Math.floor(ref / REF_SPAN));
  if (k === undefined) throw new Error(`bad ref ${ref}`);
  return k;
}

export function refIndex(ref: Ref): number {
  return ref % REF_SPAN;
}
