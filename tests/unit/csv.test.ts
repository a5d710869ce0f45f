import { describe, expect, it } from "vitest";
import {
  AUDIT_CSV_COLUMNS,
  auditCsvRow,
  csvCell,
  csvRow,
  neutraliseFormula,
} from "@/lib/audit/csv";
import { readFileSync } from "node:fs";
import { auditQueryString, parseAuditFilters, parseBefore } from "@/lib/audit/filters";

const FORMULA_CORPUS = readFileSync("tests/security/corpora/csv-formula-vectors.txt", "utf8")
  .split("\n")
  .filter(Boolean);

describe("CSV cells", () => {
  it("neutralises spreadsheet formulas: = + - @ tab CR get a leading apostrophe", () => {
    for (const payload of [
      "=1+1",
      "+1",
      "-2+3",
      "@SUM(A1)",
      "\tx",
      "\rx",
      '=HYPERLINK("http://x")',
    ]) {
      expect(neutraliseFormula(payload)).toBe(`'${payload}`);
    }
    for (const safe of ["a=1", "hello", "", "1-2", "a - b", "x@example.test"])
      expect(neutraliseFormula(safe)).toBe(safe);
  });

  // Issue 10 §5: a spreadsheet in a semicolon (or tab, or pipe) locale splits the cell itself.
  it("neutralises a formula after any separator a spreadsheet may split on", () => {
    expect(neutraliseFormula("a;=1+1")).toBe("a;'=1+1");
    expect(neutraliseFormula("a,=1+1")).toBe("a,'=1+1");
    expect(neutraliseFormula("a; =1+1")).toBe("a; '=1+1");
    expect(neutraliseFormula("a|@SUM(A1)")).toBe("a|'@SUM(A1)");
    expect(neutraliseFormula("a\n-1")).toBe("a\n'-1");
    expect(neutraliseFormula("x;\t=1")).toBe("x;'\t'=1");
    expect(csvCell("a;=1+1")).toBe(`"a;'=1+1"`);
  });

  it("leaves no piece that starts with a formula character, whatever the separator", () => {
    const pieces = ["a", "=1+1", "+1", "-1", "@x", "\t", "\r", " ", "=", ""];
    const seps = [",", ";", "\t", "|", "\n", "\r", " ", ""];
    const values: string[] = [];
    for (const a of pieces)
      for (const s1 of seps)
        for (const b of pieces) for (const s2 of seps) values.push(a + s1 + b + s2 + "=2");
    for (const line of FORMULA_CORPUS) values.push(line, `ok;${line}`, `ok,${line}`, `ok\t${line}`);
    const failures: string[] = [];
    for (const value of values) {
      const safe = neutraliseFormula(value);
      const pieces = safe.split(/[,;\t|\r\n]/);
      if (pieces.some((p) => /^[=+\-@]/.test(p.trimStart()))) failures.push(value);
      // Only apostrophes are added.
      if (safe.replaceAll("'", "") !== value.replaceAll("'", "")) failures.push(value);
    }
    expect(failures).toEqual([]);
  });

  it("quotes every cell per RFC 4180 after neutralising", () => {
    expect(csvCell('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("plain")).toBe('"plain"');
    expect(csvCell(7)).toBe('"7"');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("\r=1")).toBe(`"'\r'=1"`);
    expect(csvCell(null)).toBe('""');
    expect(csvCell(new Date("2026-01-02T03:04:05.006Z"))).toBe('"2026-01-02T03:04:05.006Z"');
    expect(csvCell({ k: "v,w" })).toBe('"{""k"":""v,w""}"');
    expect(csvRow(["a", 1, null])).toBe('"a","1",""\r\n');
  });

  it("writes an audit event as one row with every column", () => {
    const row = auditCsvRow({
      id: 42n,
      createdAt: new Date("2026-01-02T03:04:05.000Z"),
      actorId: null,
      actorEmail: "-evil@example.test",
      actorRole: null,
      action: "auth.sign_in",
      entityType: "User",
      entityId: null,
      outcome: "FAILED",
      ip: "203.0.113.1",
      userAgent: "@agent",
      requestId: "r1",
      before: null,
      after: null,
      metadata: { email: "=1+1" },
      prevHash: "0".repeat(64),
      hash: "f".repeat(64),
    });
    expect(row.endsWith("\r\n")).toBe(true);
    expect(row).toContain(`,"'-evil@example.test",`);
    expect(row).toContain(`,"'@agent",`);
    expect(row.split('","').length).toBe(AUDIT_CSV_COLUMNS.length);
  });
});

describe("audit filters from the URL", () => {
  it("keeps valid filters, drops malformed ones, round-trips through the query string", () => {
    const filters = parseAuditFilters({
      actor: " admin@demo.tessera ",
      outcome: "REFUSED",
      from: "2026-11-01",
      to: "not-a-date",
      q: ["first", "second"],
      action: "",
      entityId: "x".repeat(500),
    });
    expect(filters).toEqual({
      actor: "admin@demo.tessera",
      outcome: "REFUSED",
      from: "2026-11-01",
      q: "first",
    });
    expect(parseAuditFilters(new URLSearchParams(auditQueryString(filters)))).toEqual(filters);
    expect(parseAuditFilters({ outcome: "DELETED" })).toEqual({});
    expect(parseBefore({ before: "123" })).toBe(123n);
    expect(parseBefore({ before: "1 OR 1=1" })).toBeUndefined();
  });
});
