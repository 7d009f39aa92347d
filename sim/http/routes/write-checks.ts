import { GraphError, badRequest, syncedObject } from "../errors";
import { ODATA_TYPE, type Kind } from "../../tenant/kinds";
import { READ_ONLY, REQUIRED_ON_CREATE, SELECTABLE } from "../../tenant/schema";
import type { JsonObject } from "../../tenant/json";

/** Keys a write body may carry besides properties: OData annotations and write-only inputs. */
const ANNOTATIONS = new Set(["@odata.type", "@odata.context"]);
const WRITE_ONLY: Partial<Record<Kind, ReadonlySet<string>>> = {
  user: new Set(["passwordProfile", "identities"]),
};

/** Splits a write body into properties and `...@odata.bind` arrays, refusing unknown and read-only names. */
export function splitWriteBody(kind: Kind, body: JsonObject, creating: boolean): { props: JsonObject; binds: Record<string, unknown> } {
  const props: JsonObject = {};
  const binds: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.endsWith("@odata.bind")) {
      if (kind !== "group" || !["members@odata.bind", "owners@odata.bind"].includes(k)) {
        throw badRequest(`Property '${k.replace("@odata.bind", "")}' does not exist as a declared navigation property.`);
      }
      binds[k] = v;
      continue;
    }
    if (ANNOTATIONS.has(k)) {
      if (k === "@odata.type" && kind === "namedLocation") props[k] = v;
      continue;
    }
    if (WRITE_ONLY[kind]?.has(k)) continue;
    if (!SELECTABLE[kind].has(k)) {
      throw badRequest(`Property '${k}' does not exist as a declared property or extension property.`);
    }
    if (READ_ONLY[kind].has(k) && !(creating && k === "onPremisesSyncEnabled" && v === null)) {
      throw badRequest(`Property '${k}' is read-only and cannot be set.`);
    }
    props[k] = v;
  }
  return { props, binds };
}

/** Graph refuses property writes on objects mastered on-premises. */
export function checkNotSynced(obj: JsonObject | undefined, props: JsonObject): void {
  if (obj?.["onPremisesSyncEnabled"] === true && Object.keys(props).length > 0) throw syncedObject();
}

/** Required properties of a create. */
export function checkRequired(kind: Kind, props: JsonObject): void {
  for (const p of REQUIRED_ON_CREATE[kind] ?? []) {
    if (props[p] === undefined || props[p] === null) {
      throw new GraphError(400, "Request_BadRequest", `Invalid value specified for property '${p}' of resource '${ODATA_TYPE[kind].replace("#microsoft.graph.", "")}'.`);
    }
  }
}

/** Light type checks: booleans stay booleans, strings stay strings (as compared with the current value). */
export function checkTypes(kind: Kind, current: JsonObject | undefined, props: JsonObject): void {
  for (const [k, v] of Object.entries(props)) {
    const was = current?.[k];
    if (v === null || was === null || was === undefined) continue;
    const same = Array.isArray(was) ? Array.isArray(v) : typeof was === typeof v && Array.isArray(v) === Array.isArray(was);
    if (!same) {
      throw badRequest(`Invalid value specified for property '${k}' of resource '${ODATA_TYPE[kind].replace("#microsoft.graph.", "")}'.`);
    }
  }
}
