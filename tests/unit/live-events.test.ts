import { describe, expect, it } from "vitest";
import {
  changeFor,
  mayUsePresence,
  parseChange,
  parsePresence,
  presencePayload,
  presenceText,
  type ChangeNotice,
} from "@/lib/live/events";

// Who receives which live update (docs/decisions/028-live-updates.md): derived from the
// permission table's scopes, like the reads.

const note: ChangeNotice = {
  kind: "comment",
  ticketId: "t1",
  number: 7,
  requesterId: "req",
  public: false,
};
const reply: ChangeNotice = { ...note, public: true };

describe("live update scoping", () => {
  it("gives staff every change, as IDs and the kind only", () => {
    for (const role of ["ADMIN", "TECHNICIAN"] as const) {
      expect(changeFor({ id: "s", role }, note)).toEqual({
        kind: "comment",
        ticketId: "t1",
        number: 7,
      });
    }
  });

  it("gives a requester only their own tickets' public changes", () => {
    expect(changeFor({ id: "req", role: "USER" }, reply)).not.toBeNull();
    expect(changeFor({ id: "req", role: "USER" }, note)).toBeNull();
    expect(changeFor({ id: "other", role: "USER" }, reply)).toBeNull();
  });

  it("keeps presence to staff", () => {
    expect(mayUsePresence("TECHNICIAN")).toBe(true);
    expect(mayUsePresence("ADMIN")).toBe(true);
    expect(mayUsePresence("USER")).toBe(false);
  });

  it("reads only well-formed notices", () => {
    expect(parseChange('{"k":"comment","t":"t1","n":7,"r":"req","p":false}')).toEqual(note);
    expect(parseChange('{"k":"drop table","t":"t1","n":7,"r":"req","p":true}')).toBeNull();
    expect(parseChange("not json")).toBeNull();
    const p = { ticketId: "t1", userId: "u1", name: "Ada", state: "replying" } as const;
    expect(parsePresence(presencePayload(p))).toEqual(p);
    expect(parsePresence('{"t":"t1","u":"u1","name":"Ada","s":"shouting"}')).toBeNull();
  });

  it("says who is replying first", () => {
    expect(
      presenceText([
        { userId: "b", name: "Ben", state: "viewing" },
        { userId: "a", name: "Ada", state: "replying" },
      ]),
    ).toEqual(["Ada is replying…", "Ben is viewing"]);
  });
});
