/** Median of a list of numbers (NaN for none). */
export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** The `q` quantile (0..1) by linear interpolation between the closest ranks. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lower = sorted[low] ?? Number.NaN;
  const upper = sorted[high] ?? lower;
  return lower + (upper - lower) * (position - low);
}

/** A goal and how a measured figure stands against it. */
export interface GoalCheck {
  name: string;
  value: number;
  unit: string;
  goal: number;
  /** `max`: the value must not exceed the goal; `min`: it must reach it. */
  kind: 'max' | 'min';
}

/** "met", or how far off the goal is, in percent of the goal. */
export function verdict({ value, goal, kind }: GoalCheck): string {
  const met = kind === 'max' ? value <= goal : value >= goal;
  if (met) return 'met';
  const off = (Math.abs(value - goal) / goal) * 100;
  return `missed by ${off.toFixed(0)}%`;
}
