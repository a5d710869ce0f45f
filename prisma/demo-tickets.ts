// The demo help desk's history: ~60 tickets over the last 30 days, as a pure plan (no database)
// that prisma/seed.ts writes. Deterministic: the same statuses, priorities, categories, people
// and wording on every run; only the dates follow `now`. Older tickets are mostly resolved or
// closed, the newest ones still NEW, so the queues, the dashboard and its 30-day chart look like
// a desk in use.
import type { TicketPriority, TicketStatus } from "@/lib/tickets/status";
import type { DEMO_CATEGORIES } from "@/prisma/factories";
import { prng } from "@/prisma/prng";

type CategoryName = (typeof DEMO_CATEGORIES)[number];

/** Who appears in the demo besides the three sign-in accounts (all share the demo password). */
export const DEMO_COLLEAGUES = [
  { email: "priya@demo.tessera", name: "Priya Patel", role: "TECHNICIAN" },
  { email: "ben@demo.tessera", name: "Ben Baker", role: "USER" },
  { email: "chloe@demo.tessera", name: "Chloé Martin", role: "USER" },
  { email: "dev@demo.tessera", name: "Dev Sharma", role: "USER" },
  { email: "eva@demo.tessera", name: "Eva Novak", role: "USER" },
  { email: "finn@demo.tessera", name: "Finn O'Brien", role: "USER" },
] as const;

/** Emails, by part they play. The first requester is the demo user (user@demo.tessera). */
const REQUESTERS = [
  "user@demo.tessera",
  "ben@demo.tessera",
  "chloe@demo.tessera",
  "dev@demo.tessera",
  "eva@demo.tessera",
  "finn@demo.tessera",
] as const;
const TECHS = ["tech@demo.tessera", "priya@demo.tessera", "admin@demo.tessera"] as const;
const DISPATCHER = "admin@demo.tessera";

const SUBJECTS: Record<CategoryName, [title: string, description: string][]> = {
  Hardware: [
    [
      "Laptop battery drains in two hours",
      "My ThinkPad went from a full day to about two hours on battery since last week.",
    ],
    [
      "Second monitor flickers",
      "The external monitor on my desk flickers every few seconds, on both HDMI and DisplayPort.",
    ],
    [
      "Printer on floor 3 jams every morning",
      "The HP printer near the kitchen jams on the first job of the day. It says tray 2.",
    ],
    [
      "Keyboard missing keys",
      "The E and R keys on my keyboard stopped working after a coffee incident. Sorry!",
    ],
    [
      "Docking station does not charge laptop",
      "The dock powers the screens but the laptop does not charge through it.",
    ],
    [
      "Need a headset for calls",
      "I joined the support rotation and need a headset with a microphone.",
    ],
    [
      "Projector in meeting room B shows no signal",
      "Nothing shows when I connect my laptop to the projector in room B.",
    ],
    ["Phone screen cracked", "I dropped my work phone; the screen is cracked but it still works."],
    [
      "New starter needs a laptop",
      "Sam joins the finance team on Monday and needs a laptop set up.",
    ],
    [
      "Mouse double-clicks on its own",
      "Single clicks register as double clicks, which makes dragging files impossible.",
    ],
    [
      "Conference camera upside down",
      "The camera in the boardroom shows the picture upside down in every call.",
    ],
    ["Laptop fan very loud", "The fan runs at full speed all day, even with only email open."],
  ],
  Software: [
    [
      "Excel crashes when opening the budget file",
      "Excel closes without a message when I open Q3-budget.xlsx. Other files are fine.",
    ],
    [
      "Need Adobe Acrobat Pro",
      "I have to edit and sign PDFs for contracts. Could I get an Acrobat Pro licence?",
    ],
    [
      "Outlook keeps asking for my password",
      "Outlook prompts for my password every ten minutes since this morning.",
    ],
    [
      "Teams notifications do not appear",
      "I do not get any notifications for Teams messages on my desktop.",
    ],
    [
      "Update stuck at 35 %",
      "The system update has been stuck at 35 % for an hour. Is it safe to restart?",
    ],
    [
      "Install Python 3.13 for the data team",
      "The data team needs Python 3.13 on the shared analysis machine.",
    ],
    ["Browser extension blocked", "The password manager extension is blocked by policy in Chrome."],
    [
      "Calendar invites arrive in the wrong time zone",
      "Invites from the Berlin office show one hour off.",
    ],
    ["PDF printer missing", "The 'Print to PDF' printer disappeared from my print dialog."],
    [
      "CRM very slow since update",
      "Every page in the CRM takes 20 seconds to load since Tuesday's update.",
    ],
    [
      "Spell check stopped working in Word",
      "Word no longer underlines spelling mistakes in any document.",
    ],
    [
      "Request: diagram software",
      "I would like a licence for a diagram tool to draw our process maps.",
    ],
  ],
  Network: [
    [
      "Wi-Fi drops in the east wing",
      "The Wi-Fi disconnects every few minutes in the east wing meeting rooms.",
    ],
    [
      "VPN disconnects every 10 minutes",
      "When working from home, the VPN drops every ten minutes and I lose my session.",
    ],
    [
      "Cannot reach the file share from home",
      "The S: drive does not open over VPN; it works in the office.",
    ],
    [
      "Guest Wi-Fi password for visitors",
      "We have auditors visiting on Thursday and need guest Wi-Fi access for three people.",
    ],
    [
      "Slow internet in the warehouse",
      "Scanning orders in the warehouse takes ages; speed tests show 2 Mbit/s.",
    ],
    ["Network port dead at desk 4.12", "The wall port at desk 4.12 has no link light."],
    [
      "Website blocked by the filter",
      "Our supplier's portal is blocked as 'uncategorised'. We need it for orders.",
    ],
    ["Video calls choppy in the afternoon", "Calls break up every afternoon between 2 and 4 pm."],
    ["Cannot print over Wi-Fi", "The printer is not found when I am on Wi-Fi; on cable it works."],
    [
      "DNS error for the intranet",
      "The intranet gives 'server not found' unless I type its IP address.",
    ],
    [
      "Need a static IP for the lab device",
      "The new lab analyser needs a fixed IP address on the lab network.",
    ],
    [
      "VPN certificate expired warning",
      "The VPN client warns that my certificate expires in three days.",
    ],
  ],
  "Access & accounts": [
    [
      "Locked out after password change",
      "I changed my password this morning and now my account is locked.",
    ],
    [
      "Access to the finance shared folder",
      "I moved to the finance team and need access to the Finance folder.",
    ],
    [
      "New starter account for Sam Lee",
      "Please create accounts for Sam Lee (finance), starting Monday.",
    ],
    ["Remove access for leaver", "Jordan left on Friday; please disable their accounts."],
    ["MFA app on new phone", "I have a new phone and need to move my authenticator app."],
    ["Cannot sign in to the HR portal", "The HR portal says my account does not exist."],
    [
      "Shared mailbox for the events team",
      "Could we get a shared mailbox events@ for the events team?",
    ],
    [
      "Admin rights to install a driver",
      "I need to install a driver for a USB measurement device.",
    ],
    ["Password reset for the CRM", "I forgot my CRM password and the reset link never arrives."],
    ["Add me to the marketing distribution list", "I do not receive the marketing team's emails."],
    [
      "Badge does not open the server room",
      "My badge stopped opening the server room door this week.",
    ],
    ["Access to the analytics dashboard", "I need read access to the sales analytics dashboard."],
  ],
  Other: [
    ["Where do I order a new desk chair?", "My chair is broken. Is that IT or facilities?"],
    [
      "Question about the phishing email",
      "I received an email asking me to confirm my payroll details. Is it real?",
    ],
    ["Training on the new ticket system", "Could someone show our team how to use the help desk?"],
    [
      "Move my workstation to the 2nd floor",
      "I am moving desks next week; can someone move my PC and phones?",
    ],
    [
      "Old laptops to recycle",
      "We have six old laptops in the store room. How do we dispose of them?",
    ],
    ["Wrong name in the directory", "My surname is misspelled in the company directory."],
    ["Request for a loaner laptop", "I need a loaner laptop for a conference next week."],
    ["TV in reception shows no picture", "The TV in reception only shows 'no input'."],
    [
      "Recover a deleted file",
      "I deleted a presentation from the shared drive by mistake yesterday.",
    ],
    [
      "Set up a meeting room display",
      "The new meeting room on floor 2 needs its display configured.",
    ],
    [
      "Suspicious USB stick found",
      "I found a USB stick in the car park. I have not plugged it in.",
    ],
    ["Out-of-office message help", "How do I set an automatic reply while I am on holiday?"],
  ],
};

const FIRST_REPLIES = [
  "Thanks for reporting this. I'm looking into it now.",
  "Thanks, I've picked this up and will get back to you shortly.",
  "Got it. Could you tell me when this first started?",
  "Thanks for the details. I'll check the logs and update you today.",
  "I'm on it. This looks familiar; I'll confirm once I've tested a fix.",
];
const REQUESTER_REPLIES = [
  "Thanks! It started on Monday, as far as I can tell.",
  "It's still happening this morning.",
  "I restarted as suggested, no change.",
  "Great, thank you for the quick answer.",
  "I'm at my desk all afternoon if you want to come by.",
];
const HOLD_REPLIES = [
  "Could you send a screenshot of the error message? I'll wait for it before going further.",
  "Can you let me know when you're next in the office, so I can look at it on site?",
  "Could you confirm your device's asset tag (on the sticker underneath)?",
];
const RESOLUTIONS = [
  "This is fixed now. Please check on your side; you can reopen the ticket if it comes back.",
  "Done: access is granted. You may need to sign out and in again.",
  "I've replaced the faulty part. Everything tested fine here.",
  "Resolved by updating the configuration. Let me know if you still see the problem.",
  "All set. I've also added a note to our knowledge base for next time.",
];
const NOTES = [
  "Same issue as last month on this floor; probably the access point. Checking the controller.",
  "Vendor case opened, reference pending.",
  "Needs a manager's approval for the licence; asked by email.",
  "Spare in stock, shelf B3.",
  "Checked the logs: repeated authentication failures from an old device.",
  "Low risk, but keep an eye on it: a second report would mean a wider problem.",
];

export type DemoEvent =
  | { kind: "create"; at: Date; by: string }
  | { kind: "assign"; at: Date; by: string; to: string }
  | { kind: "reply"; at: Date; by: string; body: string; staff: boolean }
  | { kind: "note"; at: Date; by: string; body: string }
  | { kind: "status"; at: Date; by: string; to: TicketStatus };

export type DemoTicket = {
  title: string;
  description: string;
  category: CategoryName;
  priority: TicketPriority;
  /** Final status: what the events lead to. */
  status: TicketStatus;
  requester: string;
  createdAt: Date;
  /** In time order, starting with "create". */
  events: DemoEvent[];
};

function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const repeat = <T>(value: T, times: number): T[] => Array.from({ length: times }, () => value);

/**
 * Statuses by age, oldest tickets first: 20 old (mostly closed), 16 middle-aged, 16 recent (mostly
 * being worked on), and the 8 newest still NEW. Totals: NEW 8, OPEN 8, IN_PROGRESS 10,
 * ON_HOLD 6, RESOLVED 12, CLOSED 16.
 */
function statusesByAge(rnd: () => number): TicketStatus[] {
  const old = [...repeat("CLOSED", 14), ...repeat("RESOLVED", 4), "ON_HOLD", "IN_PROGRESS"];
  const middle = [
    ...repeat("RESOLVED", 6),
    ...repeat("CLOSED", 2),
    ...repeat("IN_PROGRESS", 4),
    ...repeat("ON_HOLD", 2),
    ...repeat("OPEN", 2),
  ];
  const recent = [
    ...repeat("OPEN", 6),
    ...repeat("IN_PROGRESS", 5),
    ...repeat("ON_HOLD", 3),
    ...repeat("RESOLVED", 2),
  ];
  return [
    ...shuffle(old as TicketStatus[], rnd),
    ...shuffle(middle as TicketStatus[], rnd),
    ...shuffle(recent as TicketStatus[], rnd),
    ...repeat<TicketStatus>("NEW", 8),
  ];
}

const PRIORITY_PATTERN: TicketPriority[] = [
  "MEDIUM",
  "LOW",
  "HIGH",
  "MEDIUM",
  "MEDIUM",
  "URGENT",
  "LOW",
  "MEDIUM",
  "HIGH",
  "LOW",
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The demo tickets, oldest first, with every event dated before `now`. */
export function planDemoTickets(now: Date = new Date()): DemoTicket[] {
  const rnd = prng(20_261_203);
  const categories = Object.keys(SUBJECTS) as CategoryName[];
  // Interleave categories so each period of the month has a bit of everything.
  const subjects = shuffle(
    categories.flatMap((category) =>
      SUBJECTS[category].map(([title, description]) => ({ category, title, description })),
    ),
    rnd,
  );
  const statuses = statusesByAge(rnd);
  const count = subjects.length;
  const end = now.getTime();
  const start = end - 30 * DAY;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;

  return subjects.map((subject, i) => {
    const status = statuses[i]!;
    // The NEW ones arrive over the last day; the rest spread over the month, oldest first.
    const createdAt = new Date(
      status === "NEW"
        ? end - DAY + ((i - (count - 8)) / 8) * (DAY - 2 * HOUR) + rnd() * HOUR
        : start + (i / (count - 8)) * (29 * DAY - 4 * HOUR) + rnd() * 3 * HOUR,
    );
    const requester = i % 4 === 0 ? REQUESTERS[0] : REQUESTERS[1 + (i % (REQUESTERS.length - 1))]!;
    const events: DemoEvent[] = [{ kind: "create", at: createdAt, by: requester }];
    // Later steps share the time left until now, so even a 2-day-old ticket fits its story.
    const span = end - createdAt.getTime() - 10 * 60_000;
    let step = 0;
    const at = (fraction: number) => new Date(createdAt.getTime() + fraction * span);
    const next = (fraction: number) => at(Math.max(fraction, (step += 0.01)));

    if (status === "NEW") {
      if (i % 3 === 0) {
        events.push({
          kind: "reply",
          at: at(0.5),
          by: requester,
          body: pick(REQUESTER_REPLIES),
          staff: false,
        });
      }
    } else {
      // OPEN tickets every other time wait in the Unassigned queue (opened by a first reply).
      const assignee =
        status === "OPEN" && i % 2 === 0 ? null : TECHS[i % 5 < 3 ? 0 : i % 5 === 3 ? 1 : 2]!;
      const responder = assignee ?? TECHS[1];
      if (assignee) {
        events.push(
          assignee === DISPATCHER || i % 3 === 0
            ? { kind: "assign", at: next(0.02), by: DISPATCHER, to: assignee }
            : { kind: "assign", at: next(0.02), by: assignee, to: assignee },
        );
      }
      events.push({
        kind: "reply",
        at: next(0.04),
        by: responder,
        body: pick(FIRST_REPLIES),
        staff: true,
      });
      if (i % 2 === 1)
        events.push({ kind: "note", at: next(0.06), by: responder, body: pick(NOTES) });
      if (i % 3 !== 2) {
        events.push({
          kind: "reply",
          at: next(0.1),
          by: requester,
          body: pick(REQUESTER_REPLIES),
          staff: false,
        });
      }
      if (status !== "OPEN") {
        events.push({ kind: "status", at: next(0.15), by: responder, to: "IN_PROGRESS" });
        if (status === "ON_HOLD") {
          events.push({
            kind: "reply",
            at: next(0.3),
            by: responder,
            body: pick(HOLD_REPLIES),
            staff: true,
          });
          events.push({ kind: "status", at: next(0.31), by: responder, to: "ON_HOLD" });
        }
        if (status === "RESOLVED" || status === "CLOSED") {
          // Resolved within hours for urgent work, within a few days for the rest.
          const resolveFraction = Math.min(0.6, ((2 + rnd() * 60) * HOUR) / span + 0.16);
          events.push({
            kind: "reply",
            at: next(resolveFraction),
            by: responder,
            body: pick(RESOLUTIONS),
            staff: true,
          });
          events.push({
            kind: "status",
            at: next(resolveFraction + 0.001),
            by: responder,
            to: "RESOLVED",
          });
          if (status === "CLOSED") {
            // The requester accepts the resolution, or the desk closes it after a quiet while.
            events.push({
              kind: "status",
              at: next(Math.min(0.95, resolveFraction + 0.2)),
              by: i % 2 === 0 ? requester : responder,
              to: "CLOSED",
            });
          }
        }
      }
    }
    return {
      ...subject,
      priority: PRIORITY_PATTERN[i % PRIORITY_PATTERN.length]!,
      status,
      requester,
      createdAt,
      events,
    };
  });
}
