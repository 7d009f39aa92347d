/**
 * The conformance switch: by default (`enforce`) a violation fails the run; `GRAPH_CONFORMANCE=report` only
 * prints them (while finding what a change broke), `off` records nothing.
 */
export type ConformanceMode = "report" | "enforce" | "off";

/** The mode the environment asks for (default: enforce). */
export function conformanceMode(env: NodeJS.ProcessEnv = process.env): ConformanceMode {
  const v = (env["GRAPH_CONFORMANCE"] ?? "").trim().toLowerCase();
  return v === "report" || v === "off" ? v : "enforce";
}

/** The environment variable naming the run folder the jest workers write their tallies to. */
export const RUN_DIR_ENV = "GRAPH_CONFORMANCE_DIR";
