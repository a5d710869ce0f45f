// The ticket page lives in its own route group so that no loading boundary (loading.tsx) sits
// above it: a loading boundary sends the 200 and the spinner before the page has decided, and an
// unknown or hidden ticket then answered 200 with the not-found page in the body (issue 10 §5).
// Without one, the response starts only once the page has rendered, and notFound() is a real
// HTTP 404. Same shell and error page as every other signed-in page.
export { default } from "../(app)/layout";
