import type { Client } from "@microsoft/microsoft-graph-client";
import { deletedItemPath, type LinkName, type ObjectType } from "../model/catalog";
import { DirectoryError } from "../model/directory-error";
import type { ObjectWrite } from "../ports";
import { graphCall } from "./graph-client";
import { objectPath } from "./graph-records";
import type { GraphReader } from "./graph-reader";

/**
 * The reads that tell whether a write whose answer was lost landed. Each answers for the state it sees: a
 * write someone else made meanwhile counts as landed, which is what the caller wanted anyway.
 */
export class WriteVerifier {
  constructor(
    private readonly client: Client,
    private readonly reader: Pick<GraphReader, "getLinkTargets">,
  ) {}

  /** A restore landed when the object is live again, or no longer in its deleted items (the live read may lag behind). */
  async restored(type: ObjectType, id: string): Promise<boolean> {
    if (await this.exists(`${objectPath(type, id)}?$select=id`)) return true;
    const deleted = deletedItemPath(type, id);
    return deleted === null || !(await this.exists(`${deleted}?$select=id`));
  }

  /** A (soft) delete landed when the object is no longer live. */
  async deleted(type: ObjectType, id: string): Promise<boolean> {
    return !(await this.exists(`${objectPath(type, id)}?$select=id`));
  }

  /** Ids (lower case) an object's link holds now; null when the object is not live. */
  async linked(type: ObjectType, id: string, link: LinkName): Promise<ReadonlySet<string> | null> {
    const targets = await this.reader.getLinkTargets(type, id, link);
    return targets === null ? null : new Set(targets.map((t) => t.toLowerCase()));
  }

  /** Whether each object write landed (an update is safe to resend, so it is never asked about). */
  objectWrites(writes: readonly ObjectWrite[]): Promise<Array<boolean | Error>> {
    return Promise.all(
      writes.map((w) => {
        const check = w.op === "restore" ? this.restored(w.type, w.id) : w.op === "softDelete" ? this.deleted(w.type, w.id) : Promise.reject(new Error("an update is not checked"));
        return check.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
      }),
    );
  }

  /** Whether a GET finds something (200) or not (404); any other failure is thrown. */
  private async exists(url: string): Promise<boolean> {
    try {
      await graphCall(() => this.client.api(url).get());
      return true;
    } catch (err) {
      if (err instanceof DirectoryError && err.status === 404) return false;
      throw err;
    }
  }
}
