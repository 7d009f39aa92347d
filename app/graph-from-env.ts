import type { Logger } from "pino";
import { graphSettingsFromEnv, type GraphSettings } from "../core/graph/graph-config";
import { GraphDirectory, type GraphDirectoryOptions } from "../core/graph/graph-directory";

/**
 * The Graph gateway as production runs it: every Graph setting of the environment applied (the base URL, the
 * CA, the credentials and both deadlines), so none is read and then forgotten. The settings are spread whole,
 * so a new setting of the gateway reaches it without a change here.
 */
export function graphFromEnv(env: Readonly<Record<string, string | undefined>>, log: Logger): { settings: GraphSettings; directory: GraphDirectory } {
  const settings = graphSettingsFromEnv(env);
  const options: GraphDirectoryOptions = { ...settings, logger: log.child({ component: "graph" }) };
  return { settings, directory: new GraphDirectory(options) };
}

