import { OBJECT_TYPES, type ObjectType } from "../../model/catalog";

const KNOWN: ReadonlySet<string> = new Set(OBJECT_TYPES);

/** Refuses a type outside the catalog before it reaches a row: such an object could never be read back in order. */
export function checkObjectType(type: ObjectType): ObjectType {
  if (!KNOWN.has(type)) throw new TypeError(`Unknown object type "${String(type)}"; expected one of ${OBJECT_TYPES.join(", ")}.`);
  return type;
}
