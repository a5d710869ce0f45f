import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/tests/support/db";
import { makeActor, makeCategory, makeUser, uniqueSuffix } from "@/tests/support/factories";
import { actAs, nextHeadersMock, type RequestState } from "@/tests/support/request";

const state = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock("next/headers", () => nextHeadersMock(state as RequestState));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const actions = await import("@/lib/sla/actions");
const { loadCalendarSpec } = await import("@/lib/sla/calendars");
const { addBusinessMinutes } = await import("@/lib/sla/business-time");
const { db: appDb } = await import("@/lib/db");

const db = createTestDb();
/** Policies this file may create: removed at the end, so no other test's ticket matches one. */
const policyNames: string[] = [];
afterAll(async () => {
  await db.slaPolicy.deleteMany({ where: { name: { in: policyNames } } });
  await db.$disconnect();
});
beforeEach(() => {
  process.env.AUTH_TRUST_HOST = "true";
});

const CLOSED = ["", "", "", "", "", "", ""];
const WEEK_WITH_LUNCH = [
  "09:00-12:00, 13:00-17:30",
  "09:00–12:00, 13:00–17:30",
  "09:00-12:00,13:00-17:30",
  "09:00-12:00; 13:00-17:30",
  "09:00-12:00, 13:00-17:30",
  "",
  "",
];

async function asAdmin() {
  const { actor } = await makeActor(db, "ADMIN");
  const requestId = `req-sla-${uniqueSuffix()}`;
  await actAs(state, actor, { requestId });
  return { admin: actor, requestId };
}

async function newCalendar(name = `Office ${uniqueSuffix()}`) {
  const created = await actions.createCalendarAction({
    name,
    timeZone: "Europe/Berlin",
    alwaysOpen: false,
    hours: WEEK_WITH_LUNCH,
  });
  if (!created.ok) throw new Error(created.formError);
  return created.data.id;
}

const events = (entityId: string, action: string) =>
  db.auditEvent.findMany({ where: { entityId, action }, orderBy: { id: "asc" } });

describe("service-level calendars", () => {
  for (const role of ["USER", "TECHNICIAN"] as const) {
    it(`are refused to a ${role.toLowerCase()}, audited`, async () => {
      const caller = await makeUser(db, { role });
      const requestId = `req-sla-refused-${caller.id}`;
      await actAs(state, caller, { requestId });
      expect(
        await actions.createCalendarAction({
          name: `Nope ${uniqueSuffix()}`,
          timeZone: "UTC",
          alwaysOpen: true,
          hours: CLOSED,
        }),
      ).toEqual({ ok: false, formError: "You are not allowed to do that." });
      expect(await actions.deletePolicyAction({ policyId: "sla_default" })).toMatchObject({
        ok: false,
      });
      const rows = await db.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
      expect(rows.map((e) => [e.action, e.outcome])).toEqual([
        ["sla.calendar.created", "REFUSED"],
        ["sla.policy.deleted", "REFUSED"],
      ]);
      expect(await db.slaPolicy.count({ where: { id: "sla_default" } })).toBe(1);
    });
  }

  it("creates a calendar with a lunch break, audited, and loads it for the arithmetic", async () => {
    await asAdmin();
    const id = await newCalendar();
    const row = await db.businessCalendar.findUniqueOrThrow({ where: { id } });
    expect(row.windows).toHaveLength(10);
    expect(row.windows).toContainEqual({ day: 1, start: 540, end: 720 });
    expect(row.windows).toContainEqual({ day: 5, start: 780, end: 1050 });
    const [created] = await events(id, "sla.calendar.created");
    expect(created).toMatchObject({ outcome: "SUCCESS", entityType: "BusinessCalendar" });
    expect(created!.after).toMatchObject({ name: row.name, timeZone: "Europe/Berlin" });

    const spec = await appDb.$transaction((tx) => loadCalendarSpec(tx, id));
    expect(spec).toEqual({
      timeZone: "Europe/Berlin",
      alwaysOpen: false,
      windows: row.windows,
      holidays: [],
    });
    // Friday 2026-12-04 11:30 Berlin + 1 h: 30 min before lunch, 30 min after.
    expect(addBusinessMinutes(spec, new Date("2026-12-04T10:30:00Z"), 60).toISOString()).toBe(
      "2026-12-04T12:30:00.000Z",
    );
  });

  it("refuses bad hours, unknown zones, duplicate names and a calendar never open", async () => {
    await asAdmin();
    const name = `Dup ${uniqueSuffix()}`;
    await newCalendar(name);
    const base = { name: `X ${uniqueSuffix()}`, timeZone: "UTC", alwaysOpen: false };
    expect(
      await actions.createCalendarAction({ ...base, hours: ["9-5", "", "", "", "", "", ""] }),
    ).toMatchObject({ ok: false, fieldErrors: { hours: [expect.stringContaining("HH:MM")] } });
    expect(
      await actions.createCalendarAction({
        ...base,
        timeZone: "Mars/Olympus",
        hours: WEEK_WITH_LUNCH,
      }),
    ).toMatchObject({ ok: false, fieldErrors: { timeZone: [expect.any(String)] } });
    expect(await actions.createCalendarAction({ ...base, hours: CLOSED })).toMatchObject({
      ok: false,
      fieldErrors: { hours: [expect.stringContaining("at least one day")] },
    });
    expect(
      await actions.createCalendarAction({ ...base, name, hours: WEEK_WITH_LUNCH }),
    ).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining("already")] } });
  });

  it("updates with before/after, adds and removes holidays, imports iCal and a country", async () => {
    await asAdmin();
    const id = await newCalendar();
    const updated = await actions.updateCalendarAction({
      calendarId: id,
      name: `Night ${uniqueSuffix()}`,
      timeZone: "America/New_York",
      alwaysOpen: false,
      hours: ["22:00-06:00", "", "", "", "", "", ""],
    });
    expect(updated).toEqual({ ok: true, data: "Saved." });
    const [update] = await events(id, "sla.calendar.updated");
    expect(update!.before).toMatchObject({ timeZone: "Europe/Berlin" });
    expect(update!.after).toMatchObject({
      timeZone: "America/New_York",
      windows: [{ day: 1, start: 1320, end: 360 }],
    });

    expect(
      await actions.addHolidayAction({ calendarId: id, date: "2026-12-24", name: "Eve" }),
    ).toEqual({ ok: true, data: "Holiday added." });
    expect(
      await actions.addHolidayAction({ calendarId: id, date: "2026-02-30", name: "Nope" }),
    ).toMatchObject({ ok: false, fieldErrors: { date: [expect.any(String)] } });

    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//EN",
      "BEGIN:VEVENT",
      "UID:a",
      "DTSTART;VALUE=DATE:20250704",
      "RRULE:FREQ=YEARLY",
      "SUMMARY:Independence Day",
      "END:VEVENT",
      "BEGIN:VEVENT",
      "UID:b",
      "DTSTART;VALUE=DATE:20261224",
      "SUMMARY:Christmas Eve (again)",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    expect(
      await actions.importIcalHolidaysAction({
        calendarId: id,
        text: ics,
        fromYear: 2026,
        toYear: 2027,
      }),
    ).toMatchObject({ ok: true, data: expect.stringMatching(/^2 of 3 holidays added/) });
    expect(
      await actions.importIcalHolidaysAction({
        calendarId: id,
        text: "date,name\n2026-01-01,x",
        fromYear: 2026,
        toYear: 2026,
      }),
    ).toMatchObject({ ok: false, formError: expect.stringContaining("not an iCal") });
    expect(
      await actions.importCountryHolidaysAction({ calendarId: id, country: "us", year: "2026" }),
    ).toMatchObject({ ok: true, data: expect.stringMatching(/holidays added/) });
    expect(
      await actions.importCountryHolidaysAction({ calendarId: id, country: "QQ", year: "2026" }),
    ).toMatchObject({ ok: false, formError: expect.stringContaining("Unknown country") });

    const imports = await events(id, "sla.holidays.imported");
    expect(imports.map((e) => (e.metadata as { source: string }).source)).toEqual([
      "ical",
      "country:US:2026",
    ]);
    const spec = await appDb.$transaction((tx) => loadCalendarSpec(tx, id));
    expect(spec.holidays).toEqual(
      expect.arrayContaining(["2026-07-04", "2027-07-04", "2026-12-25"]),
    );
    expect(spec.holidays.filter((d) => d === "2026-12-24")).toHaveLength(1);

    const eve = await db.calendarHoliday.findFirstOrThrow({
      where: { calendarId: id, date: new Date("2026-12-24T00:00:00Z") },
    });
    expect(eve.name).toBe("Eve");
    // A holiday of another calendar is not reachable through this one (IDOR).
    const other = await newCalendar();
    expect(
      await actions.removeHolidayAction({ calendarId: other, holidayId: eve.id }),
    ).toMatchObject({ ok: false, formError: "Holiday not found." });
    expect(await actions.removeHolidayAction({ calendarId: id, holidayId: eve.id })).toMatchObject({
      ok: true,
    });
    expect(await db.calendarHoliday.count({ where: { id: eve.id } })).toBe(0);
  });

  it("deletes a calendar only when no policy uses it", async () => {
    await asAdmin();
    const id = await newCalendar();
    const policy = await actions.createPolicyAction({
      ...policyInput(`Uses ${uniqueSuffix()}`),
      calendarId: id,
    });
    expect(policy.ok).toBe(true);
    expect(await actions.deleteCalendarAction({ calendarId: id })).toMatchObject({
      ok: false,
      formError: expect.stringContaining("policy uses this calendar"),
    });
    if (policy.ok) await actions.deletePolicyAction({ policyId: policy.data.id });
    expect(await actions.deleteCalendarAction({ calendarId: id })).toMatchObject({ ok: true });
    expect(await db.businessCalendar.count({ where: { id } })).toBe(0);
    const [deleted] = await events(id, "sla.calendar.deleted");
    expect(deleted).toMatchObject({ outcome: "SUCCESS", after: null });
  });
});

function policyInput(name: string) {
  policyNames.push(name);
  return {
    name,
    active: true,
    priorities: ["URGENT"],
    categoryIds: [],
    calendarId: "calendar_24_7",
    firstResponseHours: "1",
    firstResponseMinutes: "30",
    nextResponseHours: "",
    nextResponseMinutes: "",
    resolutionHours: "8",
    resolutionMinutes: "",
    atRiskPercent: "25",
  };
}

describe("SLA policies", () => {
  it("creates, edits, orders and deletes policies, each audited", async () => {
    await asAdmin();
    const category = await makeCategory(db);
    const tag = uniqueSuffix();
    const a = await actions.createPolicyAction(policyInput(`A ${tag}`));
    const b = await actions.createPolicyAction({
      ...policyInput(`B ${tag}`),
      priorities: [],
      categoryIds: [category.id],
    });
    if (!a.ok || !b.ok) throw new Error("not created");
    const rowA = await db.slaPolicy.findUniqueOrThrow({ where: { id: a.data.id } });
    expect(rowA).toMatchObject({
      priorities: ["URGENT"],
      firstResponseMinutes: 90,
      nextResponseMinutes: null,
      resolutionMinutes: 480,
      atRiskPercent: 25,
      isDefault: false,
    });
    const rowB = await db.slaPolicy.findUniqueOrThrow({ where: { id: b.data.id } });
    expect(rowB.position).toBe(rowA.position + 1);
    expect((await events(a.data.id, "sla.policy.created"))[0]!.after).toMatchObject({
      name: `A ${tag}`,
      firstResponseMinutes: 90,
    });

    expect(
      await actions.updatePolicyAction({
        ...policyInput(`A ${tag}`),
        policyId: a.data.id,
        active: false,
        resolutionHours: "",
      }),
    ).toEqual({ ok: true, data: "Saved." });
    const [update] = await events(a.data.id, "sla.policy.updated");
    expect(update!.before).toMatchObject({ active: true, resolutionMinutes: 480 });
    expect(update!.after).toMatchObject({ active: false, resolutionMinutes: null });

    expect(await actions.movePolicyAction({ policyId: b.data.id, direction: "up" })).toMatchObject({
      ok: true,
    });
    const [movedA, movedB] = await Promise.all(
      [a.data.id, b.data.id].map((id) => db.slaPolicy.findUniqueOrThrow({ where: { id } })),
    );
    expect(movedB!.position).toBeLessThan(movedA!.position);
    const defaultRow = await db.slaPolicy.findUniqueOrThrow({ where: { id: "sla_default" } });
    expect(defaultRow.position).toBeGreaterThan(movedA!.position);

    expect(await actions.deletePolicyAction({ policyId: a.data.id })).toMatchObject({ ok: true });
    expect(await db.slaPolicy.count({ where: { id: a.data.id } })).toBe(0);
    expect((await events(a.data.id, "sla.policy.deleted"))[0]!.before).toMatchObject({
      name: `A ${tag}`,
    });
  });

  it("validates targets, percentages and references", async () => {
    await asAdmin();
    const base = policyInput(`V ${uniqueSuffix()}`);
    expect(await actions.createPolicyAction({ ...base, firstResponseMinutes: "75" })).toMatchObject(
      { ok: false, fieldErrors: { firstResponseMinutes: [expect.any(String)] } },
    );
    expect(
      await actions.createPolicyAction({
        ...base,
        firstResponseHours: "0",
        firstResponseMinutes: "0",
      }),
    ).toMatchObject({ ok: false, fieldErrors: { firstResponseMinutes: [expect.any(String)] } });
    expect(await actions.createPolicyAction({ ...base, atRiskPercent: "100" })).toMatchObject({
      ok: false,
      fieldErrors: { atRiskPercent: [expect.any(String)] },
    });
    expect(await actions.createPolicyAction({ ...base, priorities: ["SOON"] })).toMatchObject({
      ok: false,
      fieldErrors: { priorities: [expect.any(String)] },
    });
    expect(await actions.createPolicyAction({ ...base, calendarId: "nope" })).toMatchObject({
      ok: false,
      fieldErrors: { calendarId: [expect.any(String)] },
    });
    expect(await actions.createPolicyAction({ ...base, categoryIds: ["nope"] })).toMatchObject({
      ok: false,
      fieldErrors: { categoryIds: [expect.any(String)] },
    });
    expect(await db.slaPolicy.count({ where: { name: base.name } })).toBe(0);
  });

  it("protects the default policy: not deleted, deactivated, conditioned or moved", async () => {
    await asAdmin();
    const before = await db.slaPolicy.findUniqueOrThrow({ where: { id: "sla_default" } });
    expect(await actions.deletePolicyAction({ policyId: "sla_default" })).toMatchObject({
      ok: false,
      formError: expect.stringContaining("cannot be deleted"),
    });
    const asForm = {
      ...policyInput(`Unused ${uniqueSuffix()}`),
      name: before.name,
      priorities: [],
      policyId: "sla_default",
      calendarId: before.calendarId,
    };
    expect(await actions.updatePolicyAction({ ...asForm, active: false })).toMatchObject({
      ok: false,
      formError: expect.stringContaining("always active"),
    });
    expect(await actions.updatePolicyAction({ ...asForm, priorities: ["LOW"] })).toMatchObject({
      ok: false,
    });
    expect(
      await actions.movePolicyAction({ policyId: "sla_default", direction: "up" }),
    ).toMatchObject({ ok: false, formError: expect.stringContaining("last") });
    expect(await db.slaPolicy.findUniqueOrThrow({ where: { id: "sla_default" } })).toEqual(before);
  });
});
