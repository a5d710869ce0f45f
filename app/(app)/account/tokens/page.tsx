import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokenCreateForm } from "@/components/forms/api-token-create-form";
import { ConfirmPasswordForm } from "@/components/forms/confirm-password-form";
import { ApiTokenList } from "@/components/tokens/api-token-list";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { can } from "@/lib/auth/permissions";
import { hasFreshConfirmation, readReauthToken } from "@/lib/auth/reauth";
import { db } from "@/lib/db";
import { scopeOptions, tokenRows } from "@/lib/api-tokens/queries";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const user = await requirePagePermission("apitoken:manage");
  const tokens = await tokenRows(user);
  // A "Manage users" token stands in for a password confirmation later, so it needs one now.
  const needsConfirmation =
    can(user, "user:manage") && !(await hasFreshConfirmation(db, user.id, await readReauthToken()));
  return (
    <div className="max-w-2xl space-y-6">
      <PageHeader
        title="API tokens"
        description={
          <>
            Personal access tokens let scripts and tools use the REST API as you, within the scopes
            you choose and never beyond your role. Send one as{" "}
            <code>Authorization: Bearer tsr_pat_…</code>. What each scope opens:{" "}
            <Link className="underline" href="/developers/api">
              REST API reference
            </Link>
            .
          </>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>New token</CardTitle>
          <CardDescription>
            The token is shown once, right after you create it. Only a fingerprint of it is kept.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ApiTokenCreateForm scopes={scopeOptions(user.role)} />
        </CardContent>
      </Card>
      {needsConfirmation && (
        <Card>
          <CardHeader>
            <CardTitle>Password confirmation</CardTitle>
            <CardDescription>
              A token with the &ldquo;Manage users&rdquo; scope can deactivate accounts and change
              roles without asking again, so creating one needs your password from the last 15
              minutes.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ConfirmPasswordForm />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Your tokens</CardTitle>
          <CardDescription>
            Revoke a token you no longer use, or one that may have leaked: it stops at once.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ApiTokenList tokens={tokens} />
        </CardContent>
      </Card>
    </div>
  );
}
