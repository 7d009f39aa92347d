import { Writable } from "node:stream";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { createLogger } from "../../app/logger";

/** A logger writing into memory, and everything it wrote. */
function capture(): { log: ReturnType<typeof createLogger>; text: () => string; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString("utf8"));
      done();
    },
  });
  const log = createLogger({ level: "info", destination });
  const text = () => chunks.join("");
  return { log, text, lines: () => text().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.c2lnbmF0dXJlLW9mLXRoZS1ib3QtdG9rZW4";
const GRAPH_TOKEN = "EwBwA8l6BAAURSN-opaque-graph-access-token-value";
const COOKIE = "ARRAffinity=3f9a1c0d2b7e";
const CLIENT_SECRET = "Qx~8Q~client-secret-value-0123456789";
const COSMOS_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
const SECRETS = [JWT, GRAPH_TOKEN, "3f9a1c0d2b7e", CLIENT_SECRET, COSMOS_KEY, "c2lnbmF0dXJl"];

describe("log redaction: credentials never reach a log line", () => {
  it("masks a bearer token in an error's nested request headers, as botbuilder's connector client throws them", () => {
    const { log, text, lines } = capture();
    // The connector's HTTP pipeline: a request whose headers collection prints through toJSON.
    const err = Object.assign(new Error("Operation returned an invalid status code 'Unauthorized'"), {
      statusCode: 401,
      request: {
        url: "https://smba.trafficmanager.net/teams/v3/conversations/a%3A1/activities",
        method: "POST",
        headers: createHttpHeaders({ authorization: `Bearer ${JWT}`, cookie: COOKIE, "content-type": "application/json" }),
      },
      response: { status: 401, headers: { "set-cookie": [COOKIE], "www-authenticate": "Bearer" }, bodyAsText: '{"message":"Authorization has been denied"}' },
    });
    log.error({ err, conversationId: "a:1" }, "send to Teams failed");
    // An axios-style error (axios keeps the outgoing request's raw header block and its config).
    const axiosLike = Object.assign(new Error("Request failed with status code 403"), {
      code: "ERR_BAD_REQUEST",
      config: { url: "https://graph.microsoft.com/v1.0/users", headers: { Authorization: `Bearer ${GRAPH_TOKEN}`, Accept: "application/json" } },
      request: { _header: `GET /v1.0/users HTTP/1.1\r\nAccept: application/json\r\nAuthorization: Bearer ${GRAPH_TOKEN}\r\nCookie: ${COOKIE}\r\nHost: graph.microsoft.com\r\n\r\n`, rawHeaders: ["Cookie", COOKIE, "Host", "graph.microsoft.com"] },
    });
    log.warn({ error: { cause: { inner: axiosLike } } }, "graph call failed");
    log.error(axiosLike);

    const out = text();
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    // What helps a reader stays: the status, the message, the URL, harmless headers.
    const first = lines()[0]!;
    expect(first.msg).toBe("send to Teams failed");
    expect(first.err).toMatchObject({ type: "Error", message: "Operation returned an invalid status code 'Unauthorized'", statusCode: 401, request: { method: "POST", headers: { authorization: "[redacted]", cookie: "[redacted]", "content-type": "application/json" } } });
    expect(out).toContain("graph.microsoft.com/v1.0/users");
    expect(out).toContain("Host: graph.microsoft.com");
  });

  it("masks an MSAL token request's client_secret, cookies and a Cosmos key, at any depth and in text", () => {
    const { log, text } = capture();
    // MSAL posts the client credentials form; its network errors carry the request they failed on.
    const msalLike = Object.assign(new Error("network_error: Network request failed"), {
      errorCode: "network_error",
      request: { body: `client_id=0a0a&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret=${CLIENT_SECRET}&grant_type=client_credentials`, headers: { "Content-Type": "application/x-www-form-urlencoded" } },
    });
    log.error({ err: msalLike }, "token request failed");
    log.info({ settings: { store: { cosmos: { endpoint: "https://contoso.documents.azure.com", COSMOS_KEY, masterKey: COSMOS_KEY } } }, clientSecret: CLIENT_SECRET }, "settings");
    log.warn({ detail: `AccountEndpoint=https://contoso.documents.azure.com:443/;AccountKey=${COSMOS_KEY};` }, `cookie was ${"x"} and header Cookie: ${COOKIE}`);
    log.child({ access_token: GRAPH_TOKEN, component: "graph" }).info(`retrying with Bearer ${GRAPH_TOKEN}`);
    log.info({ a: { b: { c: { d: { e: { f: { headers: { Authorization: `Bearer ${JWT}` } } } } } } } }, "deep");

    const out = text();
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain("grant_type=client_credentials");
    expect(out).toContain("https://contoso.documents.azure.com");
    expect(out).toContain('"component":"graph"');
  });

  it("stays small and quick on a huge, deep or circular object", () => {
    const { log, text } = capture();
    const huge = { items: Array.from({ length: 200_000 }, (_, i) => ({ i, token: `t${i}` })) };
    let deep: Record<string, unknown> = { password: "deep-secret" };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    log.info({ huge, deep, circular, long: `Bearer ${"a".repeat(5_000_000)}` }, "big");
    const out = text();
    expect(out.length).toBeLessThan(200_000);
    expect(out).toContain("[circular]");
    expect(out).not.toContain("deep-secret");
  });
});
