// Creates an account from the command line (the first admin of a production install):
//   npm run user:create -- --email ada@example.com --role admin [--name "Ada Lovelace"] [--must-change-password]
// The password is never an argument (it would land in shell history and `ps`): it is the first
// line of standard input when piped, or typed twice without echo on a terminal.
// Exit codes: 0 created, 1 refused (password policy, duplicate email, invalid field),
// 2 usage error, 3 unexpected failure (database unreachable, not migrated...).
//
// Script-safe imports only (no "server-only" modules): see prisma/seed.ts.
import os from "node:os";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users/service";
import { ROLES } from "@/lib/users/schemas";
import { createPrismaClient } from "@/prisma/client";

const USAGE = `Usage: npm run user:create -- --email EMAIL --role admin|technician|user [--name NAME] [--must-change-password]
The password is read from standard input (first line) or prompted for on a terminal.`;

class UsageError extends Error {}

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        email: { type: "string" },
        role: { type: "string" },
        name: { type: "string" },
        "must-change-password": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return null;
  if (!values.email) throw new UsageError("--email is required.");
  const role = values.role?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role))
    throw new UsageError("--role must be admin, technician or user.");
  return {
    email: values.email,
    role: role as (typeof ROLES)[number],
    // Default display name: the part before the @, which an admin can edit later.
    name: values.name ?? values.email.split("@")[0] ?? values.email,
    mustChangePassword: values["must-change-password"],
  };
}

async function readPipedLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const firstLine = Buffer.concat(chunks).toString("utf8").split("\n")[0] ?? "";
  return firstLine.replace(/\r$/, "");
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    let value = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const char of Array.from(data)) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new UsageError("Cancelled."));
        if (char === "\u007f" || char === "\b") value = Array.from(value).slice(0, -1).join("");
        else if (char >= " ") value += char;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readPipedLine();
  const first = await promptHidden("Password (at least 12 characters, 15+ recommended): ");
  const second = await promptHidden("Repeat the password: ");
  if (first !== second) throw new UsageError("The two passwords do not match.");
  return first;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!args) {
    console.log(USAGE);
    return 0;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set.");
    return 2;
  }
  let password: string;
  try {
    password = await readPassword();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  const db = createPrismaClient(url, { max: 1 });
  try {
    const user = await createUser(
      db,
      { ...args, password },
      {
        actor: null,
        context: { requestId: `cli-${randomUUID()}` },
        metadata: { via: "cli", osUser: safeOsUser(), host: os.hostname() },
      },
    );
    console.log(`Created ${user.role} ${user.email} (id ${user.id}).`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const details = Object.entries(error.fieldErrors ?? {}).map(
        ([field, messages]) => `  ${field}: ${messages.join(" ")}`,
      );
      console.error(
        details.length > 0
          ? ["Not created:", ...details].join("\n")
          : `Not created: ${error.message}`,
      );
      return 1;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
}

function safeOsUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return null;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  },
);
