import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES } from "@/lib/auth/permissions";
import {
  REQUESTER_TRANSITIONS,
  STAFF_TRANSITIONS,
  TICKET_STATUSES,
  type TicketStatus,
} from "@/lib/tickets/status";

// docs/ARCHITECTURE.md copies two tables from the code and names many files. A newcomer trusts
// it, so it must not drift: these tests fail when a permission, a scope, a status move or a named
// file changes without the document.

const doc = readFileSync("docs/ARCHITECTURE.md", "utf8");

/** The first table under `## <heading>`: its header cells and its rows, trimmed. */
function table(heading: string): { header: string[]; rows: string[][] } {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/ARCHITECTURE.md has no section "${heading}"`);
  const end = doc.indexOf("\n## ", start + 1);
  const lines = doc.slice(start, end === -1 ? undefined : end).split("\n");
  const first = lines.findIndex((l) => l.startsWith("|"));
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(cells(line));
  }
  return { header: cells(lines[first]!), rows };
}

const statuses = (cell: string) => (cell === "—" ? [] : cell.split(", ").sort());

describe("docs/ARCHITECTURE.md", () => {
  it("lists exactly the permissions of PERMISSIONS, with each role's scope", () => {
    const { header, rows } = table("Who may do what");
    const documented = Object.fromEntries(
      rows.map((row) => [
        row[0]!.replace(/`/g, ""),
        Object.fromEntries(ROLES.map((role) => [role, row[header.indexOf(role)]])),
      ]),
    );
    expect(documented).toEqual(PERMISSIONS);
  });

  it("has the status machine of lib/tickets/status.ts", () => {
    const { rows } = table("The ticket status machine");
    expect(rows.map((r) => r[0])).toEqual([...TICKET_STATUSES]);
    for (const [from, staff, requester] of rows) {
      const status = from as TicketStatus;
      expect(statuses(staff!), `staff moves from ${from}`).toEqual(
        [...STAFF_TRANSITIONS[status]].sort(),
      );
      expect(statuses(requester!), `requester moves from ${from}`).toEqual(
        [...REQUESTER_TRANSITIONS[status]].sort(),
      );
    }
  });

  it("names only files and folders that exist", () => {
    const named = [
      ...doc.matchAll(/`((?:app|components|lib|scripts|tests|docs|prisma)\/[^`\s]*)`/g),
    ]
      .map((m) => m[1]!)
      .filter((path) => !/[<{*…]/.test(path));
    expect(named.length).toBeGreaterThan(20);
    expect([...new Set(named)].filter((path) => !existsSync(path))).toEqual([]);
  });
});
