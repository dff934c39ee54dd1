// Time units of timestamps and day lengths, shared by every model that measures ages or windows in days (content
// profiles, intent, account labels and features). Not exported by any barrel; `nextbest/accounts` re-exports the type.
import { NextbestError } from "../core/errors.ts";
import { assertOneOf } from "./validate.ts";

/** The unit of timestamps: seconds (MovieLens) or milliseconds (Date.now, Date.UTC). @category accounts */
export type TimeUnit = "seconds" | "milliseconds";

const TIME_UNITS: readonly TimeUnit[] = ["seconds", "milliseconds"];

/** Timestamps above this are not seconds since the epoch (1e11 s is the year 5138; 1e11 ms is March 1973). */
const PLAINLY_MILLISECONDS = 1e11;

/**
 * `options.timeUnit` checked against the data's own unit: the option when given, else the unit the interactions
 * carry, else "seconds". An option that contradicts the data's unit is an error, and so are timestamps that are
 * plainly milliseconds read as seconds (every half-life and window would be 1000× off).
 */
export function resolveTimeUnit(
  fn: string,
  value: unknown,
  data?: { readonly timeUnit?: TimeUnit; readonly timestamps?: Float64Array | undefined },
  name = "interactions",
): TimeUnit {
  if (value !== undefined) assertOneOf(fn, "options.timeUnit", value, TIME_UNITS);
  const carried = data?.timeUnit;
  if (value !== undefined && carried !== undefined && value !== carried) {
    throw new NextbestError(
      "E_BAD_INPUT",
      `${fn}: options.timeUnit must match the ${name}' own time unit, got "${value as string}" for timestamps in ${carried} (leave the option out to use the data's unit)`,
    );
  }
  const unit = (value as TimeUnit | undefined) ?? carried ?? "seconds";
  const timestamps = data?.timestamps;
  if (unit === "seconds" && carried === undefined && timestamps !== undefined) {
    let latest = 0;
    for (let p = 0; p < timestamps.length; p++) if (timestamps[p]! > latest) latest = timestamps[p]!;
    if (latest > PLAINLY_MILLISECONDS) {
      throw new NextbestError(
        "E_BAD_INPUT",
        `${fn}: ${name} timestamps must be seconds under timeUnit "seconds", got ${latest}, which is milliseconds (${new Date(latest).toISOString().slice(0, 10)}); pass timeUnit: "milliseconds", or build the interactions with it`,
      );
    }
  }
  return unit;
}

/** The length of a day in the unit. */
export function dayLength(unit: TimeUnit): number {
  return unit === "seconds" ? 86_400 : 86_400_000;
}
