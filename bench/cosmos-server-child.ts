/**
 * The Cosmos DB test server (@vercel/cosmosdb-server, in memory, HTTPS with its bundled self-signed
 * certificate) on 127.0.0.1, alone in its own process, so the store's timings in the worker are not shared
 * with the server's work on one event loop. Reports its endpoint, and its resident memory when asked.
 */
import type { AddressInfo } from "node:net";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { makeEmulatorQueriesLinear } from "../scripts/cosmos-emulator/linear-emulator-queries";

export interface CosmosServerConnection {
  readonly endpoint: string;
  readonly pid: number;
}

async function main(): Promise<void> {
  // Without this, every query copies the container n²/2 times: paging 100,000 changes would take days.
  makeEmulatorQueriesLinear();
  const server = createHttpsServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.send?.({ endpoint, pid: process.pid } satisfies CosmosServerConnection);
  const stop = (): void => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
