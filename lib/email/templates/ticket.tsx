// Every ticket notification: what happened, the message when there is one (its text, escaped by
// React like everything a user wrote), and a link to the ticket.
import { Button, Link, Section, Text } from "@react-email/components";
import { Intro, Layout, styles } from "@/lib/email/templates/layout";

export type TicketMailProps = {
  preview: string;
  heading: string;
  lines: string[];
  /** A message to quote: who wrote it and its text (Markdown source, shown as plain text). */
  message?: { author: string; body: string; files: number };
  ticketUrl: string;
  ticketLabel: string;
  /** "How did we do?" one-click links (the resolved mail): each opens a page that asks to send. */
  survey?: { label: string; href: string }[] | null;
  footer: string;
};

export function TicketMail(props: TicketMailProps) {
  return (
    <Layout preview={props.preview} footer={props.footer}>
      <Intro heading={props.heading} lines={props.lines} />
      {props.message && (
        <Section>
          <Text style={styles.text}>
            <strong>{props.message.author}</strong> wrote:
          </Text>
          {props.message.body !== "" && <Text style={styles.quote}>{props.message.body}</Text>}
          {props.message.files > 0 && (
            <Text style={styles.text}>
              {props.message.files === 1
                ? "1 file attached (on the ticket page)."
                : `${props.message.files} files attached (on the ticket page).`}
            </Text>
          )}
        </Section>
      )}
      {props.survey && props.survey.length > 0 && (
        <Section>
          <Text style={styles.text}>
            <strong>How did we do?</strong>{" "}
            {props.survey.map((link, i) => (
              <span key={link.href}>
                {i > 0 && " · "}
                <Link href={link.href}>{link.label}</Link>
              </span>
            ))}
          </Text>
        </Section>
      )}
      <Section>
        <Button href={props.ticketUrl} style={styles.button}>
          {props.ticketLabel}
        </Button>
      </Section>
    </Layout>
  );
}
