// Mail about the account itself (password reset) and security alerts to the admins.
import { Button, Heading, Section, Text } from "@react-email/components";
import { Layout, styles } from "@/lib/email/templates/layout";

export function AccountMail(props: {
  preview: string;
  heading: string;
  lines: string[];
  action?: { url: string; label: string };
  footer: string;
}) {
  return (
    <Layout preview={props.preview} footer={props.footer}>
      <Heading as="h1" style={styles.heading}>
        {props.heading}
      </Heading>
      {props.lines.map((line, i) => (
        <Text key={i} style={styles.text}>
          {line}
        </Text>
      ))}
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
