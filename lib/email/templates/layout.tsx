// The frame of every mail: plain, readable in any client, no remote images or fonts (mail
// clients block them, and they would tell a sender when a mail was opened).
import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";

const page = { backgroundColor: "#f4f4f5", fontFamily: "system-ui, Arial, sans-serif" };
const box = { backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px", margin: "0 auto" };
const footer = { color: "#71717a", fontSize: "12px", lineHeight: "18px" };

export function Layout(props: { preview: string; footer: string; children: ReactNode }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={page}>
        <Container style={box}>
          {props.children}
          <Hr />
          <Section>
            <Text style={footer}>{props.footer}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}

export const styles = {
  heading: { fontSize: "18px", fontWeight: 600, margin: "0 0 12px" },
  text: { fontSize: "14px", lineHeight: "22px", margin: "0 0 12px" },
  quote: {
    fontSize: "14px",
    lineHeight: "22px",
    whiteSpace: "pre-wrap" as const,
    borderLeft: "3px solid #d4d4d8",
    paddingLeft: "12px",
    margin: "0 0 16px",
    color: "#27272a",
  },
  button: {
    backgroundColor: "#1d4ed8",
    color: "#ffffff",
    padding: "10px 16px",
    borderRadius: "6px",
    fontSize: "14px",
    textDecoration: "none",
  },
};

/** The heading and the plain lines that open every mail. */
export function Intro(props: { heading: string; lines: string[] }) {
  return (
    <>
      <Heading as="h1" style={styles.heading}>
        {props.heading}
      </Heading>
      {props.lines.map((line, i) => (
        <Text key={i} style={styles.text}>
          {line}
        </Text>
      ))}
    </>
  );
}
