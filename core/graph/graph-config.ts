import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_GRAPH_TIMEOUTS } from "./graph-timeouts";
import { MsalTokenProvider, type TokenProvider } from "./token-provider";
import { InvalidSettingsError, parseSettings } from "../model/settings-error";

/** A timeout in whole seconds, 1 to 600. */
const seconds = (defaultMs: number) =>
  z.coerce.number().int("must be a whole number of seconds").min(1, "must be 1 to 600 seconds").max(600, "must be 1 to 600 seconds").default(defaultMs / 1000);

/** The environment settings of the Graph gateway (see .env.sample). */
export const GraphEnvSchema = z
  .object({
    GRAPH_BASE_URL: z.string().url().startsWith("https://", "must be an https URL").default("https://graph.microsoft.com"),
    TENANT_ID: z.string().uuid("must be the tenant's GUID"),
    CLIENT_ID: z.string().uuid("must be the app registration's application (client) id"),
    CLIENT_SECRET: z.string().min(1).optional(),
    CLIENT_CERTIFICATE_THUMBPRINT: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be a SHA-256 thumbprint (64 hex digits)").optional(),
    CLIENT_CERTIFICATE_KEY_FILE: z.string().min(1).optional(),
    GRAPH_CA_FILE: z.string().min(1).optional(),
    AUTHORITY_HOST: z.string().url().default("https://login.microsoftonline.com"),
    GRAPH_TIMEOUT_SECONDS: seconds(DEFAULT_GRAPH_TIMEOUTS.requestMs),
    GRAPH_TOKEN_TIMEOUT_SECONDS: seconds(DEFAULT_GRAPH_TIMEOUTS.tokenMs),
  })
  .refine((e) => Boolean(e.CLIENT_SECRET) !== Boolean(e.CLIENT_CERTIFICATE_THUMBPRINT && e.CLIENT_CERTIFICATE_KEY_FILE), {
    message: "set either CLIENT_SECRET, or both CLIENT_CERTIFICATE_THUMBPRINT and CLIENT_CERTIFICATE_KEY_FILE (not both kinds)",
    path: ["CLIENT_SECRET"],
  });

/** What the gateway needs from configuration: a subset of `GraphDirectoryOptions`, so it can be spread into them. */
export interface GraphSettings {
  readonly baseUrl: string;
  readonly tokenProvider: TokenProvider;
  readonly ca?: string;
  /** GRAPH_TIMEOUT_SECONDS: deadline of one Graph request. */
  readonly requestTimeoutMs: number;
  /** GRAPH_TOKEN_TIMEOUT_SECONDS: deadline of one token acquisition. */
  readonly tokenTimeoutMs: number;
}

/**
 * Reads the Graph settings from an environment. Throws one error naming every missing or invalid setting.
 * Secrets are never part of the message.
 */
export function graphSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): GraphSettings {
  const e = parseSettings(GraphEnvSchema, env, "Microsoft Graph");
  const read = (file: string, what: string): string => {
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      throw new InvalidSettingsError("Microsoft Graph", [`${what}: ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`]);
    }
  };
  const tokenProvider = new MsalTokenProvider({
    tenantId: e.TENANT_ID,
    clientId: e.CLIENT_ID,
    authorityHost: e.AUTHORITY_HOST,
    credential: e.CLIENT_SECRET
      ? { kind: "secret", clientSecret: e.CLIENT_SECRET }
      : {
          kind: "certificate",
          thumbprintSha256: e.CLIENT_CERTIFICATE_THUMBPRINT!,
          privateKey: read(e.CLIENT_CERTIFICATE_KEY_FILE!, "CLIENT_CERTIFICATE_KEY_FILE"),
        },
  });
  return {
    baseUrl: e.GRAPH_BASE_URL,
    tokenProvider,
    ...(e.GRAPH_CA_FILE ? { ca: read(e.GRAPH_CA_FILE, "GRAPH_CA_FILE") } : {}),
    requestTimeoutMs: e.GRAPH_TIMEOUT_SECONDS * 1000,
    tokenTimeoutMs: e.GRAPH_TOKEN_TIMEOUT_SECONDS * 1000,
  };
}
