import type { Logger } from "pino";
import { graphSettings, type GraphConfig } from "../core/graph/graph-config";
import { GraphDirectory, type GraphDirectoryOptions } from "../core/graph/graph-directory";
import type { TokenProvider } from "../core/graph/token-provider";

/**
 * The Graph gateway as production runs it, from its settings section: the base URL, the CA, the credential
 * (secret, certificate or managed identity) and both deadlines. The settings are spread whole, so a new
 * setting of the gateway reaches it without a change here.
 */
export function openGraph(config: GraphConfig, log: Logger): { tokenProvider: TokenProvider; directory: GraphDirectory } {
  const settings = graphSettings(config);
  const options: GraphDirectoryOptions = { ...settings, logger: log.child({ component: "graph" }) };
  return { tokenProvider: settings.tokenProvider, directory: new GraphDirectory(options) };
}
