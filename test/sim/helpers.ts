import { Agent, fetch, type Headers } from "undici";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../sim/index";

/** A Graph JSON body as the tests read it. */
export interface GraphBody {
  value?: Array<Record<string, unknown>>;
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
  error?: { code: string; message: string; innerError?: Record<string, unknown> };
  responses?: Array<{ id: string; status: number; headers: Record<string, string>; body?: GraphBody }>;
  [key: string]: unknown;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: GraphBody;
}

/** A plain HTTPS client that trusts only the simulator's CA (verification stays on). */
export class SimClient {
  readonly agent: Agent;
  readonly base: string;

  constructor(readonly sim: RunningSimulator, private readonly token: string | null = "test-token") {
    this.agent = new Agent({ connect: { ca: sim.ca } });
    this.base = `${sim.url}/v1.0`;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const url = path.startsWith("https://") ? path : path.startsWith("/beta/") || path.startsWith("/_sim/") ? `${this.sim.url}${path}` : `${this.base}${path}`;
    const h: Record<string, string> = { ...headers };
    if (this.token !== null) h["Authorization"] = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      h["Content-Type"] = "application/json";
    }
    const init: Parameters<typeof fetch>[1] = { method, headers: h, dispatcher: this.agent };
    if (payload !== undefined) init.body = payload;
    const r = await fetch(url, init);
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text ? (JSON.parse(text) as GraphBody) : {} };
  }

  get(path: string, headers?: Record<string, string>): Promise<Reply> {
    return this.call("GET", path, undefined, headers);
  }
  post(path: string, body?: unknown): Promise<Reply> {
    return this.call("POST", path, body);
  }
  patch(path: string, body: unknown): Promise<Reply> {
    return this.call("PATCH", path, body);
  }
  put(path: string, body: unknown): Promise<Reply> {
    return this.call("PUT", path, body);
  }
  del(path: string): Promise<Reply> {
    return this.call("DELETE", path);
  }

  /** Every item of a paged list, following `@odata.nextLink`. */
  async all(path: string, headers?: Record<string, string>): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    let next: string | undefined = path;
    while (next) {
      const r = await this.get(next, headers);
      if (r.status !== 200) throw new Error(`${next}: ${r.status} ${JSON.stringify(r.body)}`);
      out.push(...(r.body.value ?? []));
      next = r.body["@odata.nextLink"];
    }
    return out;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export const ADA = "0a0a0a0a-0000-4000-8000-000000000001";
export const BEN = "0a0a0a0a-0000-4000-8000-000000000002";
export const GIL = "0a0a0a0a-0000-4000-8000-000000000003";
export const RITA = "0a0a0a0a-0000-4000-8000-000000000004";
export const NORA = "0a0a0a0a-0000-4000-8000-000000000005";

export function ids(items: ReadonlyArray<Record<string, unknown>>): string[] {
  return items.map((i) => String(i["id"]));
}

/**
 * Starts a simulator (and a client trusting its CA) before the suite's tests and stops both after.
 * `use` receives them once started.
 */
export function withSimulator(opts: SimulatorOptions, use: (sim: RunningSimulator, client: SimClient) => void): void {
  let sim: RunningSimulator | undefined;
  let client: SimClient | undefined;
  beforeAll(async () => {
    sim = await startSimulator(opts);
    client = new SimClient(sim);
    use(sim, client);
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
  });
}
