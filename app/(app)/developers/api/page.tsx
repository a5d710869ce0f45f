import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-reference/api-reference";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/auth/guards";
import { publicOrigin } from "@/lib/security/headers";

export const metadata: Metadata = { title: "REST API reference" };

/** The REST API's reference, from the same OpenAPI document the API serves (ADR 026). */
export default async function ApiReferencePage() {
  await requirePageUser();
  const origin = publicOrigin(
    await headers(),
    new URL("http://localhost:3000"),
    process.env.AUTH_URL || undefined,
  );
  return (
    <div className="max-w-4xl space-y-6">
      <PageHeader
        title="REST API reference"
        description="Every operation of /api/v1: its token scope, parameters, body and answers."
      />
      <ApiReference origin={origin} />
    </div>
  );
}
