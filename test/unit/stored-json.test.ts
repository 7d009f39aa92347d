import { z } from "zod";
import { parseStored } from "../../lib/stored-json";

const Doc = z.object({ id: z.string(), counts: z.object({ users: z.number() }) });

describe("parseStored", () => {
  it("reads JSON text (SQLite) and decoded documents (Cosmos DB) alike", () => {
    const doc = { id: "a", counts: { users: 3 } };
    expect(parseStored(Doc, JSON.stringify(doc), "thing a")).toEqual(doc);
    expect(parseStored(Doc, doc, "thing a")).toEqual(doc);
  });

  it("fails loudly, naming the document and the damaged field", () => {
    expect(() => parseStored(Doc, "{not json", "thing b")).toThrow(/^Stored thing b is not valid JSON: /);
    expect(() => parseStored(Doc, { id: "c", counts: { users: "3" } }, "thing c")).toThrow(/^Stored thing c is malformed: counts\.users: /);
    expect(() => parseStored(Doc, 7, "thing d")).toThrow(/^Stored thing d is malformed: Invalid input/);
  });
});
