/** JSON values as the simulator stores and serves them. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Whether a parsed JSON value is a plain object. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const floor = Math.floor;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), by the civil-from-days algorithm. */
function civilDate(days: number): string {
  const z = days + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const d = doy - floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Generated timestamps fall in 2015–2034: their dates come from this table, computed once at load. */
const TABLE_FIRST_DAY = 16436; // 2015-01-01
const DATE_TABLE: readonly string[] = Array.from({ length: 7305 }, (_, i) => civilDate(TABLE_FIRST_DAY + i));

/**
 * ISO-8601 without milliseconds, as Graph prints directory timestamps. Built without `Date`: generated users
 * carry several timestamps and this sits on the hot path of every list page.
 */
export function isoSeconds(ms: number): string {
  const secs = floor(ms / 1000);
  const days = floor(secs / 86400);
  const sod = secs - days * 86400;
  const date = DATE_TABLE[days - TABLE_FIRST_DAY] ?? civilDate(days);
  const hh = floor(sod / 3600);
  const mm = floor((sod - hh * 3600) / 60);
  const ss = sod - hh * 3600 - mm * 60;
  return `${date}T${pad2(hh)}:${pad2(mm)}:${pad2(ss)}Z`;
}
