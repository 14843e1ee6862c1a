/** The time zone Current Details show times in, beside UTC: the campaigns' teams work in Germany. */
export const DISPLAY_TIME_ZONE = 'Europe/Berlin';

const formats = new Map<string, { local: Intl.DateTimeFormat; utc: Intl.DateTimeFormat }>();
function formatsFor(locale: string) {
  let known = formats.get(locale);
  if (!known) {
    known = {
      local: new Intl.DateTimeFormat(locale, {
        timeZone: DISPLAY_TIME_ZONE,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
      }),
      utc: new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }),
    };
    formats.set(locale, known);
  }
  return known;
}

/** A moment as a person reads it: `Wed, 25 Nov 2026, 13:10 CET (12:10 UTC)` (`en-GB`; `de-DE` in German). */
export function timeText(iso: string, locale = 'en-GB'): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const { local, utc } = formatsFor(locale);
  return `${local.format(at)} (${utc.format(at)} UTC)`;
}

/** Words for the units of {@link timeLeft}: singular and plural, and what a time in the past is. */
export interface TimeUnits {
  day: [string, string];
  hour: [string, string];
  minute: [string, string];
  passed: string;
}

const ENGLISH_UNITS: TimeUnits = {
  day: ['day', 'days'],
  hour: ['hour', 'hours'],
  minute: ['minute', 'minutes'],
  passed: 'passed',
};

/** How long until `iso` from `now`: `2 days 23 hours`, `5 hours 10 minutes`, `passed`. */
export function timeLeft(iso: string, now: number, units: TimeUnits = ENGLISH_UNITS): string {
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return units.passed;
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const unit = (n: number, [one, many]: [string, string]) => `${n} ${n === 1 ? one : many}`;
  if (days > 0) return `${unit(days, units.day)} ${unit(hours, units.hour)}`;
  if (hours > 0) return `${unit(hours, units.hour)} ${unit(mins, units.minute)}`;
  return unit(Math.max(mins, 1), units.minute);
}
