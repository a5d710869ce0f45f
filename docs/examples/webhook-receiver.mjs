// A small webhook receiver for trying Tessera's webhooks (docs/webhooks.md):
//   WEBHOOK_SECRET=whsec_... node docs/examples/webhook-receiver.mjs   # http://127.0.0.1:8787
// Answers 204 to a verified delivery (printing each delivery id once: deliveries are at least
// once) and 400 to anything else.
import { createServer } from "node:http";
import { verifyTesseraWebhook } from "./verify-webhook.mjs";

const secret = process.env.WEBHOOK_SECRET ?? "";
const seen = new Set();

createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const event = verifyTesseraWebhook(
        secret,
        Buffer.concat(chunks),
        req.headers["tessera-signature"],
      );
      if (!seen.has(event.id)) {
        seen.add(event.id);
        console.log(event.type, JSON.stringify(event.data));
      }
      res.writeHead(204).end();
    } catch (err) {
      res.writeHead(400, { "Content-Type": "text/plain" }).end(err.message);
    }
  });
}).listen(8787, "127.0.0.1");
