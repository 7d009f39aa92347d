import { GraphError } from "./errors";

/** Splits `/v1.0/users/x` into version and decoded segments (a bad escape is a 400). */
export function splitPath(pathname: string): { version: string; segments: string[] } {
  const parts = pathname.split("/").filter((s) => s.length > 0);
  const segments: string[] = [];
  for (const p of parts.slice(1)) {
    try {
      segments.push(decodeURIComponent(p));
    } catch {
      throw new GraphError(400, "BadRequest", `Invalid URL segment '${p}'.`);
    }
  }
  return { version: parts[0] ?? "", segments };
}
