// `npm run bench -- --email`: what the email notifications cost (issue 14, ADR 023). Runs in a
// child process started by scripts/bench/index.ts (server-only allowed by allow-server-only.ts) against its
// own database (EMAIL_BENCH_DATABASE_URL, default tessera_bench_email, recreated).
//
// EMAIL_BENCH_TICKETS tickets (default 1,000) are filed through the real service in a category
// three technicians follow, so each makes 4 mails (the requester's confirmation and 3 follower
// mails). Then the notification job (lib/email/notify.ts) runs until it has caught up, timed and
// under V8's CPU profiler: mails per second, milliseconds per mail, and where the time goes.
import { Session } from "node:inspector/promises";
import { cpus, loadavg } from "node:os";
import { sealAuditEvents } from "@/lib/audit";
import { db } from "@/lib/db";
import { emailConfig } from "@/lib/email/config";
import { notifyFromAudit } from "@/lib/email/notify";
import { createTicket } from "@/lib/tickets/service";
import { makeCategory, makeUser } from "@/prisma/factories";
import { formatSummary, summariseProfile, type Profile } from "./cpu-profile";

const TICKETS = Number(process.env.EMAIL_BENCH_TICKETS ?? 1_000);
const log = (line: string) => console.log(`[bench:email] ${line}`);

async function main() {
  const config = emailConfig({ EMAIL_FROM: "IT <it@bench.test>", AUTH_URL: "https://bench.test" });
  const category = await makeCategory(db);
  const requester = await makeUser(db, { role: "USER" });
  for (let i = 0; i < 3; i++) {
    const tech = await makeUser(db, { role: "TECHNICIAN", mfa: false });
    await db.categoryFollow.create({ data: { userId: tech.id, categoryId: category.id } });
  }
  await sealAuditEvents(db, { wait: true });
  await notifyFromAudit(db, config); // the cursor starts at the newest event

  const ctx = { actor: requester, request: { ip: null, userAgent: "bench", requestId: null } };
  let started = performance.now();
  for (let i = 0; i < TICKETS; i++) {
    await createTicket(ctx, {
      title: `Bench ticket ${i} <b>with</b> "markup"`,
      description: "The printer on floor 2 shows error 0x80070005 since this morning.",
      categoryId: category.id,
    });
  }
  const createMs = performance.now() - started;
  await sealAuditEvents(db, { wait: true });

  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  started = performance.now();
  let events = 0;
  let queued = 0;
  let rounds = 0;
  for (;;) {
    const round = await notifyFromAudit(db, config);
    if (round.events === 0) break;
    events += round.events;
    queued += round.queued;
    rounds++;
  }
  const notifyMs = performance.now() - started;
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
  session.disconnect();

  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  log(
    `${TICKETS} tickets filed in ${(createMs / 1000).toFixed(1)} s (${(createMs / TICKETS).toFixed(1)} ms each, one at a time)`,
  );
  log(
    `notification job: ${events} audit events, ${queued} mails in ${rounds} rounds, ` +
      `${(notifyMs / 1000).toFixed(1)} s: ${((queued * 1000) / notifyMs).toFixed(0)} mails/s, ` +
      `${(notifyMs / queued).toFixed(2)} ms per mail`,
  );
  for (const line of formatSummary(summariseProfile(profile), queued)) {
    log(`  ${line.replace("ms/request", "ms/mail")}`);
  }
  await db.$disconnect();
}

await main();
