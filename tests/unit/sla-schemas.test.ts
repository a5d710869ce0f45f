import { describe, expect, it } from "vitest";
import {
  CalendarCreateSchema,
  CountryImportSchema,
  HolidayAddSchema,
  PolicyUpdateSchema,
  calendarValues,
  formatDayHours,
  parseDayHours,
  policyValues,
} from "@/lib/sla/schemas";

// The forms send the action what their resolver parsed, and the action parses it again: every
// schema's output must be valid input that parses to itself.
describe("service-level schemas", () => {
  it("parse their own output to itself", () => {
    const cases = [
      [
        CalendarCreateSchema,
        {
          name: " Office ",
          timeZone: "Europe/Berlin",
          alwaysOpen: false,
          hours: ["09:00-12:00, 13:00–17:30", "", "", "", "", "", "22:00-06:00"],
        },
      ],
      [
        PolicyUpdateSchema,
        {
          policyId: "p1",
          name: "Urgent",
          active: true,
          priorities: "URGENT",
          categoryIds: [],
          calendarId: "c1",
          firstResponseHours: "1",
          firstResponseMinutes: "30",
          nextResponseHours: "",
          nextResponseMinutes: "",
          resolutionHours: "8",
          resolutionMinutes: "",
          atRiskPercent: "20",
        },
      ],
      [HolidayAddSchema, { calendarId: "c1", date: "2026-12-24", name: "Eve" }],
      [CountryImportSchema, { calendarId: "c1", country: "de", region: "", year: "2026" }],
    ] as const;
    for (const [schema, input] of cases) {
      const once = schema.parse(input);
      expect(schema.parse(once)).toEqual(once);
    }
  });

  it("turn the form's texts into stored windows and minutes", () => {
    const calendar = CalendarCreateSchema.parse({
      name: "Office",
      timeZone: "Europe/Berlin",
      alwaysOpen: false,
      hours: ["09:00-12:00, 13:00–17:30", "", "", "", "", "", "22:00-06:00"],
    });
    expect(calendarValues(calendar).windows).toEqual([
      { day: 1, start: 540, end: 720 },
      { day: 1, start: 780, end: 1050 },
      { day: 7, start: 1320, end: 360 },
    ]);
    const policy = PolicyUpdateSchema.parse({
      policyId: "p1",
      name: "Urgent",
      active: true,
      priorities: ["URGENT", "URGENT"],
      categoryIds: [],
      calendarId: "c1",
      firstResponseHours: "",
      firstResponseMinutes: "45",
      nextResponseHours: "",
      nextResponseMinutes: "",
      resolutionHours: "48",
      resolutionMinutes: "0",
      atRiskPercent: 20,
    });
    expect(policyValues(policy)).toMatchObject({
      priorities: ["URGENT"],
      firstResponseMinutes: 45,
      nextResponseMinutes: null,
      resolutionMinutes: 2880,
    });
  });

  it("read and write weekday hours", () => {
    expect(parseDayHours("")).toEqual([]);
    expect(parseDayHours("00:00-24:00")).toEqual([{ start: 0, end: 1440 }]);
    expect(parseDayHours("9-5")).toBeNull();
    expect(parseDayHours("24:00-01:00")).toBeNull();
    expect(
      formatDayHours([
        { start: 780, end: 1050 },
        { start: 540, end: 720 },
      ]),
    ).toBe("09:00–12:00, 13:00–17:30");
  });
});
