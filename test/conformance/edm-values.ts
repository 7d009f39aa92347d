/** Whether a JSON value has an Edm primitive type, as Graph writes it in JSON (IEEE754Compatible=false). */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$/;
const DURATION = /^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const INTEGER_RANGES: Record<string, [number, number]> = {
  "Edm.Byte": [0, 255],
  "Edm.SByte": [-128, 127],
  "Edm.Int16": [-32768, 32767],
  "Edm.Int32": [-2147483648, 2147483647],
  "Edm.Int64": [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Why the value is not of the primitive type, or undefined when it is (unknown Edm types pass). */
export function primitiveMismatch(type: string, v: unknown): string | undefined {
  const range = INTEGER_RANGES[type];
  if (range) return typeof v === "number" && Number.isInteger(v) && v >= range[0] && v <= range[1] ? undefined : `expected ${type}, got ${show(v)}`;
  switch (type) {
    case "Edm.String":
      return typeof v === "string" ? undefined : `expected Edm.String, got ${show(v)}`;
    case "Edm.Boolean":
      return typeof v === "boolean" ? undefined : `expected Edm.Boolean, got ${show(v)}`;
    case "Edm.Double":
    case "Edm.Single":
    case "Edm.Decimal":
      return typeof v === "number" || v === "NaN" || v === "INF" || v === "-INF" ? undefined : `expected ${type}, got ${show(v)}`;
    case "Edm.Guid":
      return typeof v === "string" && GUID.test(v) ? undefined : `expected Edm.Guid, got ${show(v)}`;
    case "Edm.DateTimeOffset":
      return typeof v === "string" && DATE_TIME_OFFSET.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : `expected Edm.DateTimeOffset, got ${show(v)}`;
    case "Edm.Date":
      return typeof v === "string" && DATE.test(v) ? undefined : `expected Edm.Date, got ${show(v)}`;
    case "Edm.TimeOfDay":
      return typeof v === "string" && TIME_OF_DAY.test(v) ? undefined : `expected Edm.TimeOfDay, got ${show(v)}`;
    case "Edm.Duration":
      return typeof v === "string" && DURATION.test(v) ? undefined : `expected Edm.Duration, got ${show(v)}`;
    case "Edm.Binary":
      return typeof v === "string" && BASE64.test(v) ? undefined : `expected Edm.Binary (base64), got ${show(v)}`;
    default:
      return undefined;
  }
}

/** A short rendering of a value for a violation's detail. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
