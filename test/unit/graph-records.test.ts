import { deltaItemRecords, toObjectRecord } from "../../core/graph/graph-records";
import { GraphPageSchema, parseGraph } from "../../core/graph/graph-schemas";
import { toDirectoryError } from "../../core/graph/graph-client";
import { DirectoryError } from "../../core/model/directory-error";
import { GraphError } from "@microsoft/microsoft-graph-client";

describe("what the gateway makes of Graph's answers", () => {
  it("refuses an answer of the wrong shape with a 502 naming where it was wrong", () => {
    const bad = () => parseGraph(GraphPageSchema, { value: [{ id: "a" }, { displayName: "no id" }] }, "users list");
    expect(bad).toThrow(DirectoryError);
    try {
      bad();
    } catch (e) {
      expect((e as DirectoryError).status).toBe(502);
      expect((e as DirectoryError).message).toMatch(/unexpected answer for users list at value\.1/);
    }
    expect(() => parseGraph(GraphPageSchema, { nope: true }, "users list")).toThrow(/users list at value/);
    expect(() => parseGraph(GraphPageSchema, { value: [], "@odata.nextLink": "not a url" }, "x")).toThrow(/nextLink/);
  });

  it("keeps only the catalog's properties, and @odata.type", () => {
    const r = toObjectRecord("namedLocation", {
      id: "n1",
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "HQ",
      ipRanges: [],
      secretSauce: 1,
      "@odata.etag": "x",
    });
    expect(r).toEqual({ kind: "object", type: "namedLocation", id: "n1", properties: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "HQ", ipRanges: [] } });
  });

  it("turns a delta item into removed, object and link records, continuation items into links only", () => {
    const item = {
      id: "g1",
      displayName: "G",
      "members@delta": [
        { "@odata.type": "#microsoft.graph.user", id: "u1" },
        { "@odata.type": "#microsoft.graph.group", id: "g2", "@removed": { reason: "deleted" } },
      ],
    };
    expect([...deltaItemRecords("group", item, true)]).toEqual([
      { kind: "object", type: "group", id: "g1", properties: { displayName: "G" }, partial: true },
      { kind: "links", type: "group", id: "g1", link: "members", targets: [{ id: "u1", kind: "user" }], removed: [{ id: "g2", kind: "group" }] },
    ]);
    expect([...deltaItemRecords("group", { id: "g1", "members@delta": [{ id: "sp", "@odata.type": "#microsoft.graph.servicePrincipal" }] }, false)]).toEqual([
      { kind: "links", type: "group", id: "g1", link: "members", targets: [{ id: "sp", kind: "servicePrincipal" }] },
    ]);
    expect([...deltaItemRecords("user", { id: "u9", "@removed": { reason: "changed" } }, true)]).toEqual([
      { kind: "removed", type: "user", id: "u9", reason: "changed" },
    ]);
    expect(() => [...deltaItemRecords("user", { id: "u9", "@removed": { reason: "vanished" } }, true)]).toThrow(DirectoryError);
    expect(() => [...deltaItemRecords("group", { id: "g", "members@delta": [{ noId: 1 }] }, false)]).toThrow(/members@delta/);
  });

  it("maps the Graph client's errors to typed errors", () => {
    const ge = new GraphError(404, "Resource 'x' does not exist");
    ge.code = "Request_ResourceNotFound";
    expect(toDirectoryError(ge)).toMatchObject({ status: 404, code: "Request_ResourceNotFound", message: "Resource 'x' does not exist" });
    const net = new GraphError(-1, "");
    net.code = "TypeError";
    expect(toDirectoryError(net)).toMatchObject({ status: 0, code: "connectionFailed" });
  });
});
