// `node --import ./scripts/bench/allow-server-only.ts`: lets a bench load the app's modules that
// import "server-only" WITHOUT the react-server condition (which would also refuse
// react-dom/server, and so the email rendering). Next.js does the same for its server code.
import { register } from "node:module";

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,", shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
