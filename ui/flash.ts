/** A one-time message carried across a navigation ("Customer created." on the page a save leads to). */
const KEY = 'stratum.flash';

export function setFlash(message: string): void {
  sessionStorage.setItem(KEY, message);
}

export function takeFlash(): string | undefined {
  const message = sessionStorage.getItem(KEY) ?? undefined;
  sessionStorage.removeItem(KEY);
  return message;
}
