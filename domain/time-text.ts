/** The time zone Current Details show times in, beside UTC: the campaigns' teams work in Germany. */
export const DISPLAY_TIME_ZONE = 'Europe/Berlin';

const LOCAL = new Intl.DateTimeFormat('en-GB', {
  timeZone: DISPLAY_TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});
const UTC = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' });

/** A moment as a person reads it: `Wed, 25 Nov 2026, 13:10 CET (12:10 UTC)`. */
export function timeText(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${LOCAL.format(at)} (${UTC.format(at)} UTC)`;
}

/** How long until `iso` from `now`: `2 days 23 hours`, `5 hours 10 minutes`, `passed`. */
export function timeLeft(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return 'passed';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return `${unit(days, 'day')} ${unit(hours, 'hour')}`;
  if (hours > 0) return `${unit(hours, 'hour')} ${unit(mins, 'minute')}`;
  return unit(Math.max(mins, 1), 'minute');
}
