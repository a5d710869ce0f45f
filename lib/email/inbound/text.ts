// The text of an inbound mail as a reply or ticket description: the plain part (or the HTML part
// turned into text: scripts, styles and markup never survive), with quoted history and
// signatures trimmed (email-reply-parser: Gmail's "On ... wrote:", Outlook's "From:/Sent:"
// blocks and "-----Original Message-----", "> " quotes, "-- " signatures). The original is kept.
import EmailReplyParser from "email-reply-parser";
import { convert } from "html-to-text";
import type { ParsedMail } from "mailparser";

const MAX_TEXT = 20_000; // the comment body limit (tickets' COMMENT_MAX)

export function originalText(mail: ParsedMail): string {
  if (mail.text && mail.text.trim() !== "") return mail.text;
  if (typeof mail.html === "string") {
    return convert(mail.html, {
      wordwrap: false,
      selectors: [
        { selector: "script", format: "skip" },
        { selector: "style", format: "skip" },
        { selector: "img", format: "skip" },
        { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
      ],
    });
  }
  return "";
}

const OUTLOOK_HEADER = /^\s*(?:From|Von|De):\s.+\r?\n\s*(?:Sent|Gesendet|Envoyé|Date):\s/m;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*Original Message\s*-{2,}/im;
const MOBILE_SIGNATURE = /^\s*Sent from my (?:iPhone|iPad|Android|mobile)[^\n]*$/gim;

/** What the person wrote in this mail, without the history below it. */
export function visibleText(full: string): string {
  let text = full.replace(/\r\n/g, "\n");
  // Outlook quotes without ">" under a header block: cut there first.
  for (const marker of [ORIGINAL_MESSAGE, OUTLOOK_HEADER]) {
    const at = text.search(marker);
    if (at > 0) text = text.slice(0, at);
  }
  text = new EmailReplyParser().read(text).getVisibleText();
  text = text.replace(MOBILE_SIGNATURE, "").trim();
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
