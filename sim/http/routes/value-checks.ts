import { complexType, enumType, isComplexSubtype, type GraphProperty } from "../../tenant/graph-model";
import { isJsonObject } from "../../tenant/json";
import { isGuid } from "../../tenant/ids";

/** Why a value does not fit its declared type, in the OData reader's words. */
export interface ValueProblem {
  message: string;
}

const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const DURATION = /^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INTEGER_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  "Edm.Byte": [0, 255],
  "Edm.SByte": [-128, 127],
  "Edm.Int16": [-32768, 32767],
  "Edm.Int32": [-2147483648, 2147483647],
  "Edm.Int64": [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The literal as the OData reader quotes it in its errors (a JSON `true` reads back as `True`). */
function literal(v: unknown): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  return typeof v === "string" ? v : JSON.stringify(v);
}

const cannotConvert = (v: unknown, type: string): ValueProblem => ({ message: `Cannot convert the literal '${literal(v)}' to the expected type '${type}'.` });

const nodeKind = (v: unknown): string => (Array.isArray(v) ? "StartArray" : isJsonObject(v) ? "StartObject" : "PrimitiveValue");

const unexpectedNode = (v: unknown, expected: "StartObject" | "StartArray"): ValueProblem => ({
  message: `An unexpected '${nodeKind(v)}' node was found when reading from the JSON reader. A '${expected}' node was expected.`,
});

/** Whether a JSON value is a valid literal of the Edm primitive `type` (types the model does not know pass). */
function primitiveFits(type: string, v: unknown): boolean {
  const range = INTEGER_RANGE[type];
  if (range) return typeof v === "number" && Number.isInteger(v) && v >= range[0] && v <= range[1];
  switch (type) {
    case "Edm.String":
      return typeof v === "string";
    case "Edm.Boolean":
      return typeof v === "boolean";
    case "Edm.Double":
    case "Edm.Single":
    case "Edm.Decimal":
      return typeof v === "number" || v === "NaN" || v === "INF" || v === "-INF";
    case "Edm.Guid":
      return typeof v === "string" && isGuid(v);
    case "Edm.DateTimeOffset":
      return typeof v === "string" && DATE_TIME_OFFSET.test(v) && !Number.isNaN(Date.parse(v));
    case "Edm.Date":
      return typeof v === "string" && DATE.test(v) && !Number.isNaN(Date.parse(v));
    case "Edm.TimeOfDay":
      return typeof v === "string" && TIME_OF_DAY.test(v);
    case "Edm.Duration":
      return typeof v === "string" && DURATION.test(v);
    case "Edm.Binary":
      return typeof v === "string" && BASE64.test(v);
    default:
      return true;
  }
}

/** A value against a type that is not a collection: primitive, enum or complex. */
function checkSingle(type: string, v: unknown): ValueProblem | undefined {
  if (type.startsWith("Edm.")) return primitiveFits(type, v) ? undefined : cannotConvert(v, type);
  const e = enumType(type);
  if (e) {
    if (typeof v !== "string") return cannotConvert(v, `microsoft.graph.${type}`);
    const parts = e.flags ? v.split(",").map((s) => s.trim()) : [v];
    const bad = parts.find((p) => !e.members.includes(p));
    return bad === undefined ? undefined : { message: `Requested value '${bad}' was not found.` };
  }
  const c = complexType(type);
  if (!c) return undefined; // a type of another namespace: not modeled, not checked
  if (!isJsonObject(v)) return unexpectedNode(v, "StartObject");
  let actual = type;
  let props = c.props;
  let open = c.open;
  const cast = v["@odata.type"];
  if (typeof cast === "string") {
    const short = cast.replace(/^#?microsoft\.graph\./, "");
    const sub = complexType(short);
    if (!sub || !isComplexSubtype(short, type)) {
      return { message: `A type named '${cast.replace(/^#/, "")}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.` };
    }
    actual = short;
    props = sub.props;
    open = sub.open;
  }
  for (const [k, inner] of Object.entries(v)) {
    if (k.includes("@")) continue;
    const p = props[k];
    if (!p) {
      if (open) continue;
      return { message: `The property '${k}' does not exist on type 'microsoft.graph.${actual}'. Make sure to only use property names that are defined by the type or mark the type as open type.` };
    }
    const problem = checkValue(k, p, inner);
    if (problem) return problem;
  }
  return undefined;
}

function typeText(p: GraphProperty): string {
  const base = p.type.startsWith("Edm.") ? p.type : `microsoft.graph.${p.type}`;
  return p.collection ? `Collection(${base})` : base;
}

/**
 * Whether `v` fits the declared property `p` (named `name`): nullability, collection, then each value's type.
 * Returns the OData reader's complaint, or undefined when it fits.
 */
export function checkValue(name: string, p: GraphProperty, v: unknown): ValueProblem | undefined {
  if (v === null) {
    if (p.nullable) return undefined;
    const t = `${typeText(p)}[Nullable=False]`;
    return { message: `A null value was found for the property named '${name}', which has the expected type '${t}'. The expected type '${t}' does not allow null values.` };
  }
  if (p.collection) {
    if (!Array.isArray(v)) return unexpectedNode(v, "StartArray");
    for (const item of v) {
      if (item === null) continue;
      const problem = checkSingle(p.type, item);
      if (problem) return problem;
    }
    return undefined;
  }
  return checkSingle(p.type, v);
}
