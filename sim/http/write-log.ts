import { isGuid } from "../tenant/ids";
import { isJsonObject } from "../tenant/json";
import type { WriteLogEntry, WriteLogPage } from "../types";
import type { SimRequest } from "./request";
import { idFromODataUrl } from "./routes/common";

/** Default number of writes kept. */
export const WRITE_LOG_LIMIT = 10_000;

/**
 * Every write a handler ran, with its status and whether its answer was then lost: what proves a client
 * wrote each thing exactly once under lost answers. A ring of the newest `limit` entries, so memory stays
 * bounded however long a benchmark runs; readers page on with `after`.
 */
export class WriteLog {
  private readonly ring: (WriteLogEntry | undefined)[];
  private next = 0;
  private size = 0;
  private seq = 0;
  private evicted = 0;

  constructor(private readonly limit: number = WRITE_LOG_LIMIT) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error("writeLogLimit must be a positive integer");
    this.ring = new Array(limit);
  }

  /** Records a handled write; the entry is returned so a lost answer can be noted on it. */
  record(req: SimRequest, status: number, inBatch: boolean, writtenId: string | undefined, nowMs: number, changed: boolean): WriteLogEntry {
    const id = writtenId ?? req.segments.find(isGuid)?.toLowerCase();
    const refs = referencedIds(req);
    const entry: WriteLogEntry = {
      seq: ++this.seq,
      at: new Date(nowMs).toISOString(),
      method: req.method,
      path: req.path,
      ...(id !== undefined ? { id } : {}),
      ...(refs.length > 0 ? { refs } : {}),
      status,
      inBatch,
      changed,
    };
    if (this.size === this.limit) this.evicted++;
    else this.size++;
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
    return entry;
  }

  /** The entries held with `seq` above `after`, oldest first. */
  page(after = 0): WriteLogPage {
    const entries: WriteLogEntry[] = [];
    const start = (this.next - this.size + this.limit) % this.limit;
    for (let k = 0; k < this.size; k++) {
      const e = this.ring[(start + k) % this.limit];
      if (e && e.seq > after) entries.push({ ...e, ...(e.refs ? { refs: [...e.refs] } : {}) });
    }
    return { entries, evicted: this.evicted };
  }

  /** Empties the log; `seq` goes on counting, so a reader's cursor stays valid. */
  reset(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
    this.evicted = 0;
  }
}

/** Link targets a write names: `@odata.id` of a `$ref` body, `…@odata.bind` lists, `…/{id}/$ref` in the path. */
function referencedIds(req: SimRequest): string[] {
  const out: string[] = [];
  const body = req.body;
  if (isJsonObject(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (key === "@odata.id" && typeof value === "string") out.push(idFromODataUrl(value).toLowerCase());
      else if (key.endsWith("@odata.bind") && Array.isArray(value)) {
        for (const v of value) if (typeof v === "string") out.push(idFromODataUrl(v).toLowerCase());
      }
    }
  }
  const segs = req.segments;
  const beforeRef = segs.length >= 3 && segs[segs.length - 1]?.toLowerCase() === "$ref" ? segs[segs.length - 2] : undefined;
  if (beforeRef !== undefined && isGuid(beforeRef)) out.push(beforeRef.toLowerCase());
  return out;
}
