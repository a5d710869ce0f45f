import { describe, expect, it } from "vitest";
import { takeNotifications, trackListen } from "@/scripts/lib/pglite-server";

// The LISTEN/NOTIFY routing of the embedded database's session gate (ADR 028): which channels a
// connection listens on, and the NotificationResponse messages taken out of an exchange's answer.

function query(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x51;
  head.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([head, text]);
}

function parse(sql: string): Buffer {
  const body = Buffer.from(`\0${sql}\0\0\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x50;
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function notification(channel: string, payload: string): Buffer {
  const pid = Buffer.alloc(4);
  pid.writeInt32BE(42);
  return message("A", Buffer.concat([pid, Buffer.from(`${channel}\0${payload}\0`)]));
}

describe("the embedded database's LISTEN routing", () => {
  it("tracks LISTEN and UNLISTEN from simple and extended queries", () => {
    const channels = new Set<string>();
    trackListen(query('LISTEN tessera_live; LISTEN "Mixed""Case"'), channels);
    trackListen(parse("LISTEN Other"), channels);
    expect([...channels].sort()).toEqual(['Mixed"Case', "other", "tessera_live"]);
    trackListen(query("UNLISTEN other"), channels);
    trackListen(query("SELECT 'LISTEN x'"), channels);
    expect([...channels].sort()).toEqual(['Mixed"Case', "tessera_live"]);
    trackListen(query("UNLISTEN *"), channels);
    expect(channels.size).toBe(0);
  });

  it("takes notifications out of an answer and keeps everything else in order", () => {
    const complete = message("C", Buffer.from("COMMIT\0"));
    const ready = message("Z", Buffer.from("I"));
    const n1 = notification("tessera_live", '{"t":"1"}');
    const n2 = notification("tessera_presence", "{}");
    const { rest, notifications } = takeNotifications(Buffer.concat([complete, n1, n2, ready]));
    expect(rest).toEqual(Buffer.concat([complete, ready]));
    expect(notifications.map((n) => n.channel)).toEqual(["tessera_live", "tessera_presence"]);
    expect(notifications[0]!.message).toEqual(n1);
    const plain = Buffer.concat([complete, ready]);
    expect(takeNotifications(plain).rest).toBe(plain);
  });
});
