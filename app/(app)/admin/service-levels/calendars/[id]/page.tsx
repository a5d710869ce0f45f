import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BackLink } from "@/components/admin/back-link";
import { CalendarDelete } from "@/components/sla/calendar-delete";
import { CalendarForm } from "@/components/sla/calendar-form";
import { HolidaysPanel } from "@/components/sla/holidays-panel";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePagePermission } from "@/lib/auth/guards";
import { getCalendarForAdmin } from "@/lib/sla/admin-queries";

export const metadata: Metadata = { title: "Calendar" };

export default async function CalendarPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requirePagePermission("sla:manage");
  const { id } = await params;
  const calendar = await getCalendarForAdmin(viewer, id);
  if (!calendar) notFound();
  return (
    <div className="max-w-3xl space-y-6">
      <BackLink href="/admin/service-levels">Service levels</BackLink>
      <PageHeader title={calendar.name} description={`Business hours in ${calendar.timeZone}.`} />
      <Card>
        <CardContent>
          <CalendarForm calendar={calendar} timeZones={Intl.supportedValuesOf("timeZone")} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Holidays</CardTitle>
          <CardDescription>
            Closed all day, in the calendar&apos;s time zone (a night window starting that day is
            closed too).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <HolidaysPanel
            calendarId={calendar.id}
            holidays={calendar.holidays}
            year={new Date().getUTCFullYear()}
          />
        </CardContent>
      </Card>
      <CalendarDelete id={calendar.id} name={calendar.name} policyCount={calendar.policyCount} />
    </div>
  );
}
