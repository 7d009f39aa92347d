import { DirectoryError } from "../../core/model/directory-error";
import { badRequestError } from "../../core/model/errors";
import { newReference, publicFailureText } from "../../core/model/public-failure";

describe("what a chat is told about a failure", () => {
  it("shows Rewind's own refusals and Graph's answers as they are", () => {
    expect(publicFailureText(badRequestError("The option page= has no value."), "r1")).toBe("The option page= has no value.");
    expect(publicFailureText(new DirectoryError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."), "r1")).toBe(
      "Microsoft Graph answered 403 (Authorization_RequestDenied): Insufficient privileges to complete the operation.",
    );
  });

  it("never shows an internal error's text: a socket error's host and an SQL text stay in the log", () => {
    expect(publicFailureText(new DirectoryError(0, "connectionFailed", "Microsoft Graph could not be reached: connect ECONNREFUSED 10.1.2.3:443"), "r2")).toBe(
      "Microsoft Graph could not be reached.",
    );
    const text = publicFailureText(new Error("SQLITE_CORRUPT: database disk image is malformed at /var/lib/rewind/rewind.db"), "ab12cd34");
    expect(text).toBe("Rewind hit an internal error (reference ab12cd34).");
    expect(publicFailureText("a thrown string with a secret", "x")).not.toContain("secret");
  });

  it("makes short references that differ", () => {
    const refs = new Set(Array.from({ length: 50 }, () => newReference()));
    expect(refs.size).toBe(50);
    for (const r of refs) expect(r).toMatch(/^[0-9a-f]{8}$/);
  });
});
