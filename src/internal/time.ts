// Time units of timestamps and day lengths, shared by every model that measures ages or windows in days (content
// profiles, intent, account labels and features). Not exported by any barrel; `nextbest/accounts` re-exports the type.
import { assertOneOf } from "./validate.ts";

/** The unit of timestamps: seconds (MovieLens) or milliseconds (Date.now, Date.UTC). @category accounts */
export type TimeUnit = "seconds" | "milliseconds";

const TIME_UNITS: readonly TimeUnit[] = ["seconds", "milliseconds"];

/** `options.timeUnit` checked, with its default "seconds". */
export function resolveTimeUnit(fn: string, value: unknown): TimeUnit {
  const unit = value ?? "seconds";
  assertOneOf(fn, "options.timeUnit", unit, TIME_UNITS);
  return unit;
}

/** The length of a day in the unit. */
export function dayLength(unit: TimeUnit): number {
  return unit === "seconds" ? 86_400 : 86_400_000;
}
