import { readFileSync } from "node:fs";
import { z } from "zod";
import type { GraphConfig, GraphCredential } from "../../core/graph/graph-config";
import { DEFAULT_GRAPH_TIMEOUTS } from "../../core/graph/graph-timeouts";
import { acrossSettings, guid } from "./env-fields";
import type { TenantSettings } from "./tenant-env";

/** A timeout in whole seconds, 1 to 600. */
const seconds = (defaultMs: number) =>
  z.coerce.number().int("must be a whole number of seconds").min(1, "must be 1 to 600 seconds").max(600, "must be 1 to 600 seconds").default(defaultMs / 1000);

/** GRAPH_CREDENTIAL's values: how Rewind signs in to Graph. */
const GRAPH_CREDENTIAL_KINDS = ["secret", "certificate", "managedIdentity"] as const;

const Fields = z.object({
  GRAPH_BASE_URL: z.string().url().startsWith("https://", "must be an https URL").default("https://graph.microsoft.com"),
  /** secret, certificate or managedIdentity; unset, it follows from which credential settings are set. */
  GRAPH_CREDENTIAL: z.enum(GRAPH_CREDENTIAL_KINDS, { message: "must be secret, certificate or managedIdentity" }).optional(),
  CLIENT_ID: guid("must be the app registration's application (client) id").optional(),
  CLIENT_SECRET: z.string().min(1).optional(),
  CLIENT_CERTIFICATE_THUMBPRINT: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be a SHA-256 thumbprint (64 hex digits)").optional(),
  CLIENT_CERTIFICATE_KEY_FILE: z.string().min(1).optional(),
  GRAPH_MANAGED_IDENTITY_CLIENT_ID: guid("must be the user-assigned managed identity's client id").optional(),
  GRAPH_CA_FILE: z.string().min(1).optional(),
  AUTHORITY_HOST: z.string().url().default("https://login.microsoftonline.com"),
  GRAPH_TIMEOUT_SECONDS: seconds(DEFAULT_GRAPH_TIMEOUTS.requestMs),
  GRAPH_TOKEN_TIMEOUT_SECONDS: seconds(DEFAULT_GRAPH_TIMEOUTS.tokenMs),
});
type Fields = z.output<typeof Fields>;
type Kind = (typeof GRAPH_CREDENTIAL_KINDS)[number];

/** The credential the settings ask for: GRAPH_CREDENTIAL, else whichever credential settings are set (undefined: none, or two kinds). */
function kindOf(e: Partial<Fields>): Kind | undefined {
  if (e.GRAPH_CREDENTIAL) return e.GRAPH_CREDENTIAL;
  const given: Kind[] = [];
  if (e.CLIENT_SECRET) given.push("secret");
  if (e.CLIENT_CERTIFICATE_THUMBPRINT || e.CLIENT_CERTIFICATE_KEY_FILE) given.push("certificate");
  if (e.GRAPH_MANAGED_IDENTITY_CLIENT_ID) given.push("managedIdentity");
  return given.length === 1 ? given[0] : undefined;
}

const EITHER = "set either CLIENT_SECRET, or both CLIENT_CERTIFICATE_THUMBPRINT and CLIENT_CERTIFICATE_KEY_FILE, or GRAPH_CREDENTIAL=managedIdentity";

/** The Graph section's settings (see .env.sample): where Graph is, how to sign in, and the deadlines. */
export const GraphEnv = Fields.superRefine(
  ...acrossSettings<Fields>((e, valid, problem) => {
    if (!valid("GRAPH_CREDENTIAL")) return;
    const kind = kindOf(e);
    if (kind === undefined) {
      const some = Boolean(e.CLIENT_SECRET || e.CLIENT_CERTIFICATE_THUMBPRINT || e.CLIENT_CERTIFICATE_KEY_FILE || e.GRAPH_MANAGED_IDENTITY_CLIENT_ID);
      problem("CLIENT_SECRET", some ? `${EITHER} (one kind only, or name it in GRAPH_CREDENTIAL)` : EITHER);
      return;
    }
    const notWith = (name: keyof Fields & string, why: string): void => {
      if (e[name] !== undefined) problem(name, `must be empty with GRAPH_CREDENTIAL=${kind} (${why})`);
    };
    if (kind === "managedIdentity") {
      const why = "the managed identity has no secret";
      notWith("CLIENT_SECRET", why);
      notWith("CLIENT_CERTIFICATE_THUMBPRINT", why);
      notWith("CLIENT_CERTIFICATE_KEY_FILE", why);
      notWith("CLIENT_ID", "a user-assigned identity's client id goes in GRAPH_MANAGED_IDENTITY_CLIENT_ID");
      return;
    }
    if (e.CLIENT_ID === undefined && valid("CLIENT_ID")) problem("CLIENT_ID", "is not set");
    notWith("GRAPH_MANAGED_IDENTITY_CLIENT_ID", "it is for GRAPH_CREDENTIAL=managedIdentity");
    if (kind === "secret") {
      if (!e.CLIENT_SECRET) problem("CLIENT_SECRET", "is not set");
      notWith("CLIENT_CERTIFICATE_THUMBPRINT", "one kind of credential only");
      notWith("CLIENT_CERTIFICATE_KEY_FILE", "one kind of credential only");
    } else {
      if (e.CLIENT_CERTIFICATE_THUMBPRINT === undefined && valid("CLIENT_CERTIFICATE_THUMBPRINT")) problem("CLIENT_CERTIFICATE_THUMBPRINT", "is not set");
      if (!e.CLIENT_CERTIFICATE_KEY_FILE) problem("CLIENT_CERTIFICATE_KEY_FILE", "is not set");
      notWith("CLIENT_SECRET", "one kind of credential only");
    }
  }),
).transform((e, refinement) => {
  // The files are read here, so an unreadable one is a settings problem like any other.
  const read = (name: "CLIENT_CERTIFICATE_KEY_FILE" | "GRAPH_CA_FILE"): string => {
    const file = e[name]!;
    try {
      return readFileSync(file, "utf8");
    } catch (err) {
      refinement.addIssue({ code: "custom", path: [name], message: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})` });
      return "";
    }
  };
  return {
    ...e,
    kind: kindOf(e)!,
    privateKey: e.CLIENT_CERTIFICATE_KEY_FILE !== undefined ? read("CLIENT_CERTIFICATE_KEY_FILE") : undefined,
    ca: e.GRAPH_CA_FILE !== undefined ? read("GRAPH_CA_FILE") : undefined,
  };
});

/** The Graph section of parsed settings, signed in for the tenant. */
export function graphSection(e: z.output<typeof GraphEnv>, tenant: TenantSettings): GraphConfig {
  const app = { tenantId: tenant.id, clientId: e.CLIENT_ID!, authorityHost: e.AUTHORITY_HOST };
  const credential: GraphCredential =
    e.kind === "managedIdentity"
      ? { kind: "managedIdentity", ...(e.GRAPH_MANAGED_IDENTITY_CLIENT_ID ? { userAssignedClientId: e.GRAPH_MANAGED_IDENTITY_CLIENT_ID } : {}) }
      : e.kind === "secret"
        ? { kind: "secret", ...app, clientSecret: e.CLIENT_SECRET! }
        : { kind: "certificate", ...app, thumbprintSha256: e.CLIENT_CERTIFICATE_THUMBPRINT!, privateKey: e.privateKey! };
  return {
    baseUrl: e.GRAPH_BASE_URL,
    credential,
    ...(e.ca !== undefined ? { ca: e.ca } : {}),
    requestTimeoutMs: e.GRAPH_TIMEOUT_SECONDS * 1000,
    tokenTimeoutMs: e.GRAPH_TOKEN_TIMEOUT_SECONDS * 1000,
  };
}

/** Every setting name this section reads. */
export const GRAPH_SETTING_NAMES = Object.keys(Fields.shape);
