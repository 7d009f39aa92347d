/** The conformance switch: `GRAPH_CONFORMANCE=enforce` fails the run on a violation, `off` records nothing, else report. */
export type ConformanceMode = "report" | "enforce" | "off";

/** The mode the environment asks for (default: report). */
export function conformanceMode(env: NodeJS.ProcessEnv = process.env): ConformanceMode {
  const v = (env["GRAPH_CONFORMANCE"] ?? "").trim().toLowerCase();
  return v === "enforce" || v === "off" ? v : "report";
}

/** The environment variable naming the run folder the jest workers write their tallies to. */
export const RUN_DIR_ENV = "GRAPH_CONFORMANCE_DIR";
