import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { ServiceContext } from "@/lib/service-context";
import { addInternalNote, addReply } from "@/lib/tickets/comments";
import {
  SNIPPET_END,
  SNIPPET_START,
  findVisibleTicketNumber,
  listTickets,
  plainSnippet,
  splitIdentifiers,
  ticketNumberIn,
} from "@/lib/tickets/search";
import { makeActor, makeCategory, uniqueSuffix } from "@/tests/support/factories";
import { newTicket } from "@/tests/support/tickets";

// What technicians type into the search box: identifiers with _ . \ /, a requester's name or
// email, a ticket number. Every assertion is about tickets this file created (shared database).
const tag = uniqueSuffix()
  .replace(/[^a-z0-9]/g, "")
  .slice(-8);

let requester: ServiceContext;
let other: ServiceContext;
let tech: ServiceContext;
let cat: string;
let file: { id: string; number: number };
let path: { id: string; number: number };
let hex: { id: string; number: number };
let noted: { id: string; number: number };

const numbers = async (viewer: ServiceContext, q: string) =>
  (await listTickets(viewer.actor, { q, limit: 100 })).items.map((t) => t.number).sort();

beforeAll(async () => {
  [tech, cat] = await Promise.all([
    makeActor(db, "TECHNICIAN"),
    makeCategory(db).then((c) => c.id),
  ]);
  requester = await makeActor(db, "USER", { name: `Zelda Quartermain${tag}` });
  other = await makeActor(db, "USER");
  file = await newTicket(requester, cat, {
    title: `Cannot open consolidated_budget_v7_FINAL${tag}.xlsx`,
    description: "Excel says the file is locked.",
  });
  path = await newTicket(requester, cat, {
    title: "Roaming profile broken",
    description: `Missing folder C:\\Users\\bob${tag}\\Documents and share \\\\fs01\\dept${tag}`,
  });
  hex = await newTicket(other, cat, {
    title: "Update fails",
    description: `Windows Update error 0x8007${tag} every night; see **the log** at [the wiki](https://wiki.example/kb_${tag}).`,
  });
  noted = await newTicket(other, cat, { title: "Printer offline" });
  await addInternalNote(tech, {
    ticketId: noted.id,
    body: `Looks like driver_pkg_${tag}.inf is corrupt`,
  });
  await addReply(tech, { ticketId: noted.id, body: `Try server print${tag}.corp.example` });
});
afterAll(() => db.$disconnect());

describe("search finds identifiers by the whole and by their parts", () => {
  it("matches a file name whole, by its parts, and by part with extension", async () => {
    const whole = `consolidated_budget_v7_FINAL${tag}.xlsx`;
    expect(await numbers(tech, whole)).toEqual([file.number]);
    expect(await numbers(tech, `budget_v7_FINAL${tag}`)).toEqual([file.number]);
    expect(await numbers(tech, `FINAL${tag}.xlsx`)).toEqual([file.number]);
    expect(await numbers(tech, `consolidated budget v7`)).toContain(file.number);
  });

  it("matches Windows paths, UNC shares, hex codes and host names", async () => {
    expect(await numbers(tech, `bob${tag}`)).toEqual([path.number]);
    expect(await numbers(tech, `C:\\Users\\bob${tag}`)).toEqual([path.number]);
    expect(await numbers(tech, `\\\\fs01\\dept${tag}`)).toEqual([path.number]);
    expect(await numbers(tech, `0x8007${tag}`)).toEqual([hex.number]);
    expect(await numbers(tech, `print${tag}`)).toEqual([noted.number]);
    expect(await numbers(tech, `print${tag}.corp.example`)).toEqual([noted.number]);
  });

  it("splits internal notes too, for staff only", async () => {
    expect(await numbers(tech, `driver_pkg_${tag}`)).toEqual([noted.number]);
    expect(await numbers(tech, `pkg_${tag}.inf`)).toEqual([noted.number]);
    expect(await numbers(other, `pkg_${tag}.inf`)).toEqual([]);
  });

  it("a requester still finds only their own tickets", async () => {
    expect(await numbers(other, `budget_v7_FINAL${tag}`)).toEqual([]);
    expect(await numbers(requester, `budget_v7_FINAL${tag}`)).toEqual([file.number]);
  });

  it("splits what was typed the same way", () => {
    expect(splitIdentifiers("a_b.c\\d/e")).toBe("a b c d e");
    expect(splitIdentifiers("plain words")).toBe("plain words");
  });
});

describe("search by requester", () => {
  it("staff find a requester's tickets by name or email, not only by text", async () => {
    const expected = [file.number, path.number].sort();
    expect(await numbers(tech, `Quartermain${tag}`)).toEqual(expected);
    expect(await numbers(tech, `zelda quartermain${tag}`)).toEqual(expected);
    expect(await numbers(tech, requester.actor.email.toUpperCase())).toEqual(expected);
  });

  it("a requester's search never reaches other people's tickets through a name", async () => {
    expect(await numbers(other, `Quartermain${tag}`)).toEqual([]);
    expect(await numbers(requester, other.actor.email)).toEqual([]);
  });

  it("LIKE wildcards in the text are literal", async () => {
    expect(await numbers(tech, `Quarter_ain${tag}`)).toEqual([]);
  });
});

describe("search by number", () => {
  it("reads 1042 and #1042 as a number, nothing else", () => {
    expect(ticketNumberIn("1042")).toBe(1042);
    expect(ticketNumberIn(" #1042 ")).toBe(1042);
    expect(ticketNumberIn("1042 printer")).toBeNull();
    expect(ticketNumberIn("#")).toBeNull();
    expect(ticketNumberIn("12345678901")).toBeNull();
    expect(ticketNumberIn(undefined)).toBeNull();
  });

  it("finds the number only when the viewer may read that ticket", async () => {
    expect(await findVisibleTicketNumber(tech.actor, hex.number)).toBe(hex.number);
    expect(await findVisibleTicketNumber(other.actor, hex.number)).toBe(hex.number);
    expect(await findVisibleTicketNumber(requester.actor, hex.number)).toBeNull();
    expect(await findVisibleTicketNumber(tech.actor, 2_000_000_000)).toBeNull();
  });
});

describe("snippets are plain text", () => {
  it("strips Markdown around the highlighted words", async () => {
    const page = await listTickets(tech.actor, { q: `0x8007${tag}` });
    const snippet = page.items.find((t) => t.number === hex.number)?.snippet ?? "";
    expect(snippet).toContain(`${SNIPPET_START}0x8007${tag}${SNIPPET_END}`);
    expect(snippet).toContain("see the log at the wiki");
    expect(snippet).not.toMatch(/\*\*|\]\(|https:/);
  });

  it("keeps identifiers and removes Markdown syntax", () => {
    expect(plainSnippet("# Title\n> quoted **bold** _em_ `code` ~~gone~~")).toBe(
      "Title quoted bold em code gone",
    );
    expect(plainSnippet("- item with budget_v7_FINAL.xlsx")).toBe("item with budget_v7_FINAL.xlsx");
    expect(plainSnippet("![alt text](http://x/y.png) and [link](http://z)")).toBe(
      "alt text and link",
    );
  });
});
