import type { IncomingMessage } from "node:http";

/** A request body read whole, or why it was not. */
export type BodyResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: "too-large" | "aborted" };

/**
 * Reads a request's body into memory, counting bytes as they arrive: past `maxBytes` it stops reading at once
 * (the caller answers 413 and closes the connection), whatever Content-Length said or did not say.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAborted);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        chunks.length = 0;
        settle({ ok: false, reason: "too-large" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => settle({ ok: true, body: Buffer.concat(chunks, size) });
    const onAborted = (): void => settle({ ok: false, reason: "aborted" });
    const onClose = (): void => {
      if (!req.complete) onAborted();
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onAborted);
    req.once("close", onClose);
  });
}
