/** Data for a portal page: loads on mount and when `deps` change; a 401 ends the session as everywhere. */
import { useEffect, useState, messageOf, onUnauthenticated } from '../../../../ui/plugin-sdk.js';

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && (setData(value), setError(undefined)),
      (e: unknown) => current && !onUnauthenticated(e) && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [...deps, round]);
  return { data, error, reload: () => setRound((r) => r + 1) };
}
