import { randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the endpoint answers the next token requests. */
export type IdentityEndpointMode = "token" | "garbage" | "noToken" | "hang";

/** One token request, as the endpoint saw it. */
export interface IdentityRequest {
  readonly resource: string | null;
  readonly clientId: string | null;
  readonly apiVersion: string | null;
  /** Whether the caller sent the secret header the host advertised. */
  readonly headerOk: boolean;
}

/** Writes an answer (not chained: restify, loaded in the same test worker, patches writeHead to return nothing). */
function answer(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}

/** A local App Service identity endpoint (what IDENTITY_ENDPOINT and IDENTITY_HEADER point at on Azure). */
export interface IdentityEndpoint {
  /** IDENTITY_ENDPOINT. */
  readonly url: string;
  /** IDENTITY_HEADER: the secret the caller must echo in X-IDENTITY-HEADER. */
  readonly header: string;
  mode: IdentityEndpointMode;
  readonly requests: IdentityRequest[];
  /** Whether this endpoint issued the token (what the simulator is told to accept). */
  issued(token: string): boolean;
  close(): Promise<void>;
}

/**
 * Plays Azure App Service's managed identity endpoint on 127.0.0.1 (API version 2019-08-01): a GET with the
 * resource, the secret header and, for a user-assigned identity, its client_id, answered with a bearer token
 * that expires in an hour. Other modes answer garbage, a 500 without a token, or never.
 */
export async function startIdentityEndpoint(): Promise<IdentityEndpoint> {
  const header = randomBytes(12).toString("hex");
  const tokens = new Set<string>();
  const requests: IdentityRequest[] = [];
  const hung: ServerResponse[] = [];
  const state = { mode: "token" as IdentityEndpointMode };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headerOk = req.headers["x-identity-header"] === header;
    requests.push({ resource: url.searchParams.get("resource"), clientId: url.searchParams.get("client_id"), apiVersion: url.searchParams.get("api-version"), headerOk });
    if (!headerOk) {
      answer(res, 401, { "content-type": "application/json" }, JSON.stringify({ error: "invalid_request", error_description: "X-IDENTITY-HEADER is missing or wrong" }));
      return;
    }
    switch (state.mode) {
      case "token": {
        const token = `mi-${randomBytes(16).toString("hex")}`;
        tokens.add(token);
        const body = {
          access_token: token,
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          resource: url.searchParams.get("resource"),
          token_type: "Bearer",
          client_id: url.searchParams.get("client_id") ?? "00000000-0000-4000-8000-00000000aaaa",
        };
        answer(res, 200, { "content-type": "application/json" }, JSON.stringify(body));
        return;
      }
      case "garbage":
        answer(res, 200, { "content-type": "text/html" }, "<html><body>502 Bad Gateway</body></html>");
        return;
      case "noToken":
        answer(res, 500, { "content-type": "application/json" }, "{}");
        return;
      case "hang":
        hung.push(res);
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/msi/token`,
    header,
    get mode() {
      return state.mode;
    },
    set mode(mode: IdentityEndpointMode) {
      state.mode = mode;
    },
    requests,
    issued: (token) => tokens.has(token),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
