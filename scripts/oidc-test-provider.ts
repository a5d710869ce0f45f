// A real OpenID Connect provider for the single sign-on tests (oidc-provider, a devDependency):
// `node --import tsx scripts/oidc-test-provider.ts` with OIDC_PORT, OIDC_CLIENT_ID and
// OIDC_CLIENT_SECRET; scripts/lib/test-services.ts starts it for `npm test` and
// scripts/attachment-services.ts. Loopback only, test-only: never deploy it.
//
// - Its own login form (oidc-provider's development interaction: any login name, any password);
//   the login name is the subject. Consent is implied for the one client.
// - People: PUT /__test/users/<login> with JSON {email, email_verified, name, groups, misbehave}
//   sets what the ID token says at that person's NEXT sign-in (groups change between sign-ins).
//   Unknown logins get <login>@sso.tessera.test (verified) and no groups.
// - Misbehaving modes, per person ("misbehave"): "wrong_audience" issues ID tokens for another
//   client; "expired" issues ID tokens whose exp lies an hour in the past. Both are signed with
//   the provider's real key, so only the claim is wrong.
// - Any http://127.0.0.1:<port>/api/auth/callback/oidc or http://localhost:<port>/... redirect URI
//   is accepted for the client (the e2e server's port is chosen later than this process).
import { createServer, type IncomingMessage } from "node:http";
import Provider from "oidc-provider";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";

const port = Number(process.env.OIDC_PORT);
const clientId = process.env.OIDC_CLIENT_ID ?? "tessera";
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? "tessera-test-secret";
if (!Number.isInteger(port) || port <= 0) throw new Error("OIDC_PORT must be a port number");
const issuer = `http://127.0.0.1:${port}`;

type TestUser = {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  misbehave?: "wrong_audience" | "expired" | null;
};
const users = new Map<string, TestUser>();

const KID = "tessera-test-key";
const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: KID, alg: "RS256", use: "sig" };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: ["http://127.0.0.1/api/auth/callback/oidc"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ["tessera-oidc-test-cookie-key"] },
  // Scope claims go into the ID token (Auth.js reads the profile from it, not from userinfo).
  conformIdTokenClaims: false,
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "groups"],
  },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx: unknown, id: string) {
    return {
      accountId: id,
      async claims() {
        const u = users.get(id) ?? {};
        return {
          sub: id,
          email: u.email ?? (id.includes("@") ? id : `${id}@sso.tessera.test`),
          email_verified: u.email_verified ?? true,
          name: u.name ?? id,
          groups: u.groups ?? [],
        };
      },
    };
  },
  // A first-party client: consent is implied (no second screen).
  async loadExistingGrant(ctx: {
    oidc: {
      client: { clientId: string };
      session: { accountId: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string } };
      provider: Provider;
    };
  }) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
    if (grantId) return oidc.provider.Grant.find(grantId);
    const grant = new oidc.provider.Grant({
      clientId: oidc.client.clientId,
      accountId: oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});

const LOOPBACK_CALLBACK = /^http:\/\/(127\.0\.0\.1|localhost):\d{1,5}\/api\/auth\/callback\/oidc$/;
provider.Client.prototype.redirectUriAllowed = (value: string) => LOOPBACK_CALLBACK.test(value);

// The misbehaving modes: the token endpoint's ID token re-signed with one claim wrong.
provider.use(async (ctx, next) => {
  await next();
  const body = ctx.body as { id_token?: string } | undefined;
  if (ctx.path !== "/token" || ctx.status !== 200 || !body?.id_token) return;
  const claims = decodeJwt(body.id_token);
  const mode = users.get(String(claims.sub))?.misbehave;
  if (!mode) return;
  const now = Math.floor(Date.now() / 1000);
  const changed =
    mode === "wrong_audience"
      ? { ...claims, aud: "some-other-client" }
      : { ...claims, iat: now - 7200, exp: now - 3600 };
  body.id_token = await new SignJWT(changed)
    .setProtectedHeader({ alg: "RS256", kid: KID })
    .sign(privateKey);
});

// What went wrong, for whoever reads the test output (oidc-provider's own events).
for (const event of ["grant.error", "authorization.error", "server_error"]) {
  provider.on(event, (_ctx: unknown, error: unknown) => {
    const e = error as { message?: string; error_description?: string };
    console.error(`${event}: ${e.message ?? ""} ${e.error_description ?? ""}`);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
}

const handle = provider.callback();
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", issuer);
  const person = /^\/__test\/users\/([^/]+)$/.exec(url.pathname);
  if (person && req.method === "PUT") {
    readJson(req)
      .then((body) => {
        users.set(decodeURIComponent(person[1]!), body as TestUser);
        res.writeHead(204).end();
      })
      .catch(() => res.writeHead(400).end());
    return;
  }
  if (url.pathname === "/__test/health") {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    return;
  }
  handle(req, res);
});
server.listen(port, "127.0.0.1", () => console.log(`oidc test provider on ${issuer}`));

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
