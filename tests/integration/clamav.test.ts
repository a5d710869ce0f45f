import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Readable } from "node:stream";
import { crc32, deflateRawSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  createClamavScanner,
  parseClamavUrl,
  ScannerUnavailableError,
  ScanRefusedError,
  scannerFromEnv,
} from "@/lib/attachments/scan";

// Issue 13: virus scanning through a real clamd (started by `npm test` when ClamAV is installed,
// with an EICAR-only signature database; scripts/lib/test-services.ts).
const CLAMAV_URL = process.env.TESSERA_TEST_CLAMAV_URL;
const MB = 1024 * 1024;

// The EICAR test file: harmless, detected by every scanner. Built at run time so this source
// file itself does not trip a scanner.
const EICAR = Buffer.from(
  ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE", "!$H+H*"].join(""),
);

/** A one-file zip archive (deflated), by hand: local header, data, central directory, end. */
function zipOf(name: string, content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const fileName = Buffer.from(name);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/** `bytes` of data in 64 KiB chunks, generated while read. */
function streamOf(bytes: number, chunk: (size: number) => Buffer = randomBytes): Readable {
  async function* chunks() {
    for (let sent = 0; sent < bytes; sent += 64 * 1024)
      yield chunk(Math.min(64 * 1024, bytes - sent));
  }
  return Readable.from(chunks());
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe.skipIf(!CLAMAV_URL)(
  CLAMAV_URL
    ? "ClamAV scanning (real clamd)"
    : "ClamAV scanning (SKIPPED: TESSERA_TEST_CLAMAV_URL is unset; `npm test` sets it when " +
        "/usr/sbin/clamd exists: apt-get install clamav-daemon clamdscan clamav-testfiles)",
  () => {
    const scanner = () => scannerFromEnv({ TESSERA_CLAMAV_URL: CLAMAV_URL })!;

    it("detects EICAR", async () => {
      // clamd names signatures of a local database "<name>.UNOFFICIAL".
      expect(await scanner().scan(Readable.from([EICAR]))).toEqual({
        clean: false,
        signature: expect.stringMatching(/^Eicar-Test-Signature/),
      });
    });

    it("detects EICAR sent one byte per INSTREAM chunk", async () => {
      const bytes = [...EICAR].map((b) => Buffer.from([b]));
      expect(await scanner().scan(Readable.from(bytes))).toMatchObject({ clean: false });
    });

    it("detects EICAR inside a gzip and inside a zip", async () => {
      for (const archive of [gzipSync(EICAR), zipOf("invoice.pdf.com", EICAR)]) {
        expect(await scanner().scan(Readable.from([archive]))).toMatchObject({
          clean: false,
          signature: expect.stringMatching(/^Eicar-Test-Signature/),
        });
      }
    });

    it("detects the EICAR marker in the middle of a larger file", async () => {
      const body = Readable.from([randomBytes(2 * MB), EICAR, randomBytes(MB)]);
      expect(await scanner().scan(body)).toEqual({
        clean: false,
        signature: expect.stringMatching(/^Eicar-Test-Signature-ndb/),
      });
    });

    it("passes a clean 5 MB stream", async () => {
      expect(await scanner().scan(streamOf(5 * MB))).toEqual({ clean: true });
    });

    it("a stream over clamd's StreamMaxLength (50M) is refused, not passed", async () => {
      const zeros = Buffer.alloc(64 * 1024);
      await expect(scanner().scan(streamOf(51 * MB, () => zeros))).rejects.toBeInstanceOf(
        ScanRefusedError,
      );
    });

    it("a source stream that fails rejects with its own error", async () => {
      async function* broken() {
        yield randomBytes(MB);
        throw new Error("upload connection lost");
      }
      await expect(scanner().scan(Readable.from(broken()))).rejects.toThrow(
        "upload connection lost",
      );
      // The scanner is still usable afterwards.
      expect(await scanner().scan(Readable.from([Buffer.from("hello")]))).toEqual({ clean: true });
    });
  },
);

describe("ClamAV configuration and outages", () => {
  it("an unreachable clamd gives ScannerUnavailableError", async () => {
    const port = await unusedPort();
    const scanner = createClamavScanner({ host: "127.0.0.1", port, timeoutMs: 2_000 });
    await expect(scanner.scan(Readable.from([EICAR]))).rejects.toBeInstanceOf(
      ScannerUnavailableError,
    );
  });

  it("a server that accepts but never answers gives ScannerUnavailableError", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const { port } = silent.address() as { port: number };
    try {
      const scanner = createClamavScanner({ host: "127.0.0.1", port, timeoutMs: 500 });
      await expect(scanner.scan(Readable.from([Buffer.from("x")]))).rejects.toBeInstanceOf(
        ScannerUnavailableError,
      );
    } finally {
      silent.close();
    }
  });

  it("scannerFromEnv: null when unset, tcp://host:port otherwise", () => {
    expect(scannerFromEnv({})).toBeNull();
    expect(scannerFromEnv({ TESSERA_CLAMAV_URL: "" })).toBeNull();
    expect(scannerFromEnv({ TESSERA_CLAMAV_URL: "tcp://127.0.0.1:3310" })).not.toBeNull();
    expect(parseClamavUrl("tcp://[::1]:3310")).toEqual({ host: "::1", port: 3310 });
    for (const bad of ["127.0.0.1:3310", "http://clamd:3310", "tcp://clamd", "nonsense"]) {
      expect(() => parseClamavUrl(bad)).toThrow(/TESSERA_CLAMAV_URL/);
    }
  });
});
