import { createContext, useEffect, useState } from 'react';

/** The dashboard's clock (ms since epoch), for ages: rows in view re-render when it ticks. */
export const Clock = createContext(Date.now());

/** A clock that ticks every `intervalMs`. */
export function useTicking(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
