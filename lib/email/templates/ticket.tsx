// Every ticket notification: what happened, the message when there is one (its text, escaped by
// React like everything a user wrote), and a link to the ticket.
import { Button, Section, Text } from "@react-email/components";
import { Intro, Layout, styles } from "@/lib/email/templates/layout";

export type TicketMailProps = {
  preview: string;
  heading: string;
  lines: string[];
  /** A message to quote: who wrote it and its text (Markdown source, shown as plain text). */
  message?: { author: string; body: string; files: number };
  ticketUrl: string;
  ticketLabel: string;
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
      <Section>
        <Button href={props.ticketUrl} style={styles.button}>
          {props.ticketLabel}
        </Button>
      </Section>
    </Layout>
  );
}
