import { describe, expect, it } from "vitest";
import { z } from "zod";
import { failureMessages } from "@/components/forms/action-failure";
import { INVALID_INPUT_MESSAGE, type ActionFailure } from "@/lib/action-result";
import { CategoryCreateSchema } from "@/lib/categories/schemas";
import { TicketEditSchema } from "@/lib/tickets/schemas";

// How a refusal from a server action reaches a form: field errors next to the fields the form
// shows, everything else in the one form message.

const on =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name);
const nowhere = () => false;

/** A schema refusal shaped as defineAction answers it (lib/action.ts). */
function invalid(schema: z.ZodType, input: unknown): ActionFailure {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error("expected the input to be refused");
  const flat = z.flattenError(parsed.error);
  return {
    ok: false,
    formError: flat.formErrors[0] ?? INVALID_INPUT_MESSAGE,
    fieldErrors: flat.fieldErrors as Record<string, string[]>,
  };
}

describe("failureMessages", () => {
  it("puts schema errors next to the fields the form shows", () => {
    const failure = invalid(CategoryCreateSchema, { name: "  ", defaultAssigneeId: "" });
    expect(failureMessages(failure, on("name", "defaultAssigneeId"))).toEqual({
      formError: INVALID_INPUT_MESSAGE,
      fieldErrors: { name: "Enter a name." },
    });
  });

  it("says what is wrong with a value the form does not show instead of pointing at nothing", () => {
    // A stale or tampered edit form: the hidden version is broken, the visible title is fine.
    const failure = invalid(TicketEditSchema, {
      ticketId: "t1",
      version: "not-a-number",
      title: "Monitor flickers",
    });
    const { formError, fieldErrors } = failureMessages(failure, on("title", "description"));
    expect(fieldErrors).toEqual({});
    expect(formError).not.toContain(INVALID_INPUT_MESSAGE);
    expect(formError).toBe(failure.fieldErrors!.version![0]);
  });

  it("keeps the highlighted fields and adds the others when both are wrong", () => {
    const failure = invalid(TicketEditSchema, { ticketId: "", version: 3, title: "x" });
    expect(failureMessages(failure, on("title", "description"))).toEqual({
      formError: `${INVALID_INPUT_MESSAGE} Required.`,
      fieldErrors: { title: "At least 3 characters." },
    });
  });

  it("shows a service's own message once, on the form and on its field", () => {
    const taken = "A category with that name exists.";
    const failure: ActionFailure = { ok: false, formError: taken, fieldErrors: { name: [taken] } };
    expect(failureMessages(failure, on("name"))).toEqual({
      formError: taken,
      fieldErrors: { name: taken },
    });
    // Without a form (a button, a select that saves): the same message, not twice.
    expect(failureMessages(failure, nowhere)).toEqual({ formError: taken, fieldErrors: {} });
  });

  it("passes a refusal without field errors through, and skips empty message lists", () => {
    const refused: ActionFailure = { ok: false, formError: "You are not allowed to do that." };
    expect(failureMessages(refused, nowhere)).toEqual({
      formError: "You are not allowed to do that.",
      fieldErrors: {},
    });
    const empty: ActionFailure = {
      ok: false,
      formError: INVALID_INPUT_MESSAGE,
      fieldErrors: { title: [], status: ["Choose a status."] },
    };
    expect(failureMessages(empty, on("title"))).toEqual({
      formError: "Choose a status.",
      fieldErrors: {},
    });
  });
});
