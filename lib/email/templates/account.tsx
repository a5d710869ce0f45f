// Mail about the account itself (password reset) and security alerts to the admins.
import { Button, Section } from "@react-email/components";
import { Intro, Layout, styles } from "@/lib/email/templates/layout";

export function AccountMail(props: {
  preview: string;
  heading: string;
  lines: string[];
  action?: { url: string; label: string };
  footer: string;
}) {
  return (
    <Layout preview={props.preview} footer={props.footer}>
      <Intro heading={props.heading} lines={props.lines} />
      {props.action && (
        <Section>
          <Button href={props.action.url} style={styles.button}>
            {props.action.label}
          </Button>
        </Section>
      )}
    </Layout>
  );
}
