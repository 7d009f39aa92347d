import { GraphError, badRequestCode, syncedObject } from "../errors";
import { ODATA_TYPE, type Kind } from "../../tenant/kinds";
import { ENTITY_TYPES, NAVIGATION, READ_ONLY, REQUIRED_ON_CREATE, SELECTABLE, typeProperties } from "../../tenant/schema";
import { entityType } from "../../tenant/graph-model";
import { checkValue, type ValueProblem } from "./value-checks";
import type { JsonObject } from "../../tenant/json";

/** Keys a write body may carry besides properties: OData annotations. */
const ANNOTATIONS = new Set(["@odata.type", "@odata.context"]);
/** Properties Graph accepts in a write but the simulator does not keep (they are never read back). */
const WRITE_ONLY: Partial<Record<Kind, ReadonlySet<string>>> = {
  user: new Set(["passwordProfile", "identities"]),
};

/** The refusal of a write on `kind`, with the code its service answers (directory: `Request_BadRequest`). */
function refuse(kind: Kind, message: string): GraphError {
  return new GraphError(400, badRequestCode(ODATA_TYPE[kind]), message);
}

/**
 * Conditional Access answers a body that does not match its schema with one message whatever the fault
 * (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4162).
 */
const CA_SCHEMA_MISMATCH =
  "1007: Incoming ConditionalAccessPolicy object is null or does not match the schema of ConditionalAccessPolicy type. For examples, please see API documentation at https://docs.microsoft.com/en-us/graph/api/conditionalaccessroot-post-policies?view=graph-rest-1.0.";

/**
 * A value of the wrong type. The directory answers with the OData reader's text under `Request_BadRequest`
 * ("Cannot convert the literal 'True' to the expected type 'Edm.String'.":
 * https://github.com/microsoftgraph/msgraph-sdk-powershell/issues/3202); Conditional Access with its 1007.
 */
function typeError(kind: Kind, problem: ValueProblem): GraphError {
  return refuse(kind, kind === "conditionalAccessPolicy" ? CA_SCHEMA_MISMATCH : problem.message);
}

/**
 * The schema type a write on `kind` targets: named locations by the `@odata.type` of the body, else of the
 * stored object (a create without one is refused later, with Graph's message).
 */
function targetType(kind: Kind, body: JsonObject, current: JsonObject | undefined): string {
  const [base, ...derived] = ENTITY_TYPES[kind];
  const named = body["@odata.type"] ?? current?.["@odata.type"];
  const short = typeof named === "string" ? named.replace(/^#?microsoft\.graph\./, "") : undefined;
  return short !== undefined && derived.includes(short) ? short : base ?? kind;
}

/**
 * Splits a write body into properties and `...@odata.bind` arrays, refusing what Graph refuses: a navigation
 * property given as a value, an unknown or read-only property, and a value not of its declared type (Edm
 * primitives, enum members, complex types, collections, nullability), all from Graph v1.0's schema.
 */
export function splitWriteBody(
  kind: Kind,
  body: JsonObject,
  creating: boolean,
  current?: JsonObject,
): { props: JsonObject; binds: Record<string, unknown> } {
  const props: JsonObject = {};
  const binds: Record<string, unknown> = {};
  const typeName = targetType(kind, body, current);
  const declared = typeProperties(typeName);
  for (const [k, v] of Object.entries(body)) {
    if (k.endsWith("@odata.bind")) {
      const nav = k.slice(0, -"@odata.bind".length);
      if (kind !== "group" || !["members", "owners"].includes(nav)) {
        throw refuse(kind, `Property '${nav}' does not exist as a declared navigation property.`);
      }
      binds[k] = v;
      continue;
    }
    if (ANNOTATIONS.has(k)) {
      if (k === "@odata.type" && kind === "namedLocation") props[k] = v;
      continue;
    }
    if (k.includes("@")) continue; // an instance annotation of a property (`x@odata.type`)
    if (NAVIGATION[kind].has(k)) {
      throw refuse(kind, `Property '${k}' is a navigation property: it is written with '${k}@odata.bind' or a $ref request, not as a value.`);
    }
    const prop = declared[k];
    if (!prop || !SELECTABLE[kind].has(k)) {
      // Open types (the directory's) pass unknown names on to the directory, which names extension properties;
      // a closed type is refused by the OData reader itself.
      throw entityType(typeName).open
        ? refuse(kind, `Property '${k}' does not exist as a declared property or extension property.`)
        : refuse(kind, `The property '${k}' does not exist on type 'microsoft.graph.${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    if (READ_ONLY[kind].has(k) && !(creating && k === "onPremisesSyncEnabled" && v === null)) {
      throw refuse(kind, `Property '${k}' is read-only and cannot be set.`);
    }
    const problem = checkValue(k, prop, v);
    if (problem) throw typeError(kind, problem);
    if (WRITE_ONLY[kind]?.has(k)) continue;
    props[k] = v;
  }
  return { props, binds };
}

/** A directory singleton's property value (the authorization policy's) against its schema type. */
export function checkDeclaredValue(typeName: string, name: string, v: unknown): void {
  const prop = typeProperties(typeName)[name];
  const problem = prop ? checkValue(name, prop, v) : undefined;
  if (problem) throw new GraphError(400, badRequestCode(`microsoft.graph.${typeName}`), problem.message);
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
