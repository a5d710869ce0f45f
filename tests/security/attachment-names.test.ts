import { parse } from "content-disposition";
import { describe, expect, it } from "vitest";
import { dispositionOf, fileHeaders } from "@/lib/attachments/http";
import { cleanFileName, NAME_MAX, nameForType } from "@/lib/attachments/names";
import { detectType } from "@/lib/attachments/sniff";

// T7 (SECURITY.md): path traversal, header injection and "looks like something else" through the
// name of an upload, and active content (HTML, SVG) never served inline. The name is only a label
// (blobs live under random keys); these prove the label is harmless where it is used: in
// Content-Disposition and on the page.

const ATTACKS = [
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "/absolute/path/to/file.txt",
  "C:\\Users\\Public\\evil.bat",
  "file.txt\u0000.exe",
  "report\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
  'quote"; filename="evil.html',
  "invoice\u202Egnp.exe",
  "zero\u200Bwidth\uFEFF.txt",
  "\u2066isolate\u2069.txt",
  "....",
  " . ",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "%E0%A4%A",
  "CON",
  "a".repeat(10_000) + ".pdf",
  "😀".repeat(300) + ".png",
  "e\u0301cole.txt", // NFD: normalised to NFC
];

describe("upload names (T7)", () => {
  it.each(ATTACKS)("%j becomes a harmless label", (raw) => {
    const name = nameForType(cleanFileName(raw), "text/plain");
    expect(name).not.toMatch(/[/\\]/);
    expect(name).not.toMatch(
      /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/,
    );
    expect(name).not.toMatch(/^[.\s]/);
    expect(name.length).toBeLessThanOrEqual(NAME_MAX);
    expect(name).toBe(name.normalize("NFC"));
    expect(
      name.endsWith(".txt") ||
        name.endsWith(".log") ||
        name.endsWith(".csv") ||
        /\.(json|xml|md|ini|conf|ya?ml)$/.test(name),
    ).toBe(true);
    // In the header: one parameter, no injected lines, the same name read back.
    const header = fileHeaders({ name, contentType: "text/plain", disposition: "attachment" })[
      "content-disposition"
    ]!;
    expect(header).not.toMatch(/[\r\n]/);
    const parsed = parse(header);
    expect(parsed.type).toBe("attachment");
    expect(parsed.parameters.filename).toBe(name);
  });

  it("decoding never produces a path", () => {
    expect(cleanFileName("%2e%2e%2f%2e%2e%2fetc%2fpasswd")).toBe("passwd");
    expect(cleanFileName("")).toBe("file");
    expect(cleanFileName("....")).toBe("file");
  });
});

describe("active content is never inline (T7)", () => {
  const html = Buffer.from("<!doctype html><html><script>alert(document.cookie)</script></html>");
  const svg = Buffer.from(
    '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
  );

  it.each([
    ["HTML", html],
    ["SVG", svg],
  ])("%s is refused or kept as plain text, and plain text is a download", async (_, bytes) => {
    const type = await detectType(bytes, true);
    expect([null, "text/plain"]).toContain(type);
    if (type) {
      expect(dispositionOf(type, false)).toBe("attachment");
      const headers = fileHeaders({ name: "x.txt", contentType: type, disposition: "attachment" });
      expect(headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["content-security-policy"]).toMatch(/^sandbox;/);
    }
  });

  it("only re-encoded raster images are inline; PDF and office files download", () => {
    expect(dispositionOf("image/png", false)).toBe("inline");
    expect(dispositionOf("image/png", true)).toBe("attachment");
    for (const type of ["application/pdf", "application/zip", "text/plain", "image/svg+xml"]) {
      expect(dispositionOf(type, false)).toBe("attachment");
    }
  });
});
