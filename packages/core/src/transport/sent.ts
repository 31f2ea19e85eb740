/**
 * A request made now, with `onSent` to hand to the transport (`TransportRequest.onSent`): its answer,
 * and `sent`, which settles once the transport says the request has been sent, or, where it does not
 * say, once the answer has come or failed. `answer` is the caller's to await or drop; its failure
 * is never unhandled. The reflector waits for `sent` before it parses a LIST page (`Reflector.list`).
 */
export function whenSent<T>(request: (onSent: () => void) => Promise<T>): {
  answer: Promise<T>;
  sent: Promise<void>;
} {
  let onSent: () => void = () => undefined;
  const sent = new Promise<void>((resolve) => {
    onSent = resolve;
  });
  const answer = request(onSent);
  const settled = answer.then(
    () => undefined,
    () => undefined,
  );
  return { answer, sent: Promise.race([sent, settled]) };
}
